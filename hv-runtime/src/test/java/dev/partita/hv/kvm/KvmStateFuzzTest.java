package dev.partita.hv.kvm;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.partita.hv.vp.PendingEvents;
import dev.partita.hv.vp.VpState;
import dev.partita.nativebindings.kvm.kvm_regs;
import dev.partita.nativebindings.kvm.kvm_sregs;
import dev.partita.nativebindings.kvm.kvm_vcpu_events;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Fuzzes the conversion between KVM's processor structures and the neutral {@link VpState}
 * ({@link KvmStateCodec}) without /dev/kvm: {@code kvm_regs}, {@code kvm_sregs} and
 * {@code kvm_vcpu_events} filled with any bytes are read into a state (what a checkpoint taken on
 * KVM holds), written back into fresh structures (what a restore on KVM hands the kernel) and read
 * again.
 *
 * <p>Properties: reading never throws; writing what was read never throws; the second reading
 * equals the first except that a pending exception is handed over as injected (as
 * {@link KvmStateCodec#writeEvents} documents for KVM without exception payloads); a second pass
 * changes nothing, so a checkpoint moved through KVM any number of times keeps its state.
 *
 * <p>CI runs the seeds in {@code src/test/resources/dev/partita/hv/kvm/KvmStateFuzzTestInputs}
 * (regression mode); {@code JAZZER_FUZZ=1} fuzzes with coverage feedback.
 */
class KvmStateFuzzTest {
    private static final Arena ARENA = Arena.ofShared();
    private static final MemorySegment REGS = kvm_regs.allocate(ARENA);
    private static final MemorySegment SREGS = kvm_sregs.allocate(ARENA);
    private static final MemorySegment EVENTS = kvm_vcpu_events.allocate(ARENA);
    static long executions;

    @AfterAll
    static void close() {
        ARENA.close();
        System.out.println("KvmStateFuzzTest: " + executions + " inputs executed");
    }

    @FuzzTest(maxDuration = "3m")
    void anyKvmStructures(byte[] data) {
        check(data);
    }

    /** Deterministic complement for CI: random structure contents. */
    @Test
    void randomStructuresConvertToAFixedPoint() {
        SplittableRandom rng = new SplittableRandom(0x5EC5);
        for (int n = 0; n < 3_000; n++) {
            byte[] b = new byte[rng.nextInt(16, 700)];
            rng.nextBytes(b);
            check(b);
        }
    }

    static void check(byte[] data) {
        executions++;
        fill(data, 0, REGS);
        fill(data, REGS.byteSize(), SREGS);
        fill(data, REGS.byteSize() + SREGS.byteSize(), EVENTS);
        VpState first = read();
        VpState second = writeAndRead(first);
        PendingEvents e = first.events();
        PendingEvents folded = new PendingEvents(e.exceptionInjected() || e.exceptionPending(), false, e.exceptionVector(),
                e.exceptionHasErrorCode(), e.exceptionErrorCode(), e.interruptInjected(), e.interruptVector(), e.interruptSoft(),
                e.nmiInjected(), e.nmiPending(), e.nmiMasked(), e.interruptShadow(), e.sipiVector());
        assertEquals(first.toBuilder().events(folded).build(), second,
                "KVM structures -> VpState -> KVM structures -> VpState (a pending exception is handed over as injected)");
        assertEquals(second, writeAndRead(second), "a second pass changes nothing");
    }

    private static VpState writeAndRead(VpState s) {
        REGS.fill((byte) 0);
        SREGS.fill((byte) 0);
        EVENTS.fill((byte) 0);
        KvmStateCodec.writeRegs(s, REGS);
        KvmStateCodec.writeSregs(s, SREGS);
        KvmStateCodec.writeEvents(s.events(), EVENTS);
        return read();
    }

    private static VpState read() {
        VpState.Builder b = VpState.builder();
        KvmStateCodec.readRegs(REGS, b);
        KvmStateCodec.readSregs(SREGS, b);
        PendingEvents events = KvmStateCodec.readEvents(EVENTS);
        return b.events(events).build();
    }

    /** Copies the input (repeated as needed) over {@code target}, starting at input offset {@code from}. */
    private static void fill(byte[] data, long from, MemorySegment target) {
        target.fill((byte) 0);
        if (data.length == 0) {
            return;
        }
        for (long i = 0; i < target.byteSize(); i++) {
            target.set(ValueLayout.JAVA_BYTE, i, data[(int) ((from + i) % data.length)]);
        }
    }
}

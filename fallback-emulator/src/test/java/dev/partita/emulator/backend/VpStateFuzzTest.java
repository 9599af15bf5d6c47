package dev.partita.emulator.backend;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.partita.emulator.cpu.MsrIndex;
import dev.partita.hv.memory.GuestMemory;
import dev.partita.hv.spi.BackendPartitionConfig;
import dev.partita.hv.spi.BackendVcpu;
import dev.partita.hv.vp.Gpr;
import dev.partita.hv.vp.LapicState;
import dev.partita.hv.vp.MpState;
import dev.partita.hv.vp.PendingEvents;
import dev.partita.hv.vp.SegmentRegister;
import dev.partita.hv.vp.TableRegister;
import dev.partita.hv.vp.VpState;
import dev.partita.hv.vp.XsaveArea;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Fuzzes the processor-state codec of the emulator ({@link VpStateCodec}, reached through
 * {@link BackendVcpu#setState} / {@link BackendVcpu#getState} as a checkpoint restore does): a
 * {@link VpState} built from any bytes (registers, segments with any attributes, control
 * registers, EFER, APIC base, MSRs inside and outside the set the emulator keeps, an XSAVE image
 * with any header and an x87 stack at any TOP, a LAPIC page, pending events, MP state).
 *
 * <p>Properties: building the state ends in a state or an {@link IllegalArgumentException} (the
 * neutral model's own checks); setting a state never throws; what reads back has the same GPRs,
 * RIP, control registers, EFER, APIC base, segment selectors / bases / limits, descriptor tables,
 * kept MSRs and MP state (for a running or halted processor: one waiting for or given a SIPI
 * starts over at its startup vector); and reading back is a fixed point (setting what was read reads back the
 * same).
 *
 * <p>CI runs the seeds in {@code src/test/resources/dev/partita/emulator/backend/VpStateFuzzTestInputs}
 * (regression mode); {@code JAZZER_FUZZ=1} fuzzes with coverage feedback.
 */
class VpStateFuzzTest {
    private static final GuestMemory MEMORY = GuestMemory.allocate(1 << 20);
    private static final EmulatorPartition PARTITION = new EmulatorPartition(new BackendPartitionConfig("vpstate-fuzz", 1, MEMORY));
    private static final BackendVcpu VCPU = PARTITION.createVcpu(0);
    private static final int[] MSRS = {MsrIndex.STAR, MsrIndex.LSTAR, MsrIndex.CSTAR, MsrIndex.SFMASK, MsrIndex.KERNEL_GS_BASE,
        MsrIndex.TSC_AUX, MsrIndex.SYSENTER_CS, MsrIndex.SYSENTER_ESP, MsrIndex.SYSENTER_EIP, MsrIndex.PAT, MsrIndex.MISC_ENABLE,
        MsrIndex.MTRR_DEF_TYPE, MsrIndex.MTRR_PHYSBASE0, MsrIndex.MTRR_FIX64K_00000, 0x4B56_4D00, 0xC000_0103};
    static long executions;

    @AfterAll
    static void close() {
        VCPU.close();
        PARTITION.close();
        MEMORY.close();
        System.out.println("VpStateFuzzTest: " + executions + " inputs executed");
    }

    @FuzzTest(maxDuration = "3m")
    void anyProcessorState(byte[] data) {
        check(data);
    }

    /** Deterministic complement for CI: random states. */
    @Test
    void randomStatesRoundTrip() {
        SplittableRandom rng = new SplittableRandom(0x5650);
        for (int n = 0; n < 1_000; n++) {
            byte[] b = new byte[rng.nextInt(100, 1200)];
            rng.nextBytes(b);
            check(b);
        }
    }

    static void check(byte[] data) {
        executions++;
        ByteBuffer in = ByteBuffer.wrap(java.util.Arrays.copyOf(data, Math.max(data.length, 1400))).order(ByteOrder.LITTLE_ENDIAN);
        VpState state;
        try {
            state = build(in);
        } catch (IllegalArgumentException refused) {
            return;
        }
        VCPU.setState(state);
        VpState out = VCPU.getState();
        if (state.mpState() == MpState.RUNNABLE || state.mpState() == MpState.HALTED) {
            assertReadBack(state, out);
        }
        VpState fixed = withoutTsc(out);
        VCPU.setState(out);
        assertEquals(fixed, withoutTsc(VCPU.getState()), "what reads back sets and reads back unchanged");
    }

    /** A running or halted processor reads back what was set (a processor waiting for or given a SIPI starts over). */
    private static void assertReadBack(VpState state, VpState out) {
        for (Gpr r : Gpr.values()) {
            assertEquals(state.gpr(r), out.gpr(r), r.name());
        }
        assertEquals(state.rip(), out.rip(), "RIP");
        assertEquals(state.cr0(), out.cr0(), "CR0");
        assertEquals(state.cr2(), out.cr2(), "CR2");
        assertEquals(state.cr3(), out.cr3(), "CR3");
        assertEquals(state.cr4(), out.cr4(), "CR4");
        assertEquals(state.efer(), out.efer(), "EFER");
        assertEquals(state.apicBase(), out.apicBase(), "APIC base");
        assertEquals(state.gdtr().base(), out.gdtr().base(), "GDTR base");
        assertEquals(state.idtr().base(), out.idtr().base(), "IDTR base");
        assertEquals(state.mpState() == MpState.HALTED, out.mpState() == MpState.HALTED, "halted");
        SegmentRegister[][] segs = {{state.cs(), out.cs()}, {state.ss(), out.ss()}, {state.ds(), out.ds()}, {state.es(), out.es()},
            {state.fs(), out.fs()}, {state.gs(), out.gs()}, {state.tr(), out.tr()}, {state.ldtr(), out.ldtr()}};
        for (SegmentRegister[] pair : segs) {
            assertEquals(pair[0].selector(), pair[1].selector(), "selector");
            assertEquals(pair[0].base(), pair[1].base(), "segment base");
            assertEquals(pair[0].limit(), pair[1].limit(), "segment limit");
        }
        for (int index : VpStateCodec.SAVED_MSRS) {
            if (index != MsrIndex.TSC && state.msrs().containsKey(index)) {
                assertEquals(state.msrs().get(index), out.msrs().get(index), "MSR 0x" + Integer.toHexString(index));
            }
        }
    }

    private static VpState withoutTsc(VpState s) {
        TreeMap<Integer, Long> m = new TreeMap<>(s.msrs());
        m.remove(MsrIndex.TSC);
        return s.toBuilder().msrs(m).build();
    }

    private static VpState build(ByteBuffer in) {
        VpState.Builder b = VpState.builder();
        for (Gpr r : Gpr.values()) {
            b.gpr(r, in.getLong());
        }
        b.rip(in.getLong()).rflags(in.getLong());
        b.cs(segment(in)).ss(segment(in)).ds(segment(in)).es(segment(in)).fs(segment(in)).gs(segment(in)).tr(segment(in)).ldtr(segment(in));
        b.gdtr(new TableRegister(in.getLong(), in.getShort() & 0xFFFF)).idtr(new TableRegister(in.getLong(), in.getShort() & 0xFFFF));
        b.cr0(in.getLong()).cr2(in.getLong()).cr3(in.getLong()).cr4(in.getLong()).cr8(in.get() & 0xF).efer(in.getLong()).apicBase(in.getLong());
        int msrCount = in.get() & 0xF;
        for (int i = 0; i < msrCount; i++) {
            b.msr(MSRS[in.get() & 0xF], in.getLong());
        }
        int xsaveMode = in.get() & 3;
        if (xsaveMode != 0) {
            byte[] x = new byte[XsaveArea.MINIMUM_SIZE];
            in.get(x);
            b.xsave(new XsaveArea(x, in.getLong()));
        }
        if ((in.get() & 1) != 0) {
            byte[] page = new byte[LapicState.SIZE];
            in.get(page, 0, 256);
            b.lapic(new LapicState(page));
        }
        byte e = in.get();
        b.events(new PendingEvents((e & 1) != 0, (e & 2) != 0, in.get() & 0xFF, (e & 4) != 0, in.getInt(), (e & 8) != 0, in.get() & 0xFF,
                (e & 16) != 0, (e & 32) != 0, (e & 64) != 0, (e & 128) != 0, in.get() & 3, in.get() & 0xFF));
        b.mpState(MpState.values()[(in.get() & 0x7F) % MpState.values().length]);
        return b.build();
    }

    private static SegmentRegister segment(ByteBuffer in) {
        return new SegmentRegister(in.getShort() & 0xFFFF, in.getLong(), in.getInt(), in.getInt() & 0x1F0FF);
    }
}

package dev.partita.hv.kvm;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.partita.hv.exit.VcpuExit;
import dev.partita.hv.fuzz.FuzzScript;
import dev.partita.hv.hyperv.HypercallPage;
import dev.partita.hv.kvm.sys.KvmVcpu;
import dev.partita.nativebindings.kvm.Kvm_h;
import dev.partita.nativebindings.kvm.kvm_run;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Fuzzes KVM exit decoding without /dev/kvm: arbitrary {@code kvm_run} contents (exit reason, I/O
 * direction / size / port / count / data offset, MMIO address / length / data, MSR index and data,
 * internal-error and system-event fields, scribbles anywhere in the area) fed to the real
 * {@link KvmExitDecoder} over a 3-page area the size of KVM's mapping, then every element of the
 * exit handed out and every read answered.
 *
 * <p>Properties: decoding never throws (a field outside what KVM documents yields
 * {@link VcpuExit.InternalError}, and nothing is read or written outside the area); an I/O exit is
 * accepted exactly when its size is 1, 2 or 4 and its {@code count} elements lie between the end
 * of {@code struct kvm_run} and the end of the area, and then yields exactly {@code count} port
 * accesses with the port, direction and, for OUT, the little-endian data at successive offsets; an
 * IN's answer lands at its element's offset; an MMIO access has a length of 1-8; an RDMSR answer
 * lands in {@code msr.data} with {@code msr.error} cleared, a refused access sets it; the trapped
 * hypercall (one-byte OUT to the trap port) is reported with the registers and its answer goes to
 * RAX.
 *
 * <p>CI runs the seeds in {@code src/test/resources/dev/partita/hv/kvm/KvmExitFuzzTestInputs}
 * (regression mode); {@code JAZZER_FUZZ=1} fuzzes with coverage feedback.
 */
class KvmExitFuzzTest {
    static final long AREA = 3 * 4096;
    private static final MemorySegment RUN = Arena.global().allocate(AREA, 4096);
    private static final int[] REASONS = {Kvm_h.KVM_EXIT_IO, Kvm_h.KVM_EXIT_MMIO, Kvm_h.KVM_EXIT_HLT, Kvm_h.KVM_EXIT_X86_RDMSR,
        Kvm_h.KVM_EXIT_X86_WRMSR, Kvm_h.KVM_EXIT_SHUTDOWN, Kvm_h.KVM_EXIT_FAIL_ENTRY, Kvm_h.KVM_EXIT_INTERNAL_ERROR,
        Kvm_h.KVM_EXIT_SYSTEM_EVENT, Kvm_h.KVM_EXIT_INTR, KvmVcpu.RUN_INTERRUPTED, Kvm_h.KVM_EXIT_IO};
    private static final VcpuExit.Hypercall TRAPPED = new VcpuExit.Hypercall(0x5C, 0x1000, 0x2000);
    static long executions;

    @AfterAll
    static void report() {
        System.out.println("KvmExitFuzzTest: " + executions + " inputs executed");
    }

    @FuzzTest(maxDuration = "3m")
    void anyKvmRun(byte[] data) {
        run(data);
    }

    /** Deterministic complement for CI: random exits biased toward I/O and MMIO near the valid limits. */
    @Test
    void randomKvmRunContentsDecodeSafely() {
        SplittableRandom rng = new SplittableRandom(0x4B564D);
        for (int n = 0; n < 5_000; n++) {
            byte[] b = new byte[rng.nextInt(4, 120)];
            rng.nextBytes(b);
            b[0] = (byte) rng.nextInt(3);
            run(b);
        }
    }

    static void run(byte[] data) {
        executions++;
        FuzzScript s = new FuzzScript(data);
        RUN.fill((byte) 0);
        int[] reports = {0};
        KvmExitDecoder decoder = new KvmExitDecoder(RUN, new KvmExitDecoder.Registers() {
            @Override
            public VcpuExit.Hypercall trappedHypercall() {
                return TRAPPED;
            }

            @Override
            public String report() {
                reports[0]++;
                return "(registers)";
            }
        });
        for (int exit = 0; exit < 8 && s.more(); exit++) {
            int pick = s.u8();
            int reason = pick < 200 ? REASONS[pick % REASONS.length] : s.u32();
            fill(s, reason);
            decodeOne(decoder, reason, s);
        }
    }

    /** Writes the fields of {@code reason}'s union member, plausible or arbitrary as the input says. */
    private static void fill(FuzzScript s, int reason) {
        switch (reason) {
            case Kvm_h.KVM_EXIT_IO -> {
                RUN.set(ValueLayout.JAVA_BYTE, kvm_run.OFFSET_io_direction, (byte) (s.bit() ? Kvm_h.KVM_EXIT_IO_OUT : s.u8()));
                int size = s.u8();
                RUN.set(ValueLayout.JAVA_BYTE, kvm_run.OFFSET_io_size, (byte) (size < 0xF0 ? 1 << (size % 3) : size));
                RUN.set(ValueLayout.JAVA_SHORT, kvm_run.OFFSET_io_port, (short) (s.u8() == 0 ? HypercallPage.TRAP_PORT : s.u16()));
                int count = s.u8();
                RUN.set(ValueLayout.JAVA_INT, kvm_run.OFFSET_io_count, count < 0xF0 ? count % 9 : s.u32());
                int offset = s.u8();
                RUN.set(ValueLayout.JAVA_LONG, kvm_run.OFFSET_io_data_offset, offset < 0xF0 ? 4096 + (offset - 64) * 64L : s.u64());
            }
            case Kvm_h.KVM_EXIT_MMIO -> {
                RUN.set(ValueLayout.JAVA_LONG, kvm_run.OFFSET_mmio_phys_addr, s.u64());
                RUN.set(ValueLayout.JAVA_LONG, kvm_run.OFFSET_mmio_data, s.u64());
                int len = s.u8();
                RUN.set(ValueLayout.JAVA_INT, kvm_run.OFFSET_mmio_len, len < 0xF0 ? len % 10 : s.u32());
                RUN.set(ValueLayout.JAVA_BYTE, kvm_run.OFFSET_mmio_is_write, (byte) s.u8());
            }
            case Kvm_h.KVM_EXIT_X86_RDMSR, Kvm_h.KVM_EXIT_X86_WRMSR -> {
                RUN.set(ValueLayout.JAVA_BYTE, kvm_run.OFFSET_msr_error, (byte) s.u8());
                RUN.set(ValueLayout.JAVA_INT, kvm_run.OFFSET_msr_index, s.u32());
                RUN.set(ValueLayout.JAVA_LONG, kvm_run.OFFSET_msr_data, s.u64());
            }
            case Kvm_h.KVM_EXIT_INTERNAL_ERROR -> {
                RUN.set(ValueLayout.JAVA_INT, kvm_run.OFFSET_internal_suberror, s.u8() % 6);
                RUN.set(ValueLayout.JAVA_INT, kvm_run.OFFSET_internal_ndata, s.bit() ? s.u8() % 20 : s.u32());
            }
            case Kvm_h.KVM_EXIT_SYSTEM_EVENT -> RUN.set(ValueLayout.JAVA_INT, kvm_run.OFFSET_system_event_type, s.bit() ? s.u8() % 6 : s.u32());
            default -> {
            }
        }
        if (s.u8() == 0xFF) { // scribble anywhere in the area
            long at = (s.u16() & 0xFFFFL) % AREA;
            byte[] b = s.bytes(s.u8() % 32);
            MemorySegment.copy(b, 0, RUN, ValueLayout.JAVA_BYTE, at, (int) Math.min(b.length, AREA - at));
        }
    }

    private static void decodeOne(KvmExitDecoder decoder, int reason, FuzzScript s) {
        int size = Byte.toUnsignedInt(RUN.get(ValueLayout.JAVA_BYTE, kvm_run.OFFSET_io_size));
        long count = Integer.toUnsignedLong(RUN.get(ValueLayout.JAVA_INT, kvm_run.OFFSET_io_count));
        long offset = RUN.get(ValueLayout.JAVA_LONG, kvm_run.OFFSET_io_data_offset);
        int port = Short.toUnsignedInt(RUN.get(ValueLayout.JAVA_SHORT, kvm_run.OFFSET_io_port));
        boolean out = RUN.get(ValueLayout.JAVA_BYTE, kvm_run.OFFSET_io_direction) == Kvm_h.KVM_EXIT_IO_OUT;
        VcpuExit exit = decoder.decode(reason);
        assertNotNull(exit);
        switch (exit) {
            case VcpuExit.PortIo io -> {
                assertEquals(Kvm_h.KVM_EXIT_IO, reason);
                boolean valid = (size == 1 || size == 2 || size == 4) && count >= 1 && offset >= kvm_run.sizeof()
                        && offset <= AREA && count <= (AREA - offset) / size;
                assertTrue(valid, "an I/O exit accepted with size " + size + " count " + count + " offset " + offset);
                for (long i = 0; ; i++) {
                    long at = offset + i * size;
                    assertEquals(port, io.port());
                    assertEquals(size, io.size());
                    assertEquals(out, io.isWrite());
                    if (out) {
                        assertEquals(le(at, size), Integer.toUnsignedLong(io.value()), "OUT data of element " + i);
                        assertFalse(decoder.completeRead(s.u32()), "nothing is answered for an OUT");
                    } else {
                        long v = s.u32() & 0xFFFF_FFFFL;
                        assertFalse(decoder.completeRead(v));
                        assertEquals(v & (size == 4 ? 0xFFFF_FFFFL : (1L << (8 * size)) - 1), le(at, size), "IN answer of element " + i);
                    }
                    if (!decoder.ioInProgress()) {
                        assertEquals(count, i + 1, "elements handed out");
                        break;
                    }
                    exit = decoder.nextIoElement();
                    io = (VcpuExit.PortIo) exit;
                }
            }
            case VcpuExit.Hypercall h -> {
                assertEquals(TRAPPED, h);
                assertTrue(out && port == HypercallPage.TRAP_PORT && size == 1 && count == 1);
                assertTrue(decoder.completeRead(s.u64()), "the hypercall result goes to RAX");
                assertFalse(decoder.ioInProgress());
            }
            case VcpuExit.Mmio m -> {
                assertEquals(Kvm_h.KVM_EXIT_MMIO, reason);
                assertTrue(m.size() >= 1 && m.size() <= 8, "MMIO length " + m.size());
                if (!m.isWrite()) {
                    long v = s.u64();
                    assertFalse(decoder.completeRead(v));
                    long mask = m.size() == 8 ? -1L : (1L << (8 * m.size())) - 1;
                    assertEquals(v & mask, le(kvm_run.OFFSET_mmio_data, m.size()));
                }
            }
            case VcpuExit.MsrRead r -> {
                if (s.bit()) {
                    long v = s.u64();
                    assertFalse(decoder.completeRead(v));
                    assertEquals(v, RUN.get(ValueLayout.JAVA_LONG, kvm_run.OFFSET_msr_data));
                    assertEquals(0, RUN.get(ValueLayout.JAVA_BYTE, kvm_run.OFFSET_msr_error));
                } else {
                    decoder.failMsrAccess();
                    assertEquals(1, RUN.get(ValueLayout.JAVA_BYTE, kvm_run.OFFSET_msr_error));
                }
            }
            case VcpuExit.MsrWrite w -> {
                assertEquals(RUN.get(ValueLayout.JAVA_LONG, kvm_run.OFFSET_msr_data), w.value());
                if (s.bit()) {
                    decoder.failMsrAccess();
                    assertEquals(1, RUN.get(ValueLayout.JAVA_BYTE, kvm_run.OFFSET_msr_error));
                } else {
                    assertFalse(decoder.completeRead(0));
                    assertEquals(0, RUN.get(ValueLayout.JAVA_BYTE, kvm_run.OFFSET_msr_error));
                }
            }
            case VcpuExit.InternalError e -> {
                assertNotNull(e.description());
                if (reason == Kvm_h.KVM_EXIT_IO) {
                    assertFalse(decoder.ioInProgress());
                }
                assertFalse(decoder.completeRead(s.u64()));
            }
            default -> assertFalse(decoder.completeRead(s.u64()));
        }
        assertFalse(decoder.ioInProgress());
    }

    private static long le(long at, int size) {
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            v = v << 8 | Byte.toUnsignedLong(RUN.get(ValueLayout.JAVA_BYTE, at + i));
        }
        return v;
    }
}

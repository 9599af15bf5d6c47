package dev.partita.hv.hyperv;

import dev.partita.hv.exit.VcpuExit;
import dev.partita.hv.memory.GuestMemory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The TLB flush and IPI hypercalls through the dispatcher of a 70-processor partition (so the Ex forms'
 * second bank is real): simple and Ex forms, sparse processor sets, "all processors", rep lists, and the
 * TLFS status of every invalid input. Nothing is flushed or sent for a refused call.
 */
class FlushAndIpiHypercallsTest {
    private static final int VPS = 70;
    private static final long IN = 0x4000;

    private final GuestMemory memory = GuestMemory.allocate(64 * 1024);
    private final List<BitSet> flushed = new ArrayList<>();
    private final List<String> ipis = new ArrayList<>();
    private final HypercallDispatcher dispatcher = new HypercallDispatcher(memory, new ConcurrentHashMap<>(),
            new TlbFlushHypercalls(memory, VPS, flushed::add), new IpiHypercalls(memory, VPS, (vp, v) -> ipis.add(vp + ":" + v)));

    @AfterEach
    void close() {
        memory.close();
    }

    /** RCX for {@code code} with fast flag, variable header qwords and rep count. */
    private static long control(int code, boolean fast, int varhead, int reps) {
        return code | (fast ? 1L << 16 : 0) | (long) varhead << 17 | (long) reps << 32;
    }

    private long call(long control, long rdx, long r8) {
        return dispatcher.call(0, new VcpuExit.Hypercall(control, rdx, r8));
    }

    private static int status(long rax) {
        return (int) (rax & 0xFFFF);
    }

    private void qwords(long gpa, long... values) {
        for (int i = 0; i < values.length; i++) {
            memory.writeU64(gpa + 8L * i, values[i]);
        }
    }

    private static BitSet vps(int... indices) {
        BitSet b = new BitSet();
        for (int i : indices) {
            b.set(i);
        }
        return b;
    }

    @Test
    void flushSpaceWithAMask() {
        qwords(IN, 0x1234000, 0, 0b1010);
        assertEquals(HvStatus.SUCCESS, status(call(control(0x0002, false, 0, 0), IN, 0)));
        assertEquals(List.of(vps(1, 3)), flushed);
    }

    @Test
    void flushAllProcessorsIgnoresTheMask() {
        qwords(IN, 0, TlbFlushHypercalls.FLUSH_ALL_PROCESSORS | 2, 0);
        assertEquals(HvStatus.SUCCESS, status(call(control(0x0002, false, 0, 0), IN, 0)));
        BitSet all = new BitSet();
        all.set(0, VPS);
        assertEquals(List.of(all), flushed);
    }

    @Test
    void flushListCompletesEveryRep() {
        qwords(IN, 0, 0, 1, 0x7000_0000L, 0x7000_1000L, 0x7000_2003L);
        long rax = call(control(0x0003, false, 0, 3), IN, 0);
        assertEquals(HvStatus.SUCCESS, status(rax));
        assertEquals(3, (rax >>> 32) & 0xFFF, "reps completed");
        assertEquals(List.of(vps(0)), flushed);
    }

    @Test
    void exFormsReadSparseBanks() {
        // banks 0 and 1 valid: VP 2 in bank 0, VPs 64 and 69 in bank 1 (VP 69 is the last one)
        qwords(IN, 0, 0, ProcessorSet.FORMAT_SPARSE_4K, 0b11, 1L << 2, 1L | 1L << 5);
        assertEquals(HvStatus.SUCCESS, status(call(control(0x0013, false, 2, 0), IN, 0)));
        assertEquals(List.of(vps(2, 64, 69)), flushed);

        flushed.clear();
        // bank 1 only (bank 0 absent): its one qword follows the mask directly; then two GVA reps
        qwords(IN, 0, 0, ProcessorSet.FORMAT_SPARSE_4K, 0b10, 1L << 3 | 1L << 40, 0x1000, 0x2000);
        long rax = call(control(0x0014, false, 1, 2), IN, 0);
        assertEquals(HvStatus.SUCCESS, status(rax));
        assertEquals(2, (rax >>> 32) & 0xFFF);
        assertEquals(List.of(vps(67)), flushed, "VP 104 does not exist and is ignored by a flush");

        flushed.clear();
        qwords(IN, 0, 0, ProcessorSet.FORMAT_ALL, 0);
        assertEquals(HvStatus.SUCCESS, status(call(control(0x0013, false, 0, 0), IN, 0)));
        assertEquals(VPS, flushed.get(0).cardinality(), "format ALL");
    }

    @Test
    void invalidFlushInputsAnswerTheTlfsStatus() {
        qwords(IN, 0, 0, ProcessorSet.FORMAT_SPARSE_4K, 0b111, 1, 1, 1);
        assertEquals(HvStatus.INVALID_HYPERCALL_INPUT, status(call(control(0x0013, false, 2, 0), IN, 0)), "3 banks in 2 qwords");
        qwords(IN, 0, 0, 7, 0);
        assertEquals(HvStatus.INVALID_PARAMETER, status(call(control(0x0013, false, 0, 0), IN, 0)), "unknown set format");
        qwords(IN, 0, 1L << 4, 1);
        assertEquals(HvStatus.INVALID_PARAMETER, status(call(control(0x0002, false, 0, 0), IN, 0)), "unknown flag");
        qwords(IN, 0, 0, 1);
        assertEquals(HvStatus.INVALID_HYPERCALL_INPUT, status(call(control(0x0002, true, 0, 0), IN, 0)), "fast");
        assertEquals(HvStatus.INVALID_HYPERCALL_INPUT, status(call(control(0x0002, false, 1, 0), IN, 0)), "variable header on simple form");
        assertEquals(HvStatus.INVALID_HYPERCALL_INPUT, status(call(control(0x0002, false, 0, 1), IN, 0)), "rep count on simple form");
        assertEquals(HvStatus.INVALID_HYPERCALL_INPUT, status(call(control(0x0003, false, 0, 0), IN, 0)), "list without reps");
        assertEquals(HvStatus.INVALID_HYPERCALL_INPUT, status(call(control(0x0003, false, 0, 2) | 2L << 48, IN, 0)), "rep start = count");
        assertEquals(HvStatus.INVALID_HYPERCALL_INPUT, status(call(control(0x0002, false, 0, 0) | 1L << 31, IN, 0)), "nested");
        assertEquals(HvStatus.INVALID_ALIGNMENT, status(call(control(0x0002, false, 0, 0), IN + 4, 0)), "unaligned");
        assertEquals(HvStatus.INVALID_ALIGNMENT, status(call(control(0x0002, false, 0, 0), 0x1_0000_0000L, 0)), "outside RAM");
        assertEquals(HvStatus.INVALID_ALIGNMENT, status(call(control(0x0003, false, 0, 4095), 64 * 1024 - 64, 0)), "rep list runs off RAM");
        assertTrue(flushed.isEmpty(), "nothing flushed for a refused call");
    }

    @Test
    void ipiFastAndMemoryForms() {
        assertEquals(HvStatus.SUCCESS, status(call(control(0x000B, true, 0, 0), 0xFD, 0b101)));
        assertEquals(List.of("0:253", "2:253"), ipis);
        ipis.clear();
        qwords(IN, 0x40, 1L << 1);
        assertEquals(HvStatus.SUCCESS, status(call(control(0x000B, false, 0, 0), IN, 0)));
        assertEquals(List.of("1:64"), ipis);
    }

    @Test
    void ipiExWithASparseSet() {
        qwords(IN, 0xFB, ProcessorSet.FORMAT_SPARSE_4K, 0b10, 1L << 1 | 1L << 5);
        assertEquals(HvStatus.SUCCESS, status(call(control(0x0015, false, 1, 0), IN, 0)));
        assertEquals(List.of("65:251", "69:251"), ipis);
    }

    @Test
    void invalidIpiInputsSendNothing() {
        assertEquals(HvStatus.INVALID_PARAMETER, status(call(control(0x000B, true, 0, 0), 15, 1)), "vector below 16");
        assertEquals(HvStatus.INVALID_PARAMETER, status(call(control(0x000B, true, 0, 0), 256, 1)), "vector above 255");
        assertEquals(HvStatus.INVALID_PARAMETER, status(call(control(0x000B, true, 0, 0), 0x30 | 1L << 32, 1)), "target VTL 1");
        qwords(IN, 0x30, ProcessorSet.FORMAT_SPARSE_4K, 0b100, 1);
        assertEquals(HvStatus.INVALID_HYPERCALL_INPUT, status(call(control(0x0015, false, 0, 0), IN, 0)), "bank without header room");
        assertEquals(HvStatus.INVALID_PARAMETER, status(call(control(0x0015, false, 1, 0), IN, 0)), "VP 128 does not exist");
        assertEquals(HvStatus.INVALID_HYPERCALL_INPUT, status(call(control(0x0015, true, 1, 0), IN, 0)), "fast Ex");
        assertEquals(HvStatus.INVALID_HYPERCALL_INPUT, status(call(control(0x000B, true, 0, 1), 0x30, 1)), "rep count");
        assertEquals(HvStatus.INVALID_ALIGNMENT, status(call(control(0x000B, false, 0, 0), IN + 1, 0)), "unaligned");
        assertTrue(ipis.isEmpty());
    }

    @Test
    void notOfferedMeansUnknownCode() {
        HypercallDispatcher bare = new HypercallDispatcher(memory, new ConcurrentHashMap<>());
        for (int code : new int[] {0x0002, 0x0003, 0x000B, 0x0013, 0x0014, 0x0015}) {
            assertEquals(HvStatus.INVALID_HYPERCALL_CODE, status(bare.call(0, new VcpuExit.Hypercall(code, IN, 0))), Integer.toHexString(code));
        }
    }
}

package dev.partita.hv.hyperv;

import dev.partita.hv.memory.GuestMemory;
import dev.partita.hv.memory.RamRegion;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * The SynIC event-flags page (SIEFP): 16 blocks of 256 bytes, block n for SINT n, each 2048 flag
 * bits (bit f at byte f/8, bit f%8; for VMBus on SINT2, flag = channel relid). The guest clears
 * flags concurrently with atomic instructions, so the host sets them with an atomic OR on the
 * aligned 64-bit word (a locked instruction on x86), which also orders earlier stores before it.
 *
 * <p>Stateless; safe from any thread.
 */
final class EventFlagsPage {
    private EventFlagsPage() {
    }

    static final int BLOCK_SIZE = 256;
    /** Flags per SINT (HV_EVENT_FLAGS_COUNT). */
    static final int FLAGS_PER_SINT = BLOCK_SIZE * 8;

    private static final VarHandle WORD = ValueLayout.JAVA_LONG.varHandle();

    /**
     * Sets flag {@code flag} of SINT {@code sint} in the page at {@code pageGpa}; returns whether it
     * was clear before.
     */
    static boolean set(GuestMemory memory, long pageGpa, int sint, int flag) {
        long wordGpa = pageGpa + (long) sint * BLOCK_SIZE + (flag >>> 6) * 8L;
        MemorySegment word = memory.segment(wordGpa, 8);
        long bit = 1L << (flag & 63);
        long before = (long) WORD.getAndBitwiseOr(word, 0L, bit);
        if (memory.isDirtyTracking()) {
            RamRegion r = memory.regionFor(wordGpa, 8);
            r.markDirty(wordGpa - r.gpa(), 8);
        }
        return (before & bit) == 0;
    }

    /** Whether flag {@code flag} of SINT {@code sint} is set (for tests and diagnostics). */
    static boolean isSet(GuestMemory memory, long pageGpa, int sint, int flag) {
        long wordGpa = pageGpa + (long) sint * BLOCK_SIZE + (flag >>> 6) * 8L;
        return (memory.readU64(wordGpa) & (1L << (flag & 63))) != 0;
    }
}

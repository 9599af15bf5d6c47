package dev.partita.emulator.mmu;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * One direct-mapped translation cache for one kind of access (read, write or execute) at one
 * privilege (user or supervisor): an entry exists only if that access is allowed, so a hit needs
 * no permission test. RAM entries carry the host segment and an addend (host offset minus linear
 * page); MMIO entries have a null host and an addend giving the physical address. Owned by the
 * vCPU thread.
 */
final class Tlb {

    static final int BITS = 9;
    static final int SIZE = 1 << BITS;
    static final int MASK = SIZE - 1;
    static final long INVALID = -1L;

    /** Linear page address of the entry (low 12 bits zero) or {@link #INVALID}. */
    final long[] tag = new long[SIZE];
    /** Host segment for RAM pages; null for MMIO. */
    final MemorySegment[] host = new MemorySegment[SIZE];
    /** RAM: offset in {@link #host} = linear + addend. MMIO: physical = linear + addend. */
    final long[] addend = new long[SIZE];
    /** Physical page address. */
    final long[] phys = new long[SIZE];
    /** Page mask of the translation that produced the entry (4K, 2M, 4M or 1G) for INVLPG. */
    final long[] largeMask = new long[SIZE];
    final boolean[] global = new boolean[SIZE];

    Tlb() {
        Arrays.fill(tag, INVALID);
    }

    static int index(long linear) {
        return (int) (linear >>> 12) & MASK;
    }

    void fill(long linearPage, MemorySegment hostSegment, long add, long physPage, long pageMask, boolean isGlobal) {
        int i = index(linearPage);
        tag[i] = linearPage;
        host[i] = hostSegment;
        addend[i] = add;
        phys[i] = physPage;
        largeMask[i] = pageMask;
        global[i] = isGlobal;
    }

    void flushAll() {
        Arrays.fill(tag, INVALID);
        Arrays.fill(host, null);
    }

    void flushNonGlobal() {
        for (int i = 0; i < SIZE; i++) {
            if (!global[i]) {
                tag[i] = INVALID;
                host[i] = null;
            }
        }
    }

    /** Drops every entry whose translation covers {@code linear} (large pages included). */
    void flushPage(long linear) {
        for (int i = 0; i < SIZE; i++) {
            long t = tag[i];
            if (t != INVALID && (t & largeMask[i]) == (linear & largeMask[i])) {
                tag[i] = INVALID;
                host[i] = null;
            }
        }
    }

    /** Drops every entry that maps to physical page {@code physPage}. */
    void flushPhys(long physPage) {
        for (int i = 0; i < SIZE; i++) {
            if (tag[i] != INVALID && phys[i] == physPage) {
                tag[i] = INVALID;
                host[i] = null;
            }
        }
    }
}

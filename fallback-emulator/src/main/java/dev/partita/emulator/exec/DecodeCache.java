package dev.partita.emulator.exec;

import dev.partita.emulator.decoder.DecodedInsn;
import dev.partita.emulator.mmu.CodeWriteListener;
import java.util.Arrays;

/**
 * Decoded instructions per guest physical page: for each page that code was decoded from, an array
 * of 4096 slots indexed by the offset of the instruction's first byte. A page enters the cache when
 * the interpreter first decodes from it and marks it in {@code PhysicalMemory}; a guest write to a
 * marked page reports {@link #codeWritten}, which drops the page (self-modifying code). Writes to
 * unmarked pages cost the physical layer one bitmap test and never reach this class.
 *
 * <p>Instructions that cross a page boundary are not cached. Open-addressing hash map from page
 * number to slot array; no allocation on a hit. Owned by one vCPU thread; not thread-safe.
 */
final class DecodeCache implements CodeWriteListener {

    static final int PAGE_SIZE = 4096;
    private static final long EMPTY = -1L;

    private long[] keys;
    private DecodedInsn[][] values;
    private int count;
    private long invalidations;
    /** Bumped on every drop so holders of a slot array know to look it up again. */
    int generation;

    DecodeCache() {
        keys = new long[256];
        values = new DecodedInsn[256][];
        Arrays.fill(keys, EMPTY);
    }

    private static int hash(long page, int mask) {
        long h = page * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 40) & mask;
    }

    /** The slot array for physical page {@code page} (page number, not address), or null. */
    DecodedInsn[] get(long page) {
        int mask = keys.length - 1;
        for (int i = hash(page, mask);; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == page) {
                return values[i];
            }
            if (k == EMPTY) {
                return null;
            }
        }
    }

    /** The slot array for {@code page}, created empty if absent. */
    DecodedInsn[] getOrCreate(long page) {
        DecodedInsn[] v = get(page);
        if (v != null) {
            return v;
        }
        if ((count + 1) * 2 > keys.length) {
            grow();
        }
        v = new DecodedInsn[PAGE_SIZE];
        insert(page, v);
        count++;
        return v;
    }

    private void insert(long page, DecodedInsn[] v) {
        int mask = keys.length - 1;
        int i = hash(page, mask);
        while (keys[i] != EMPTY) {
            i = (i + 1) & mask;
        }
        keys[i] = page;
        values[i] = v;
    }

    private void grow() {
        long[] oldKeys = keys;
        DecodedInsn[][] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new DecodedInsn[oldKeys.length * 2][];
        Arrays.fill(keys, EMPTY);
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                insert(oldKeys[i], oldValues[i]);
            }
        }
    }

    /** Removes {@code page}'s decoded instructions. */
    void drop(long page) {
        int mask = keys.length - 1;
        int i = hash(page, mask);
        for (;; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == EMPTY) {
                return;
            }
            if (k == page) {
                break;
            }
        }
        // Backward-shift deletion keeps probe chains intact.
        keys[i] = EMPTY;
        values[i] = null;
        count--;
        generation++;
        invalidations++;
        int j = i;
        for (;;) {
            j = (j + 1) & mask;
            long k = keys[j];
            if (k == EMPTY) {
                return;
            }
            int home = hash(k, mask);
            boolean move = i <= j ? (home <= i || home > j) : (home <= i && home > j);
            if (move) {
                keys[i] = k;
                values[i] = values[j];
                keys[j] = EMPTY;
                values[j] = null;
                i = j;
            }
        }
    }

    /** Drops everything (mode switches do not need this: entries record their decode mode). */
    void clear() {
        Arrays.fill(keys, EMPTY);
        Arrays.fill(values, null);
        count = 0;
        generation++;
    }

    @Override
    public void codeWritten(long physPage) {
        drop(physPage >>> 12);
    }

    /** Number of cached pages. */
    int pages() {
        return count;
    }

    /** Number of pages dropped because of writes. */
    long invalidations() {
        return invalidations;
    }
}

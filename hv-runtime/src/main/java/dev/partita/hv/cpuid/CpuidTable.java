package dev.partita.hv.cpuid;

import java.util.Arrays;
import java.util.List;

/**
 * The lookup structure of one virtual processor: entries sorted by unsigned (leaf, subleaf) key in
 * flat arrays, searched by binary search, plus the highest leaf of each leaf class. Immutable after
 * construction; safe to read from any thread.
 */
final class CpuidTable {

    private static final int CLASS_MASK = 0xF000_0000;

    private final long[] keys;          // (leaf << 32 | subleaf) with the sign bit flipped, so signed order = unsigned order
    private final CpuidResult[] values;
    private final boolean[] indexed;
    private final int[] classBase;      // leaf class bases present (0, 0x40000000, 0x80000000, ...)
    private final int[] classMax;       // highest leaf of each class, from the base leaf's EAX
    private final int maxBasic;
    private final int x2apicId;
    private final List<CpuidEntry> entries;

    CpuidTable(List<CpuidEntry> sortedEntries, int x2apicId) {
        this.entries = List.copyOf(sortedEntries);
        int n = entries.size();
        keys = new long[n];
        values = new CpuidResult[n];
        indexed = new boolean[n];
        int[] bases = new int[16];
        int[] maxes = new int[16];
        int classes = 0;
        for (int i = 0; i < n; i++) {
            CpuidEntry e = entries.get(i);
            keys[i] = searchKey(e.leaf(), e.subleaf());
            values[i] = e.value();
            indexed[i] = e.indexed();
            if (i > 0 && keys[i - 1] >= keys[i]) {
                throw new IllegalArgumentException("CPUID entries not sorted or duplicated at " + e);
            }
            if ((e.leaf() & ~CLASS_MASK) == 0 && e.subleaf() == 0) {
                bases[classes] = e.leaf();
                maxes[classes] = e.value().eax();
                classes++;
            }
        }
        classBase = Arrays.copyOf(bases, classes);
        classMax = Arrays.copyOf(maxes, classes);
        int basic = -1;
        for (int c = 0; c < classes; c++) {
            if (classBase[c] == 0) {
                basic = classMax[c];
            }
        }
        if (basic < 0) {
            throw new IllegalArgumentException("CPUID table has no leaf 0");
        }
        maxBasic = basic;
        this.x2apicId = x2apicId;
    }

    List<CpuidEntry> entries() {
        return entries;
    }

    int maxBasicLeaf() {
        return maxBasic;
    }

    CpuidResult lookup(int leaf, int subleaf) {
        if (!inRange(leaf)) {
            leaf = maxBasic; // Intel: out-of-range leaves return the highest basic leaf's data
        }
        int i = Arrays.binarySearch(keys, searchKey(leaf, subleaf));
        if (i >= 0 && (indexed[i] || subleaf == 0)) {
            return values[i];
        }
        int first = Arrays.binarySearch(keys, searchKey(leaf, 0));
        if (first < 0) {
            return CpuidResult.ZERO;
        }
        if (!indexed[first]) {
            return values[first];
        }
        return leaf == 0xB || leaf == 0x1F ? CpuidTopology.invalidLevel(subleaf, x2apicId) : CpuidResult.ZERO;
    }

    private static long searchKey(int leaf, int subleaf) {
        return CpuidEntry.key(leaf, subleaf) ^ Long.MIN_VALUE;
    }

    private boolean inRange(int leaf) {
        int cls = leaf & CLASS_MASK;
        for (int c = 0; c < classBase.length; c++) {
            if (classBase[c] == cls) {
                return Integer.compareUnsigned(leaf, classMax[c]) <= 0;
            }
        }
        return false;
    }
}

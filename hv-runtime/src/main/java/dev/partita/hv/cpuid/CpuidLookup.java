package dev.partita.hv.cpuid;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * CPUID answers for one virtual processor from a plain entry list, such as the one a backend receives
 * through {@code BackendVcpu.installCpuid}: the same lookup rules as {@link CpuidModel#lookup} (Intel
 * out-of-range behaviour, zeros for holes and missing subleaves, leaves 0xB/0x1F echo the subleaf and
 * the x2APIC id). The x2APIC id is taken from leaf 0xB (EDX), else leaf 1 (EBX[31:24]).
 *
 * <p>Immutable; {@link #lookup} allocates nothing and may be called from any thread.
 */
public final class CpuidLookup {

    private final CpuidTable table;

    private CpuidLookup(CpuidTable table) {
        this.table = table;
    }

    /**
     * Builds the lookup.
     *
     * @throws IllegalArgumentException when the list has no leaf 0 or lists a leaf/subleaf twice
     */
    public static CpuidLookup of(List<CpuidEntry> entries) {
        List<CpuidEntry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparing(CpuidEntry::key, Long::compareUnsigned));
        int x2apicId = 0;
        for (CpuidEntry e : sorted) {
            if (e.leaf() == 1) {
                x2apicId = e.value().ebx() >>> 24;
            }
        }
        for (CpuidEntry e : sorted) {
            if (e.leaf() == 0xB && e.subleaf() == 0) {
                x2apicId = e.value().edx();
            }
        }
        return new CpuidLookup(new CpuidTable(sorted, x2apicId));
    }

    /** The result of CPUID with EAX = {@code leaf}, ECX = {@code subleaf}. */
    public CpuidResult lookup(int leaf, int subleaf) {
        return table.lookup(leaf, subleaf);
    }

    /** The highest basic leaf (leaf 0 EAX). */
    public int maxBasicLeaf() {
        return table.maxBasicLeaf();
    }
}

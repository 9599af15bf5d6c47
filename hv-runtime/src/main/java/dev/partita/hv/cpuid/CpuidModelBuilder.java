package dev.partita.hv.cpuid;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Builds a {@link CpuidModel}: profile, then the feature mask, then hypervisor leaf ranges (the
 * default {@link PartitaHypervisorLeaves} unless another range covers leaf 0x40000000), then
 * topology per virtual processor. Not thread-safe; use from one thread.
 */
public final class CpuidModelBuilder {

    /** The most virtual processors the topology encoding supports (leaf 1 EBX[31:24] is 8 bits). */
    public static final int MAX_VCPUS = 255;

    private final CpuidProfile profile;
    private final List<CpuidLeafRange> ranges = new ArrayList<>();
    private final Set<CpuFeature> hidden = EnumSet.noneOf(CpuFeature.class);
    private int vcpus = 1;

    CpuidModelBuilder(CpuidProfile profile) {
        this.profile = profile;
    }

    /** The number of virtual processors, 1..{@value #MAX_VCPUS}. */
    public CpuidModelBuilder vcpus(int count) {
        if (count < 1 || count > MAX_VCPUS) {
            throw new IllegalArgumentException("vCPU count must be 1.." + MAX_VCPUS + ", got " + count);
        }
        this.vcpus = count;
        return this;
    }

    /** Hides more features than {@link CpuidFeatureMask#HIDDEN}. */
    public CpuidModelBuilder hide(CpuFeature... features) {
        hidden.addAll(List.of(features));
        return this;
    }

    /**
     * Adds a leaf range that replaces whatever the profile had there (the extension hook for the
     * Hyper-V leaves). Ranges must not overlap each other.
     */
    public CpuidModelBuilder leafRange(CpuidLeafRange range) {
        if (Integer.compareUnsigned(range.firstLeaf(), range.lastLeaf()) > 0) {
            throw new IllegalArgumentException("CPUID leaf range is empty: " + hex(range.firstLeaf()) + ".." + hex(range.lastLeaf()));
        }
        for (CpuidLeafRange r : ranges) {
            if (Integer.compareUnsigned(range.firstLeaf(), r.lastLeaf()) <= 0
                    && Integer.compareUnsigned(r.firstLeaf(), range.lastLeaf()) <= 0) {
                throw new IllegalArgumentException("CPUID leaf range " + hex(range.firstLeaf()) + ".." + hex(range.lastLeaf())
                        + " overlaps " + hex(r.firstLeaf()) + ".." + hex(r.lastLeaf()));
            }
        }
        ranges.add(range);
        return this;
    }

    /** Builds the model. */
    public CpuidModel build() {
        SortedMap<Long, CpuidEntry> base = new TreeMap<>(Long::compareUnsigned);
        for (CpuidEntry e : profile.entries()) {
            if (base.put(e.key(), e) != null) {
                throw new IllegalArgumentException("CPUID profile " + profile.name() + " lists " + e + " twice");
            }
        }
        if (!base.containsKey(CpuidEntry.key(0, 0))) {
            throw new IllegalArgumentException("CPUID profile " + profile.name() + " has no leaf 0");
        }
        CpuidFeatureMask.apply(base, hidden);
        List<CpuidLeafRange> all = new ArrayList<>(ranges);
        boolean hypervisorCovered = all.stream().anyMatch(r -> contains(r, PartitaHypervisorLeaves.HYPERVISOR_BASE));
        if (!hypervisorCovered) {
            all.add(new PartitaHypervisorLeaves());
        }
        for (CpuidLeafRange r : all) {
            base.values().removeIf(e -> contains(r, e.leaf()));
        }
        CpuidTable[] tables = new CpuidTable[vcpus];
        for (int v = 0; v < vcpus; v++) {
            SortedMap<Long, CpuidEntry> mine = new TreeMap<>(Long::compareUnsigned);
            for (CpuidEntry e : CpuidTopology.forVcpu(base, v, vcpus)) {
                mine.put(e.key(), e);
            }
            for (CpuidLeafRange r : all) {
                for (CpuidEntry e : r.entries(v, vcpus)) {
                    if (!contains(r, e.leaf())) {
                        throw new IllegalArgumentException("CPUID leaf range " + hex(r.firstLeaf()) + ".." + hex(r.lastLeaf())
                                + " produced leaf " + hex(e.leaf()) + " outside itself");
                    }
                    if (mine.put(e.key(), e) != null) {
                        throw new IllegalArgumentException("CPUID leaf range produced " + e + " twice");
                    }
                }
            }
            tables[v] = new CpuidTable(new ArrayList<>(mine.values()), CpuidTopology.apicId(v));
        }
        return new CpuidModel(profile, tables);
    }

    private static boolean contains(CpuidLeafRange r, int leaf) {
        return Integer.compareUnsigned(leaf, r.firstLeaf()) >= 0 && Integer.compareUnsigned(leaf, r.lastLeaf()) <= 0;
    }

    private static String hex(int v) {
        return "0x" + Integer.toHexString(v);
    }
}

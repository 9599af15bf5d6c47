package dev.partita.hv.cpuid;

import java.util.List;

/**
 * An extension hook: a contiguous range of leaves whose contents a component other than the CPUID
 * model decides, e.g. the Hyper-V interface leaves 0x40000000-0x400000FF. When a range is added to a
 * {@link CpuidModelBuilder}, every entry of the profile inside [{@link #firstLeaf()}, {@link #lastLeaf()}]
 * is dropped and replaced by {@link #entries(int, int)}. The first leaf of the range must report the
 * range's highest leaf in EAX, as CPUID range base leaves do (0x40000000, 0x80000000).
 *
 * <p>Called only while a model is built, on the building thread.
 */
public interface CpuidLeafRange {

    /** The first leaf of the range (inclusive), e.g. 0x40000000. */
    int firstLeaf();

    /** The last leaf of the range (inclusive), e.g. 0x400000FF. */
    int lastLeaf();

    /**
     * The entries this range contributes for one virtual processor. Every entry's leaf must lie
     * inside the range.
     *
     * @param vcpuIndex the virtual processor, 0-based (equal to its APIC id)
     * @param vcpuCount how many virtual processors the partition has
     */
    List<CpuidEntry> entries(int vcpuIndex, int vcpuCount);
}

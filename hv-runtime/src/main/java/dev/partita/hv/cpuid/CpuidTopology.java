package dev.partita.hv.cpuid;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;

/**
 * Writes Partita's processor topology into a CPUID table for one virtual processor. The topology is
 * one package with one core per virtual processor and one thread per core; the APIC id (xAPIC and
 * x2APIC) of virtual processor {@code i} is {@code i}.
 *
 * <ul>
 *   <li>leaf 1: EBX[31:24] initial APIC id, EBX[23:16] addressable logical ids (power of two),
 *       EDX.HTT set when there is more than one virtual processor;</li>
 *   <li>leaf 4: EAX[31:26] addressable core ids - 1, EAX[25:14] ids sharing the cache - 1
 *       (L1/L2 private, L3 shared by the package);</li>
 *   <li>leaves 0xB and 0x1F (when the profile implements them): SMT level (1 thread), core level
 *       (all virtual processors), then an invalid level; EDX = x2APIC id for every subleaf;</li>
 *   <li>leaf 0x80000008: ECX[7:0] cores - 1, ECX[15:12] APIC id bits for the core id.</li>
 * </ul>
 *
 * <p>Stateless; safe from any thread.
 */
public final class CpuidTopology {

    /** Leaf 0xB / 0x1F level types (ECX[15:8]). */
    static final int LEVEL_INVALID = 0, LEVEL_SMT = 1, LEVEL_CORE = 2;

    private CpuidTopology() {}

    /** The x2APIC id Partita gives a virtual processor. */
    public static int apicId(int vcpuIndex) {
        return vcpuIndex;
    }

    /** Bits needed to number {@code count} things: ceil(log2(count)), 0 for 1. */
    static int idBits(int count) {
        return count <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(count - 1);
    }

    /**
     * The entries of one virtual processor.
     *
     * @param base masked entries shared by all virtual processors, keyed by {@link CpuidEntry#key()}
     */
    static List<CpuidEntry> forVcpu(SortedMap<Long, CpuidEntry> base, int vcpuIndex, int vcpuCount) {
        int apicId = apicId(vcpuIndex);
        int bits = idBits(vcpuCount);
        int addressable = 1 << bits;
        int maxBasic = base.containsKey(CpuidEntry.key(0, 0)) ? base.get(CpuidEntry.key(0, 0)).value().eax() : 0;
        boolean hasLeafB = implemented(base, 0xB) && Integer.compareUnsigned(maxBasic, 0xB) >= 0;
        boolean hasLeaf1F = implemented(base, 0x1F) && Integer.compareUnsigned(maxBasic, 0x1F) >= 0;
        List<CpuidEntry> out = new ArrayList<>(base.size() + 4);
        for (CpuidEntry e : base.values()) {
            CpuidResult v = e.value();
            switch (e.leaf()) {
                case 0x1 -> {
                    int ebx = (v.ebx() & 0x0000_FFFF) | (apicId << 24) | ((addressable & 0xFF) << 16);
                    int edx = vcpuCount > 1 ? v.edx() | CpuFeature.HTT.mask() : v.edx() & ~CpuFeature.HTT.mask();
                    out.add(e.withValue(new CpuidResult(v.eax(), ebx, v.ecx(), edx)));
                }
                case 0x4 -> {
                    if ((v.eax() & 0x1F) == 0) {
                        out.add(e); // no cache at this subleaf
                    } else {
                        int level = (v.eax() >>> 5) & 0x7;
                        int sharing = level >= 3 ? addressable - 1 : 0;
                        int eax = (v.eax() & 0x0000_3FFF) | ((addressable - 1) << 26) | ((sharing & 0xFFF) << 14);
                        out.add(e.withValue(v.with(CpuidRegister.EAX, eax)));
                    }
                }
                case 0xB, 0x1F -> { /* regenerated below */ }
                case 0x8000_0008 -> out.add(e.withValue(v.with(CpuidRegister.ECX, ((bits & 0xF) << 12) | ((vcpuCount - 1) & 0xFF))));
                default -> out.add(e);
            }
        }
        if (hasLeafB) {
            out.addAll(extendedTopology(0xB, apicId, bits, vcpuCount));
        }
        if (hasLeaf1F) {
            out.addAll(extendedTopology(0x1F, apicId, bits, vcpuCount));
        }
        return out;
    }

    /** The three subleaves of leaf 0xB or 0x1F for one virtual processor. */
    static List<CpuidEntry> extendedTopology(int leaf, int x2apicId, int coreBits, int vcpuCount) {
        return List.of(
                CpuidEntry.indexed(leaf, 0, 0, 1, (LEVEL_SMT << 8), x2apicId),
                CpuidEntry.indexed(leaf, 1, coreBits, vcpuCount, (LEVEL_CORE << 8) | 1, x2apicId),
                CpuidEntry.indexed(leaf, 2, 0, 0, (LEVEL_INVALID << 8) | 2, x2apicId));
    }

    /**
     * What leaf 0xB or 0x1F returns for a subleaf past the last level: level type invalid, ECX[7:0]
     * echoes the subleaf, EDX is still the x2APIC id.
     */
    static CpuidResult invalidLevel(int subleaf, int x2apicId) {
        return new CpuidResult(0, 0, subleaf & 0xFF, x2apicId);
    }

    private static boolean implemented(SortedMap<Long, CpuidEntry> base, int leaf) {
        for (CpuidEntry e : base.subMap(CpuidEntry.key(leaf, 0), CpuidEntry.key(leaf + 1, 0)).values()) {
            if (e.leaf() == leaf) {
                return true;
            }
        }
        return false;
    }
}

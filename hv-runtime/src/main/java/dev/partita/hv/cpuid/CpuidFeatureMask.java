package dev.partita.hv.cpuid;

import static dev.partita.hv.cpuid.CpuFeature.*;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;

/**
 * What Partita hides from guests, whatever the host offers: nested virtualization (VMX, SVM, SMX,
 * SKINIT), performance monitoring (PDCM, leaf 0xA, AMD core/NB/LLC counters and IBS), transactional
 * memory (HLE, RTM, TSXLDTRK and the TSX status bits), SGX, processor trace, resource director
 * technology, platform-specific power and debug features (DS, ACPI thermal, TM/TM2, EST, xTPR, DCA,
 * SDBG, ARCH_LBR), MONITOR/MWAIT, AMD topology extensions (leaves 0x8000001D/1E) and every host
 * hypervisor leaf (0x40000000-0x4FFFFFFF, which on KVM carry the "KVMKVMKVM" paravirt interface).
 * It sets the hypervisor-present bit.
 *
 * <p>OSXSAVE and OSPKE are cleared too: they mirror the guest's CR4 and are computed at CPUID time
 * (by KVM itself, and by the emulator from its CR4), never fixed in the table.
 *
 * <p>Stateless; safe from any thread.
 */
public final class CpuidFeatureMask {

    /** Features cleared in every model. */
    public static final Set<CpuFeature> HIDDEN = EnumSet.of(
            // nested virtualization
            VMX, SMX, SVM, SKINIT,
            // performance monitoring
            PDCM, PERFCTR_CORE, PERFCTR_NB, PERFCTR_LLC, IBS, ARCH_LBR, DS, DTES64, DS_CPL,
            // transactional memory
            HLE, RTM, TSXLDTRK, RTM_ALWAYS_ABORT, TSX_FORCE_ABORT,
            // enclaves, trace, resource director, memory encryption, platform config
            SGX, SGX_LC, INTEL_PT, RDT_M, RDT_A, TME, PCONFIG, MPX, PKS,
            // power management, thermal, platform
            MONITOR, MWAITX, WAITPKG, EST, TM, TM2, ACPI, PBE, PSN, XTPR, DCA, SDBG, WDT, LWP, HYBRID_CPU, UINTR,
            // topology extensions we do not describe, and the legacy multi-core bit (see CpuidTopology)
            TOPOEXT, CMP_LEGACY,
            // computed from the guest's CR4 at CPUID time
            OSXSAVE, OSPKE);

    /** Leaves removed entirely; a removed leaf inside the valid range reads as zeros. */
    public static final List<Integer> REMOVED_LEAVES = List.of(
            0x5,          // MONITOR/MWAIT parameters
            0xA,          // architectural performance monitoring
            0xF, 0x10,    // resource director technology
            0x12,         // SGX
            0x14,         // processor trace
            0x1B,         // PCONFIG
            0x8000_000A,  // SVM revision and features
            0x8000_001B,  // IBS
            0x8000_001D,  // AMD cache topology (needs TOPOEXT)
            0x8000_001E,  // AMD extended APIC id / core id (needs TOPOEXT)
            0x8000_001F,  // SEV
            0x8000_0022); // AMD performance monitoring v2

    private CpuidFeatureMask() {}

    /**
     * Applies the mask in place.
     *
     * @param table entries keyed by {@link CpuidEntry#key()}, ordered unsigned
     * @param extraHidden further features the caller hides
     */
    static void apply(SortedMap<Long, CpuidEntry> table, Set<CpuFeature> extraHidden) {
        table.values().removeIf(e -> isHypervisorClass(e.leaf()) || REMOVED_LEAVES.contains(e.leaf()));
        EnumSet<CpuFeature> hidden = EnumSet.copyOf(HIDDEN);
        hidden.addAll(extraHidden);
        for (CpuFeature f : hidden) {
            CpuidEntry e = table.get(CpuidEntry.key(f.leaf(), f.subleaf()));
            if (e != null) {
                table.put(e.key(), e.withValue(e.value().clear(f.register(), f.mask())));
            }
        }
        CpuidEntry leaf1 = table.get(CpuidEntry.key(1, 0));
        if (leaf1 != null) {
            table.put(leaf1.key(), leaf1.withValue(leaf1.value().set(HYPERVISOR.register(), HYPERVISOR.mask())));
        }
    }

    static boolean isHypervisorClass(int leaf) {
        return (leaf & 0xF000_0000) == 0x4000_0000;
    }
}

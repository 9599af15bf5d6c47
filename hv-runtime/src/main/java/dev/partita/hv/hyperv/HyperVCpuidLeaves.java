package dev.partita.hv.hyperv;

import dev.partita.hv.cpuid.CpuidEntry;
import dev.partita.hv.cpuid.CpuidLeafRange;
import dev.partita.hv.cpuid.PartitaHypervisorLeaves;

import java.util.List;

/**
 * The hypervisor CPUID leaves 0x40000000-0x400000FF as a Hyper-V guest expects them: vendor
 * "Microsoft Hv", interface "Hv#1", the privileges this package implements and no others, and
 * explicit zeros for 0x40000080-0x40000082 (read unconditionally by Linux). Replaces the default
 * {@link PartitaHypervisorLeaves}; no leaf carries a KVM signature (the CPUID model drops the
 * backend's own hypervisor leaves).
 *
 * <p>Immutable; safe from any thread.
 */
public final class HyperVCpuidLeaves implements CpuidLeafRange {

    /** The highest standard Hyper-V leaf reported in 0x40000000.EAX (HYPERV_CPUID_MIN is 0x40000005). */
    public static final int MAX_LEAF = 0x4000_0006;
    /** Vendor signature in EBX, ECX, EDX order. */
    public static final String VENDOR = "Microsoft Hv";
    /** 0x40000001.EAX: "Hv#1" (HvMicrosoftHypervisorInterface). */
    public static final int INTERFACE_HV1 = 0x3123_7648;

    // 0x40000003.EAX: partition privileges, low half (HV_MSR_*_AVAILABLE / HV_ACCESS_* in Linux)
    /** Bit 1: TIME_REF_COUNT MSR (HV_MSR_TIME_REF_COUNT_AVAILABLE); not in {@link #FEATURES_EAX}, see there. */
    public static final int PRIV_TIME_REF_COUNT = 1 << 1;
    /** Bit 2: SynIC MSRs (HV_MSR_SYNIC_AVAILABLE). */
    public static final int PRIV_SYNIC = 1 << 2;
    /** Bit 3: synthetic timer MSRs (HV_MSR_SYNTIMER_AVAILABLE). */
    public static final int PRIV_SYNTHETIC_TIMERS = 1 << 3;
    /** Bit 9: REFERENCE_TSC MSR (HV_MSR_REFERENCE_TSC_AVAILABLE). */
    public static final int PRIV_REFERENCE_TSC = 1 << 9;
    /** Bit 5: GUEST_OS_ID and HYPERCALL MSRs (HV_MSR_HYPERCALL_AVAILABLE). */
    public static final int PRIV_HYPERCALL = 1 << 5;
    /** Bit 6: VP_INDEX MSR (HV_MSR_VP_INDEX_AVAILABLE). */
    public static final int PRIV_VP_INDEX = 1 << 6;
    /** Bit 15: TSC_INVARIANT_CONTROL MSR (HV_ACCESS_TSC_INVARIANT). */
    public static final int PRIV_TSC_INVARIANT = 1 << 15;
    // 0x40000003.EBX: partition privileges, high half
    /** EBX bit 4: HvPostMessage (HV_POST_MESSAGES). */
    public static final int PRIV_POST_MESSAGES = 1 << 4;
    /** EBX bit 5: HvSignalEvent (HV_SIGNAL_EVENTS). */
    public static final int PRIV_SIGNAL_EVENTS = 1 << 5;
    // 0x40000003.EDX: features
    /** EDX bit 10: crash MSRs (HV_FEATURE_GUEST_CRASH_MSR_AVAILABLE). */
    public static final int FEATURE_CRASH_MSRS = 1 << 10;
    /** EDX bit 19: synthetic timers in direct mode (HV_STIMER_DIRECT_MODE_AVAILABLE). */
    public static final int FEATURE_STIMER_DIRECT_MODE = 1 << 19;
    // 0x40000004.EAX: recommendations
    /** Bit 9: do not use auto-EOI for SINTs (HV_DEPRECATING_AEOI_RECOMMENDED). */
    public static final int HINT_DEPRECATING_AUTO_EOI = 1 << 9;
    /** Bit 2: use the flush hypercalls for remote TLB flushes (HV_X64_REMOTE_TLB_FLUSH_RECOMMENDED). */
    public static final int HINT_REMOTE_TLB_FLUSH = 1 << 2;
    /** Bit 10: use the IPI hypercalls (HV_X64_CLUSTER_IPI_RECOMMENDED). */
    public static final int HINT_CLUSTER_IPI = 1 << 10;
    /** Bit 11: the Ex (processor set) forms are available (HV_X64_EX_PROCESSOR_MASKS_RECOMMENDED). */
    public static final int HINT_EX_PROCESSOR_MASKS = 1 << 11;

    /**
     * The privilege bits of 0x40000003.EAX of the base interface. TIME_REF_COUNT is implemented
     * but advertised only together with the reference TSC page: Linux 6.1, seeing bit 1 without the
     * page, registers the MSR as its sched_clock, so every scheduler clock read would be an MSR
     * exit. Without bit 1 the guest keeps the TSC (made reliable by bit 15) and still reads the MSR
     * where it needs partition time (hv_utils time sync reads it unconditionally).
     */
    public static final int FEATURES_EAX = PRIV_SYNIC | PRIV_HYPERCALL | PRIV_VP_INDEX | PRIV_TSC_INVARIANT;
    /** The privilege bits of 0x40000003.EBX of the base interface. */
    public static final int FEATURES_EBX = PRIV_POST_MESSAGES | PRIV_SIGNAL_EVENTS;

    /** Reported hypervisor version (0x40000002): build number in EAX, major.minor in EBX. */
    static final int VERSION_BUILD = 1;
    static final int VERSION_MAJOR = 1;
    static final int VERSION_MINOR = 0;

    private final int featuresEax;
    private final int featuresEdx;
    private final int hints;

    /** The base interface: no optional enlightenment advertised. */
    public HyperVCpuidLeaves() {
        this(Enlightenments.NONE, false);
    }

    /**
     * The leaves for {@code offered} (as the partition can provide them: pass the enlightenments
     * actually implemented); the reference time bits (TIME_REF_COUNT and REFERENCE_TSC) only when
     * {@code tscPage} says the reference TSC page can be provided.
     */
    public HyperVCpuidLeaves(Enlightenments offered, boolean tscPage) {
        int h = HINT_DEPRECATING_AUTO_EOI;
        if (offered.tlbFlush()) {
            h |= HINT_REMOTE_TLB_FLUSH | HINT_EX_PROCESSOR_MASKS;
        }
        if (offered.ipi()) {
            h |= HINT_CLUSTER_IPI | HINT_EX_PROCESSOR_MASKS;
        }
        this.hints = h;
        int eax = FEATURES_EAX;
        int edx = 0;
        if (offered.referenceTime() && tscPage) {
            eax |= PRIV_TIME_REF_COUNT | PRIV_REFERENCE_TSC;
        }
        if (offered.syntheticTimers()) {
            eax |= PRIV_SYNTHETIC_TIMERS;
            edx |= FEATURE_STIMER_DIRECT_MODE;
        }
        if (offered.crashReports()) {
            edx |= FEATURE_CRASH_MSRS;
        }
        this.featuresEax = eax;
        this.featuresEdx = edx;
    }

    /** 0x40000003.EAX as installed. */
    public int featuresEax() {
        return featuresEax;
    }

    /** 0x40000004.EAX (recommendations) as installed. */
    public int hints() {
        return hints;
    }

    /** 0x40000003.EDX as installed. */
    public int featuresEdx() {
        return featuresEdx;
    }

    @Override
    public int firstLeaf() {
        return PartitaHypervisorLeaves.HYPERVISOR_BASE;
    }

    @Override
    public int lastLeaf() {
        return PartitaHypervisorLeaves.HYPERVISOR_LAST;
    }

    @Override
    public List<CpuidEntry> entries(int vcpuIndex, int vcpuCount) {
        int[] vendor = PartitaHypervisorLeaves.signatureWords(VENDOR);
        return List.of(
                CpuidEntry.of(0x4000_0000, MAX_LEAF, vendor[0], vendor[1], vendor[2]),
                CpuidEntry.of(0x4000_0001, INTERFACE_HV1, 0, 0, 0),
                CpuidEntry.of(0x4000_0002, VERSION_BUILD, VERSION_MAJOR << 16 | VERSION_MINOR, 0, 0),
                CpuidEntry.of(0x4000_0003, featuresEax, FEATURES_EBX, 0, featuresEdx),
                // EBX: spinlock retry count, all ones = never notify
                CpuidEntry.of(0x4000_0004, hints, 0xFFFF_FFFF, 0, 0),
                // implementation limits: virtual and logical processors
                CpuidEntry.of(0x4000_0005, vcpuCount, vcpuCount, 0, 0),
                CpuidEntry.of(0x4000_0006, 0, 0, 0, 0),
                CpuidEntry.of(0x4000_0080, 0, 0, 0, 0),
                CpuidEntry.of(0x4000_0081, 0, 0, 0, 0),
                CpuidEntry.of(0x4000_0082, 0, 0, 0, 0));
    }
}

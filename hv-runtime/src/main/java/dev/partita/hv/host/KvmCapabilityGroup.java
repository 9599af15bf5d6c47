package dev.partita.hv.host;

import java.util.Set;

/** How the probe groups KVM capabilities for people. The JSON key of each is {@link #key()}. */
public enum KvmCapabilityGroup {
    LIMITS("limits", "limits"),
    MEMORY("memory", "memory"),
    INTERRUPTS("interrupts", "interrupts"),
    VCPU_STATE("vcpu_state", "vCPU state"),
    EXITS("exits", "exits, MSRs"),
    TIME("time", "time"),
    HYPERV("hyperv", "Hyper-V"),
    OTHER("other", "other");

    private static final Set<String> LIMIT_NAMES = Set.of("NR_VCPUS", "MAX_VCPUS", "MAX_VCPU_ID", "NR_MEMSLOTS",
            "MULTI_ADDRESS_SPACE", "VM_TYPES", "VM_GPA_BITS");
    private static final Set<String> MEMORY_NAMES = Set.of("USER_MEMORY", "USER_MEMORY2", "READONLY_MEM",
            "SYNC_MMU", "SET_TSS_ADDR", "SET_IDENTITY_MAP_ADDR", "COALESCED_MMIO", "COALESCED_PIO", "DIRTY_LOG_RING",
            "DIRTY_LOG_RING_ACQ_REL", "MANUAL_DIRTY_LOG_PROTECT", "MANUAL_DIRTY_LOG_PROTECT2", "GUEST_MEMFD",
            "MMU_SHADOW_CACHE_CONTROL", "DESTROY_MEMORY_REGION_WORKS", "JOIN_MEMORY_REGIONS_WORKS", "SMALLER_MAXPHYADDR",
            "VM_DISABLE_NX_HUGE_PAGES", "MEMORY_ATTRIBUTES",
            "PRE_FAULT_MEMORY", "NR_MEMSLOTS", "X86_DISABLE_EXITS");
    private static final Set<String> INTERRUPT_NAMES = Set.of("IRQCHIP", "PIT", "PIT2", "PIT_STATE2", "IRQFD",
            "IRQFD_RESAMPLE", "IOEVENTFD", "IOEVENTFD_ANY_LENGTH", "IOEVENTFD_NO_LENGTH", "IOAPIC_POLARITY_IGNORED", "IRQ_ROUTING", "IRQ_INJECT_STATUS",
            "SPLIT_IRQCHIP", "X2APIC_API", "SIGNAL_MSI", "MSI_DEVID", "SET_BOOT_CPU_ID", "IRQ_MPIC", "INTERNAL_ERROR_DATA",
            "IRQ_LINE", "HLT", "EXT_CPUID", "TSC_DEADLINE_TIMER", "APIC_BUS_CYCLES_NS");
    private static final Set<String> VCPU_STATE_NAMES = Set.of("XSAVE", "XSAVE2", "XCRS", "VCPU_EVENTS",
            "DEBUGREGS", "NESTED_STATE", "MCE", "SYNC_REGS", "MP_STATE", "ENABLE_CAP", "ENABLE_CAP_VM",
            "X86_ROBUST_SINGLESTEP", "EXCEPTION_PAYLOAD", "CPUID", "EXT_EMUL_CPUID", "GET_MSR_FEATURES",
            "XSAVE_FP", "VCPU_ATTRIBUTES", "SREGS2", "ONE_REG", "LAST_CPU", "DEVICE_CTRL", "VM_ATTRIBUTES", "X86_TRIPLE_FAULT_EVENT");
    private static final Set<String> EXIT_NAMES = Set.of("X86_USER_SPACE_MSR", "X86_MSR_FILTER", "EXIT_HYPERCALL",
            "IMMEDIATE_EXIT", "SET_GUEST_DEBUG", "SET_GUEST_DEBUG2", "NOP_IO_DELAY", "X86_BUS_LOCK_EXIT",
            "X86_NOTIFY_VMEXIT", "EXIT_ON_EMULATION_FAILURE", "MSR_PLATFORM_INFO", "X86_GUEST_MODE",
            "DISABLE_QUIRKS", "DISABLE_QUIRKS2", "USER_NMI", "SMI", "X86_SMM", "REINJECT_CONTROL",
            "INTR_SHADOW", "VAPIC", "TPR_ACCESS_REPORTING", "BINARY_STATS_FD", "PMU_CAPABILITY",
            "X86_APIC_BUS_CYCLES_NS", "X86_USER_SPACE_MSR2", "GUEST_DEBUG_HW_BPS", "GUEST_DEBUG_HW_WPS",
            "PMU_EVENT_FILTER", "SYSTEM_EVENT_DATA", "HALT_POLL");
    private static final Set<String> TIME_NAMES = Set.of("GET_TSC_KHZ", "TSC_CONTROL", "ADJUST_CLOCK",
            "KVMCLOCK_CTRL", "VM_TSC_CONTROL", "SYSTEM_TIME", "CLOCKSOURCE", "STEAL_TIME", "PTP_KVM");

    private final String key;
    private final String title;

    KvmCapabilityGroup(String key, String title) {
        this.key = key;
        this.title = title;
    }

    /** Stable identifier used in JSON. */
    public String key() {
        return key;
    }

    /** Heading for people. */
    public String title() {
        return title;
    }

    /** The group of a capability name given without its {@code KVM_CAP_} prefix. */
    public static KvmCapabilityGroup of(String name) {
        if (name.contains("HYPERV")) {
            return HYPERV;
        }
        if (LIMIT_NAMES.contains(name)) {
            return LIMITS;
        }
        if (MEMORY_NAMES.contains(name)) {
            return MEMORY;
        }
        if (INTERRUPT_NAMES.contains(name)) {
            return INTERRUPTS;
        }
        if (TIME_NAMES.contains(name)) {
            return TIME;
        }
        if (VCPU_STATE_NAMES.contains(name)) {
            return VCPU_STATE;
        }
        if (EXIT_NAMES.contains(name)) {
            return EXITS;
        }
        return OTHER;
    }
}

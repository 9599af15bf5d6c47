package dev.partita.nativebindings.kvm;

/**
 * Header class for {@code <linux/kvm.h>} with {@code <asm/kvm.h>} (x86-64): ioctl request numbers,
 * capabilities, exit reasons and flag values, grouped by what they belong to, plus name tables for
 * messages and for listing capabilities. Values are those of the host headers the layout test
 * compiles against (Linux 6.1 uapi here); ioctl numbers are {@code unsigned long} in C and kept
 * as non-negative Java {@code long}s. Stateless and thread-safe.
 *
 * <p>Why one class of this length: it has the shape jextract generates, one header class holding
 * the header's constants, and its length is the number of constants Partita uses from
 * {@code <linux/kvm.h>}; it holds no logic and its values are checked against the host header by
 * the layout test.
 */
public final class Kvm_h {
    private Kvm_h() {}

    // ---- API ----
    public static final int KVM_API_VERSION = 12;
    public static final int KVMIO = 174;

    // ---- ioctls on the /dev/kvm fd (also KVM_CHECK_EXTENSION on a VM fd) ----
    /** {@code _IO(KVMIO, 0x00)} */
    public static final long KVM_GET_API_VERSION = 0xAE00L;
    /** {@code _IO(KVMIO, 0x01)} */
    public static final long KVM_CREATE_VM = 0xAE01L;
    /** {@code _IOWR(KVMIO, 0x02, struct kvm_msr_list)} */
    public static final long KVM_GET_MSR_INDEX_LIST = 0xC004AE02L;
    /** {@code _IO(KVMIO, 0x03)} */
    public static final long KVM_CHECK_EXTENSION = 0xAE03L;
    /** {@code _IO(KVMIO, 0x04)} */
    public static final long KVM_GET_VCPU_MMAP_SIZE = 0xAE04L;
    /** {@code _IOWR(KVMIO, 0x05, struct kvm_cpuid2)} */
    public static final long KVM_GET_SUPPORTED_CPUID = 0xC008AE05L;
    /** {@code _IOWR(KVMIO, 0x09, struct kvm_cpuid2)} */
    public static final long KVM_GET_EMULATED_CPUID = 0xC008AE09L;
    /** {@code _IOWR(KVMIO, 0x0a, struct kvm_msr_list)} */
    public static final long KVM_GET_MSR_FEATURE_INDEX_LIST = 0xC004AE0AL;
    /** {@code _IOWR(KVMIO, 0xc1, struct kvm_cpuid2)} */
    public static final long KVM_GET_SUPPORTED_HV_CPUID = 0xC008AEC1L;

    // ---- ioctls on a VM fd ----
    /** {@code _IO(KVMIO, 0x41)} */
    public static final long KVM_CREATE_VCPU = 0xAE41L;
    /** {@code _IOW(KVMIO, 0x42, struct kvm_dirty_log)} */
    public static final long KVM_GET_DIRTY_LOG = 0x4010AE42L;
    /** {@code _IOW(KVMIO, 0x46, struct kvm_userspace_memory_region)} */
    public static final long KVM_SET_USER_MEMORY_REGION = 0x4020AE46L;
    /** {@code _IO(KVMIO, 0x47)} */
    public static final long KVM_SET_TSS_ADDR = 0xAE47L;
    /** {@code _IOW(KVMIO, 0x48, __u64)} */
    public static final long KVM_SET_IDENTITY_MAP_ADDR = 0x4008AE48L;
    /** {@code _IO(KVMIO, 0x60)} */
    public static final long KVM_CREATE_IRQCHIP = 0xAE60L;
    /** {@code _IOW(KVMIO, 0x61, struct kvm_irq_level)} */
    public static final long KVM_IRQ_LINE = 0x4008AE61L;
    /** {@code _IOWR(KVMIO, 0x62, struct kvm_irqchip)} */
    public static final long KVM_GET_IRQCHIP = 0xC208AE62L;
    /** {@code _IOR(KVMIO, 0x63, struct kvm_irqchip)} */
    public static final long KVM_SET_IRQCHIP = 0x8208AE63L;
    /** {@code _IOWR(KVMIO, 0x67, struct kvm_irq_level)} */
    public static final long KVM_IRQ_LINE_STATUS = 0xC008AE67L;
    /** {@code _IOW(KVMIO, 0x67, struct kvm_coalesced_mmio_zone)} */
    public static final long KVM_REGISTER_COALESCED_MMIO = 0x4010AE67L;
    /** {@code _IOW(KVMIO, 0x68, struct kvm_coalesced_mmio_zone)} */
    public static final long KVM_UNREGISTER_COALESCED_MMIO = 0x4010AE68L;
    /** {@code _IOW(KVMIO, 0x6a, struct kvm_irq_routing)} */
    public static final long KVM_SET_GSI_ROUTING = 0x4008AE6AL;
    /** {@code _IO(KVMIO, 0x71)} */
    public static final long KVM_REINJECT_CONTROL = 0xAE71L;
    /** {@code _IOW(KVMIO, 0x76, struct kvm_irqfd)} */
    public static final long KVM_IRQFD = 0x4020AE76L;
    /** {@code _IOW(KVMIO, 0x77, struct kvm_pit_config)} */
    public static final long KVM_CREATE_PIT2 = 0x4040AE77L;
    /** {@code _IO(KVMIO, 0x78)} */
    public static final long KVM_SET_BOOT_CPU_ID = 0xAE78L;
    /** {@code _IOW(KVMIO, 0x79, struct kvm_ioeventfd)} */
    public static final long KVM_IOEVENTFD = 0x4040AE79L;
    /** {@code _IOW(KVMIO, 0x7b, struct kvm_clock_data)} */
    public static final long KVM_SET_CLOCK = 0x4030AE7BL;
    /** {@code _IOR(KVMIO, 0x7c, struct kvm_clock_data)} */
    public static final long KVM_GET_CLOCK = 0x8030AE7CL;
    /** {@code _IOR(KVMIO, 0x9f, struct kvm_pit_state2)} */
    public static final long KVM_GET_PIT2 = 0x8070AE9FL;
    /** {@code _IOW(KVMIO, 0xa0, struct kvm_pit_state2)} */
    public static final long KVM_SET_PIT2 = 0x4070AEA0L;
    /** {@code _IOW(KVMIO, 0xa5, struct kvm_msi)} */
    public static final long KVM_SIGNAL_MSI = 0x4020AEA5L;
    /** {@code _IOW(KVMIO, 0xa3, struct kvm_enable_cap)} */
    public static final long KVM_ENABLE_CAP = 0x4068AEA3L;
    /** {@code _IOWR(KVMIO, 0xc0, struct kvm_clear_dirty_log)} */
    public static final long KVM_CLEAR_DIRTY_LOG = 0xC018AEC0L;
    /** {@code _IOW(KVMIO, 0xc6, struct kvm_msr_filter)} */
    public static final long KVM_X86_SET_MSR_FILTER = 0x4188AEC6L;
    /** {@code _IOW(KVMIO, 0xbd, struct kvm_hyperv_eventfd)} */
    public static final long KVM_HYPERV_EVENTFD = 0x4018AEBDL;
    /** {@code _IO(KVMIO, 0x44)} */
    public static final long KVM_SET_NR_MMU_PAGES = 0xAE44L;

    // ---- ioctls on a vCPU fd (KVM_ENABLE_CAP also works here) ----
    /** {@code _IO(KVMIO, 0x80)} */
    public static final long KVM_RUN = 0xAE80L;
    /** {@code _IOR(KVMIO, 0x81, struct kvm_regs)} */
    public static final long KVM_GET_REGS = 0x8090AE81L;
    /** {@code _IOW(KVMIO, 0x82, struct kvm_regs)} */
    public static final long KVM_SET_REGS = 0x4090AE82L;
    /** {@code _IOR(KVMIO, 0x83, struct kvm_sregs)} */
    public static final long KVM_GET_SREGS = 0x8138AE83L;
    /** {@code _IOW(KVMIO, 0x84, struct kvm_sregs)} */
    public static final long KVM_SET_SREGS = 0x4138AE84L;
    /** {@code _IOWR(KVMIO, 0x85, struct kvm_translation)} */
    public static final long KVM_TRANSLATE = 0xC018AE85L;
    /** {@code _IOW(KVMIO, 0x86, struct kvm_interrupt)} */
    public static final long KVM_INTERRUPT = 0x4004AE86L;
    /** {@code _IOWR(KVMIO, 0x88, struct kvm_msrs)} */
    public static final long KVM_GET_MSRS = 0xC008AE88L;
    /** {@code _IOW(KVMIO, 0x89, struct kvm_msrs)} */
    public static final long KVM_SET_MSRS = 0x4008AE89L;
    /** {@code _IOW(KVMIO, 0x8b, struct kvm_signal_mask)} */
    public static final long KVM_SET_SIGNAL_MASK = 0x4004AE8BL;
    /** {@code _IOR(KVMIO, 0x8c, struct kvm_fpu)} */
    public static final long KVM_GET_FPU = 0x81A0AE8CL;
    /** {@code _IOW(KVMIO, 0x8d, struct kvm_fpu)} */
    public static final long KVM_SET_FPU = 0x41A0AE8DL;
    /** {@code _IOR(KVMIO, 0x8e, struct kvm_lapic_state)} */
    public static final long KVM_GET_LAPIC = 0x8400AE8EL;
    /** {@code _IOW(KVMIO, 0x8f, struct kvm_lapic_state)} */
    public static final long KVM_SET_LAPIC = 0x4400AE8FL;
    /** {@code _IOW(KVMIO, 0x90, struct kvm_cpuid2)} */
    public static final long KVM_SET_CPUID2 = 0x4008AE90L;
    /** {@code _IOWR(KVMIO, 0x91, struct kvm_cpuid2)} */
    public static final long KVM_GET_CPUID2 = 0xC008AE91L;
    /** {@code _IOR(KVMIO, 0x98, struct kvm_mp_state)} */
    public static final long KVM_GET_MP_STATE = 0x8004AE98L;
    /** {@code _IOW(KVMIO, 0x99, struct kvm_mp_state)} */
    public static final long KVM_SET_MP_STATE = 0x4004AE99L;
    /** {@code _IO(KVMIO, 0x9a)} */
    public static final long KVM_NMI = 0xAE9AL;
    /** {@code _IOW(KVMIO, 0x9b, struct kvm_guest_debug)} */
    public static final long KVM_SET_GUEST_DEBUG = 0x4048AE9BL;
    /** {@code _IOR(KVMIO, 0x9f, struct kvm_vcpu_events)} */
    public static final long KVM_GET_VCPU_EVENTS = 0x8040AE9FL;
    /** {@code _IOW(KVMIO, 0xa0, struct kvm_vcpu_events)} */
    public static final long KVM_SET_VCPU_EVENTS = 0x4040AEA0L;
    /** {@code _IOR(KVMIO, 0xa1, struct kvm_debugregs)} */
    public static final long KVM_GET_DEBUGREGS = 0x8080AEA1L;
    /** {@code _IOW(KVMIO, 0xa2, struct kvm_debugregs)} */
    public static final long KVM_SET_DEBUGREGS = 0x4080AEA2L;
    /** {@code _IOR(KVMIO, 0xa4, struct kvm_xsave)} */
    public static final long KVM_GET_XSAVE = 0x9000AEA4L;
    /** {@code _IOW(KVMIO, 0xa5, struct kvm_xsave)} */
    public static final long KVM_SET_XSAVE = 0x5000AEA5L;
    /** {@code _IOR(KVMIO, 0xcf, struct kvm_xsave)} */
    public static final long KVM_GET_XSAVE2 = 0x9000AECFL;
    /** {@code _IOR(KVMIO, 0xa6, struct kvm_xcrs)} */
    public static final long KVM_GET_XCRS = 0x8188AEA6L;
    /** {@code _IOW(KVMIO, 0xa7, struct kvm_xcrs)} */
    public static final long KVM_SET_XCRS = 0x4188AEA7L;
    /** {@code _IO(KVMIO, 0xa2)} */
    public static final long KVM_SET_TSC_KHZ = 0xAEA2L;
    /** {@code _IO(KVMIO, 0xa3)} */
    public static final long KVM_GET_TSC_KHZ = 0xAEA3L;
    /** {@code _IO(KVMIO, 0xad)} */
    public static final long KVM_KVMCLOCK_CTRL = 0xAEADL;
    /** {@code _IO(KVMIO, 0xb7)} */
    public static final long KVM_SMI = 0xAEB7L;

    // ---- mmap page offsets within the vCPU mapping ----
    public static final int KVM_PIO_PAGE_OFFSET = 1;
    public static final int KVM_COALESCED_MMIO_PAGE_OFFSET = 2;

    // ---- capabilities (KVM_CHECK_EXTENSION / KVM_ENABLE_CAP): the generic and x86 ones ----
    public static final int KVM_CAP_IRQCHIP = 0;
    public static final int KVM_CAP_HLT = 1;
    public static final int KVM_CAP_MMU_SHADOW_CACHE_CONTROL = 2;
    public static final int KVM_CAP_USER_MEMORY = 3;
    public static final int KVM_CAP_SET_TSS_ADDR = 4;
    public static final int KVM_CAP_VAPIC = 6;
    public static final int KVM_CAP_EXT_CPUID = 7;
    public static final int KVM_CAP_CLOCKSOURCE = 8;
    public static final int KVM_CAP_NR_VCPUS = 9;
    public static final int KVM_CAP_NR_MEMSLOTS = 10;
    public static final int KVM_CAP_PIT = 11;
    public static final int KVM_CAP_NOP_IO_DELAY = 12;
    public static final int KVM_CAP_PV_MMU = 13;
    public static final int KVM_CAP_MP_STATE = 14;
    public static final int KVM_CAP_COALESCED_MMIO = 15;
    public static final int KVM_CAP_SYNC_MMU = 16;
    public static final int KVM_CAP_DESTROY_MEMORY_REGION_WORKS = 21;
    public static final int KVM_CAP_USER_NMI = 22;
    public static final int KVM_CAP_SET_GUEST_DEBUG = 23;
    public static final int KVM_CAP_REINJECT_CONTROL = 24;
    public static final int KVM_CAP_IRQ_ROUTING = 25;
    public static final int KVM_CAP_IRQ_INJECT_STATUS = 26;
    public static final int KVM_CAP_JOIN_MEMORY_REGIONS_WORKS = 30;
    public static final int KVM_CAP_MCE = 31;
    public static final int KVM_CAP_IRQFD = 32;
    public static final int KVM_CAP_PIT2 = 33;
    public static final int KVM_CAP_SET_BOOT_CPU_ID = 34;
    public static final int KVM_CAP_PIT_STATE2 = 35;
    public static final int KVM_CAP_IOEVENTFD = 36;
    public static final int KVM_CAP_SET_IDENTITY_MAP_ADDR = 37;
    public static final int KVM_CAP_ADJUST_CLOCK = 39;
    public static final int KVM_CAP_INTERNAL_ERROR_DATA = 40;
    public static final int KVM_CAP_VCPU_EVENTS = 41;
    public static final int KVM_CAP_HYPERV = 44;
    public static final int KVM_CAP_HYPERV_VAPIC = 45;
    public static final int KVM_CAP_HYPERV_SPIN = 46;
    public static final int KVM_CAP_INTR_SHADOW = 49;
    public static final int KVM_CAP_X86_ROBUST_SINGLESTEP = 51;
    public static final int KVM_CAP_ENABLE_CAP = 54;
    public static final int KVM_CAP_XSAVE = 55;
    public static final int KVM_CAP_XCRS = 56;
    public static final int KVM_CAP_ASYNC_PF = 59;
    public static final int KVM_CAP_TSC_CONTROL = 60;
    public static final int KVM_CAP_GET_TSC_KHZ = 61;
    public static final int KVM_CAP_MAX_VCPUS = 66;
    public static final int KVM_CAP_ONE_REG = 70;
    public static final int KVM_CAP_TSC_DEADLINE_TIMER = 72;
    public static final int KVM_CAP_KVMCLOCK_CTRL = 76;
    public static final int KVM_CAP_SIGNAL_MSI = 77;
    public static final int KVM_CAP_READONLY_MEM = 81;
    public static final int KVM_CAP_IRQFD_RESAMPLE = 82;
    public static final int KVM_CAP_DEVICE_CTRL = 89;
    public static final int KVM_CAP_EXT_EMUL_CPUID = 95;
    public static final int KVM_CAP_HYPERV_TIME = 96;
    public static final int KVM_CAP_IOAPIC_POLARITY_IGNORED = 97;
    public static final int KVM_CAP_ENABLE_CAP_VM = 98;
    public static final int KVM_CAP_IOEVENTFD_NO_LENGTH = 100;
    public static final int KVM_CAP_VM_ATTRIBUTES = 101;
    public static final int KVM_CAP_CHECK_EXTENSION_VM = 105;
    public static final int KVM_CAP_DISABLE_QUIRKS = 116;
    public static final int KVM_CAP_X86_SMM = 117;
    public static final int KVM_CAP_MULTI_ADDRESS_SPACE = 118;
    public static final int KVM_CAP_GUEST_DEBUG_HW_BPS = 119;
    public static final int KVM_CAP_GUEST_DEBUG_HW_WPS = 120;
    public static final int KVM_CAP_SPLIT_IRQCHIP = 121;
    public static final int KVM_CAP_IOEVENTFD_ANY_LENGTH = 122;
    public static final int KVM_CAP_HYPERV_SYNIC = 123;
    public static final int KVM_CAP_VCPU_ATTRIBUTES = 127;
    public static final int KVM_CAP_MAX_VCPU_ID = 128;
    public static final int KVM_CAP_X2APIC_API = 129;
    public static final int KVM_CAP_MSI_DEVID = 131;
    public static final int KVM_CAP_IMMEDIATE_EXIT = 136;
    public static final int KVM_CAP_X86_DISABLE_EXITS = 143;
    public static final int KVM_CAP_HYPERV_SYNIC2 = 148;
    public static final int KVM_CAP_HYPERV_VP_INDEX = 149;
    public static final int KVM_CAP_GET_MSR_FEATURES = 153;
    public static final int KVM_CAP_HYPERV_EVENTFD = 154;
    public static final int KVM_CAP_HYPERV_TLBFLUSH = 155;
    public static final int KVM_CAP_NESTED_STATE = 157;
    public static final int KVM_CAP_MSR_PLATFORM_INFO = 159;
    public static final int KVM_CAP_HYPERV_SEND_IPI = 161;
    public static final int KVM_CAP_COALESCED_PIO = 162;
    public static final int KVM_CAP_HYPERV_ENLIGHTENED_VMCS = 163;
    public static final int KVM_CAP_EXCEPTION_PAYLOAD = 164;
    public static final int KVM_CAP_MANUAL_DIRTY_LOG_PROTECT = 166;
    public static final int KVM_CAP_HYPERV_CPUID = 167;
    public static final int KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2 = 168;
    public static final int KVM_CAP_PMU_EVENT_FILTER = 173;
    public static final int KVM_CAP_HYPERV_DIRECT_TLBFLUSH = 175;
    public static final int KVM_CAP_HALT_POLL = 182;
    public static final int KVM_CAP_ASYNC_PF_INT = 183;
    public static final int KVM_CAP_LAST_CPU = 184;
    public static final int KVM_CAP_SMALLER_MAXPHYADDR = 185;
    public static final int KVM_CAP_STEAL_TIME = 187;
    public static final int KVM_CAP_X86_USER_SPACE_MSR = 188;
    public static final int KVM_CAP_X86_MSR_FILTER = 189;
    public static final int KVM_CAP_ENFORCE_PV_FEATURE_CPUID = 190;
    public static final int KVM_CAP_SYS_HYPERV_CPUID = 191;
    public static final int KVM_CAP_DIRTY_LOG_RING = 192;
    public static final int KVM_CAP_X86_BUS_LOCK_EXIT = 193;
    public static final int KVM_CAP_SET_GUEST_DEBUG2 = 195;
    public static final int KVM_CAP_SGX_ATTRIBUTE = 196;
    public static final int KVM_CAP_VM_COPY_ENC_CONTEXT_FROM = 197;
    public static final int KVM_CAP_PTP_KVM = 198;
    public static final int KVM_CAP_HYPERV_ENFORCE_CPUID = 199;
    public static final int KVM_CAP_SREGS2 = 200;
    public static final int KVM_CAP_EXIT_HYPERCALL = 201;
    public static final int KVM_CAP_BINARY_STATS_FD = 203;
    public static final int KVM_CAP_VM_MOVE_ENC_CONTEXT_FROM = 206;
    public static final int KVM_CAP_VM_GPA_BITS = 207;
    public static final int KVM_CAP_XSAVE2 = 208;
    public static final int KVM_CAP_SYS_ATTRIBUTES = 209;
    public static final int KVM_CAP_PMU_CAPABILITY = 212;
    public static final int KVM_CAP_DISABLE_QUIRKS2 = 213;
    public static final int KVM_CAP_VM_TSC_CONTROL = 214;
    public static final int KVM_CAP_SYSTEM_EVENT_DATA = 215;
    public static final int KVM_CAP_X86_TRIPLE_FAULT_EVENT = 218;
    public static final int KVM_CAP_X86_NOTIFY_VMEXIT = 219;
    public static final int KVM_CAP_VM_DISABLE_NX_HUGE_PAGES = 220;
    public static final int KVM_CAP_DIRTY_LOG_RING_ACQ_REL = 223;

    // ---- kvm_run.exit_reason ----
    public static final int KVM_EXIT_UNKNOWN = 0;
    public static final int KVM_EXIT_EXCEPTION = 1;
    public static final int KVM_EXIT_IO = 2;
    public static final int KVM_EXIT_HYPERCALL = 3;
    public static final int KVM_EXIT_DEBUG = 4;
    public static final int KVM_EXIT_HLT = 5;
    public static final int KVM_EXIT_MMIO = 6;
    public static final int KVM_EXIT_IRQ_WINDOW_OPEN = 7;
    public static final int KVM_EXIT_SHUTDOWN = 8;
    public static final int KVM_EXIT_FAIL_ENTRY = 9;
    public static final int KVM_EXIT_INTR = 10;
    public static final int KVM_EXIT_SET_TPR = 11;
    public static final int KVM_EXIT_TPR_ACCESS = 12;
    public static final int KVM_EXIT_S390_SIEIC = 13;
    public static final int KVM_EXIT_S390_RESET = 14;
    public static final int KVM_EXIT_DCR = 15;
    public static final int KVM_EXIT_NMI = 16;
    public static final int KVM_EXIT_INTERNAL_ERROR = 17;
    public static final int KVM_EXIT_OSI = 18;
    public static final int KVM_EXIT_PAPR_HCALL = 19;
    public static final int KVM_EXIT_S390_UCONTROL = 20;
    public static final int KVM_EXIT_WATCHDOG = 21;
    public static final int KVM_EXIT_S390_TSCH = 22;
    public static final int KVM_EXIT_EPR = 23;
    public static final int KVM_EXIT_SYSTEM_EVENT = 24;
    public static final int KVM_EXIT_S390_STSI = 25;
    public static final int KVM_EXIT_IOAPIC_EOI = 26;
    public static final int KVM_EXIT_HYPERV = 27;
    public static final int KVM_EXIT_ARM_NISV = 28;
    public static final int KVM_EXIT_X86_RDMSR = 29;
    public static final int KVM_EXIT_X86_WRMSR = 30;
    public static final int KVM_EXIT_DIRTY_RING_FULL = 31;
    public static final int KVM_EXIT_AP_RESET_HOLD = 32;
    public static final int KVM_EXIT_X86_BUS_LOCK = 33;
    public static final int KVM_EXIT_XEN = 34;
    public static final int KVM_EXIT_RISCV_SBI = 35;
    public static final int KVM_EXIT_RISCV_CSR = 36;
    public static final int KVM_EXIT_NOTIFY = 37;

    // ---- kvm_run.io.direction ----
    public static final int KVM_EXIT_IO_IN = 0;
    public static final int KVM_EXIT_IO_OUT = 1;

    // ---- kvm_run.hyperv.type ----
    public static final int KVM_EXIT_HYPERV_SYNIC = 1;
    public static final int KVM_EXIT_HYPERV_HCALL = 2;
    public static final int KVM_EXIT_HYPERV_SYNDBG = 3;

    // ---- kvm_run.internal.suberror ----
    public static final int KVM_INTERNAL_ERROR_EMULATION = 1;
    public static final int KVM_INTERNAL_ERROR_SIMUL_EX = 2;
    public static final int KVM_INTERNAL_ERROR_DELIVERY_EV = 3;
    public static final int KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON = 4;
    public static final int KVM_INTERNAL_ERROR_EMULATION_FLAG_INSTRUCTION_BYTES = 1;

    // ---- kvm_run.system_event.type ----
    public static final int KVM_SYSTEM_EVENT_SHUTDOWN = 1;
    public static final int KVM_SYSTEM_EVENT_RESET = 2;
    public static final int KVM_SYSTEM_EVENT_CRASH = 3;
    public static final int KVM_SYSTEM_EVENT_WAKEUP = 4;
    public static final int KVM_SYSTEM_EVENT_SUSPEND = 5;
    public static final int KVM_SYSTEM_EVENT_SEV_TERM = 6;

    // ---- kvm_run.msr.reason (also the KVM_CAP_X86_USER_SPACE_MSR enable mask) ----
    public static final int KVM_MSR_EXIT_REASON_INVAL = 1;
    public static final int KVM_MSR_EXIT_REASON_UNKNOWN = 2;
    public static final int KVM_MSR_EXIT_REASON_FILTER = 4;

    // ---- kvm_msr_filter flags and kvm_msr_filter_range flags ----
    public static final int KVM_MSR_FILTER_DEFAULT_ALLOW = 0;
    public static final int KVM_MSR_FILTER_DEFAULT_DENY = 1;
    public static final int KVM_MSR_FILTER_READ = 1;
    public static final int KVM_MSR_FILTER_WRITE = 2;
    public static final int KVM_MSR_FILTER_MAX_RANGES = 16;
    public static final int KVM_MSR_FILTER_MAX_BITMAP_SIZE = 1536;

    // ---- kvm_run.flags ----
    public static final int KVM_RUN_X86_SMM = 1;
    public static final int KVM_RUN_X86_BUS_LOCK = 2;

    // ---- kvm_run.kvm_valid_regs / kvm_dirty_regs ----
    public static final int KVM_SYNC_X86_REGS = 1;
    public static final int KVM_SYNC_X86_SREGS = 2;
    public static final int KVM_SYNC_X86_EVENTS = 4;

    // ---- kvm_mp_state.mp_state ----
    public static final int KVM_MP_STATE_RUNNABLE = 0;
    public static final int KVM_MP_STATE_UNINITIALIZED = 1;
    public static final int KVM_MP_STATE_INIT_RECEIVED = 2;
    public static final int KVM_MP_STATE_HALTED = 3;
    public static final int KVM_MP_STATE_SIPI_RECEIVED = 4;
    public static final int KVM_MP_STATE_STOPPED = 5;
    public static final int KVM_MP_STATE_CHECK_STOP = 6;
    public static final int KVM_MP_STATE_OPERATING = 7;
    public static final int KVM_MP_STATE_LOAD = 8;
    public static final int KVM_MP_STATE_AP_RESET_HOLD = 9;
    public static final int KVM_MP_STATE_SUSPENDED = 10;

    // ---- kvm_irq_routing_entry.type ----
    public static final int KVM_IRQ_ROUTING_IRQCHIP = 1;
    public static final int KVM_IRQ_ROUTING_MSI = 2;
    public static final int KVM_IRQ_ROUTING_S390_ADAPTER = 3;
    public static final int KVM_IRQ_ROUTING_HV_SINT = 4;
    public static final int KVM_IRQ_ROUTING_XEN_EVTCHN = 5;

    // ---- irqchip ids (kvm_irqchip.chip_id, kvm_irq_routing_irqchip.irqchip) ----
    public static final int KVM_IRQCHIP_PIC_MASTER = 0;
    public static final int KVM_IRQCHIP_PIC_SLAVE = 1;
    public static final int KVM_IRQCHIP_IOAPIC = 2;
    public static final int KVM_NR_IRQCHIPS = 3;
    public static final int KVM_IOAPIC_NUM_PINS = 24;

    // ---- kvm_userspace_memory_region.flags ----
    public static final int KVM_MEM_LOG_DIRTY_PAGES = 1;
    public static final int KVM_MEM_READONLY = 2;

    // ---- kvm_irqfd.flags ----
    public static final int KVM_IRQFD_FLAG_DEASSIGN = 1;
    public static final int KVM_IRQFD_FLAG_RESAMPLE = 2;

    // ---- kvm_ioeventfd.flags ----
    public static final int KVM_IOEVENTFD_FLAG_DATAMATCH = 1;
    public static final int KVM_IOEVENTFD_FLAG_PIO = 2;
    public static final int KVM_IOEVENTFD_FLAG_DEASSIGN = 4;

    // ---- kvm_msi.flags ----
    public static final int KVM_MSI_VALID_DEVID = 1;

    // ---- kvm_guest_debug.control ----
    public static final int KVM_GUESTDBG_ENABLE = 1;
    public static final int KVM_GUESTDBG_SINGLESTEP = 2;
    public static final int KVM_GUESTDBG_USE_SW_BP = 65536;
    public static final int KVM_GUESTDBG_USE_HW_BP = 131072;
    public static final int KVM_GUESTDBG_INJECT_DB = 262144;
    public static final int KVM_GUESTDBG_INJECT_BP = 524288;
    public static final int KVM_GUESTDBG_BLOCKIRQ = 1048576;

    // ---- kvm_vcpu_events.flags and interrupt.shadow ----
    public static final int KVM_VCPUEVENT_VALID_NMI_PENDING = 1;
    public static final int KVM_VCPUEVENT_VALID_SIPI_VECTOR = 2;
    public static final int KVM_VCPUEVENT_VALID_SHADOW = 4;
    public static final int KVM_VCPUEVENT_VALID_SMM = 8;
    public static final int KVM_VCPUEVENT_VALID_PAYLOAD = 16;
    public static final int KVM_VCPUEVENT_VALID_TRIPLE_FAULT = 32;
    public static final int KVM_X86_SHADOW_INT_MOV_SS = 1;
    public static final int KVM_X86_SHADOW_INT_STI = 2;

    // ---- kvm_clock_data.flags ----
    public static final int KVM_CLOCK_TSC_STABLE = 2;
    public static final int KVM_CLOCK_REALTIME = 4;
    public static final int KVM_CLOCK_HOST_TSC = 8;

    // ---- kvm_cpuid_entry2.flags (SIGNIFCANT is the header's spelling) ----
    public static final int KVM_CPUID_FLAG_SIGNIFCANT_INDEX = 1;
    public static final int KVM_CPUID_FLAG_STATEFUL_FUNC = 2;
    public static final int KVM_CPUID_FLAG_STATE_READ_NEXT = 4;

    // ---- kvm_pit_config.flags and kvm_pit_state2.flags ----
    public static final int KVM_PIT_SPEAKER_DUMMY = 1;
    public static final int KVM_PIT_FLAGS_HPET_LEGACY = 1;
    public static final int KVM_PIT_FLAGS_SPEAKER_DATA_ON = 2;

    // ---- KVM_ENABLE_CAP arguments ----
    public static final int KVM_X2APIC_API_USE_32BIT_IDS = 1;
    public static final int KVM_X2APIC_API_DISABLE_BROADCAST_QUIRK = 2;
    public static final int KVM_X86_DISABLE_EXITS_MWAIT = 1;
    public static final int KVM_X86_DISABLE_EXITS_HLT = 2;
    public static final int KVM_X86_DISABLE_EXITS_PAUSE = 4;
    public static final int KVM_X86_DISABLE_EXITS_CSTATE = 8;
    public static final int KVM_X86_DISABLE_VALID_EXITS = 15;
    public static final int KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE = 1;
    public static final int KVM_DIRTY_LOG_INITIALLY_SET = 2;
    public static final int KVM_BUS_LOCK_DETECTION_OFF = 1;
    public static final int KVM_BUS_LOCK_DETECTION_EXIT = 2;
    public static final int KVM_X86_NOTIFY_VMEXIT_ENABLED = 1;
    public static final int KVM_X86_NOTIFY_VMEXIT_USER = 2;
    public static final int KVM_X86_QUIRK_LINT0_REENABLED = 1;
    public static final int KVM_X86_QUIRK_CD_NW_CLEARED = 2;
    public static final int KVM_X86_QUIRK_LAPIC_MMIO_HOLE = 4;
    public static final int KVM_X86_QUIRK_OUT_7E_INC_RIP = 8;
    public static final int KVM_X86_QUIRK_MISC_ENABLE_NO_MWAIT = 16;
    public static final int KVM_X86_QUIRK_FIX_HYPERCALL_INSN = 32;
    public static final int KVM_X86_QUIRK_MWAIT_NEVER_UD_FAULTS = 64;

    // ---- sizes ----
    public static final int KVM_APIC_REG_SIZE = 1024;
    public static final int KVM_MAX_XCRS = 16;
    public static final int KVM_NR_INTERRUPTS = 256;

    /** The {@code KVM_CAP_*} name of a capability number, or {@code "cap <n>"}. */
    public static String capName(int value) {
        return switch (value) {
            case KVM_CAP_IRQCHIP -> "KVM_CAP_IRQCHIP";
            case KVM_CAP_HLT -> "KVM_CAP_HLT";
            case KVM_CAP_MMU_SHADOW_CACHE_CONTROL -> "KVM_CAP_MMU_SHADOW_CACHE_CONTROL";
            case KVM_CAP_USER_MEMORY -> "KVM_CAP_USER_MEMORY";
            case KVM_CAP_SET_TSS_ADDR -> "KVM_CAP_SET_TSS_ADDR";
            case KVM_CAP_VAPIC -> "KVM_CAP_VAPIC";
            case KVM_CAP_EXT_CPUID -> "KVM_CAP_EXT_CPUID";
            case KVM_CAP_CLOCKSOURCE -> "KVM_CAP_CLOCKSOURCE";
            case KVM_CAP_NR_VCPUS -> "KVM_CAP_NR_VCPUS";
            case KVM_CAP_NR_MEMSLOTS -> "KVM_CAP_NR_MEMSLOTS";
            case KVM_CAP_PIT -> "KVM_CAP_PIT";
            case KVM_CAP_NOP_IO_DELAY -> "KVM_CAP_NOP_IO_DELAY";
            case KVM_CAP_PV_MMU -> "KVM_CAP_PV_MMU";
            case KVM_CAP_MP_STATE -> "KVM_CAP_MP_STATE";
            case KVM_CAP_COALESCED_MMIO -> "KVM_CAP_COALESCED_MMIO";
            case KVM_CAP_SYNC_MMU -> "KVM_CAP_SYNC_MMU";
            case KVM_CAP_DESTROY_MEMORY_REGION_WORKS -> "KVM_CAP_DESTROY_MEMORY_REGION_WORKS";
            case KVM_CAP_USER_NMI -> "KVM_CAP_USER_NMI";
            case KVM_CAP_SET_GUEST_DEBUG -> "KVM_CAP_SET_GUEST_DEBUG";
            case KVM_CAP_REINJECT_CONTROL -> "KVM_CAP_REINJECT_CONTROL";
            case KVM_CAP_IRQ_ROUTING -> "KVM_CAP_IRQ_ROUTING";
            case KVM_CAP_IRQ_INJECT_STATUS -> "KVM_CAP_IRQ_INJECT_STATUS";
            case KVM_CAP_JOIN_MEMORY_REGIONS_WORKS -> "KVM_CAP_JOIN_MEMORY_REGIONS_WORKS";
            case KVM_CAP_MCE -> "KVM_CAP_MCE";
            case KVM_CAP_IRQFD -> "KVM_CAP_IRQFD";
            case KVM_CAP_PIT2 -> "KVM_CAP_PIT2";
            case KVM_CAP_SET_BOOT_CPU_ID -> "KVM_CAP_SET_BOOT_CPU_ID";
            case KVM_CAP_PIT_STATE2 -> "KVM_CAP_PIT_STATE2";
            case KVM_CAP_IOEVENTFD -> "KVM_CAP_IOEVENTFD";
            case KVM_CAP_SET_IDENTITY_MAP_ADDR -> "KVM_CAP_SET_IDENTITY_MAP_ADDR";
            case KVM_CAP_ADJUST_CLOCK -> "KVM_CAP_ADJUST_CLOCK";
            case KVM_CAP_INTERNAL_ERROR_DATA -> "KVM_CAP_INTERNAL_ERROR_DATA";
            case KVM_CAP_VCPU_EVENTS -> "KVM_CAP_VCPU_EVENTS";
            case KVM_CAP_HYPERV -> "KVM_CAP_HYPERV";
            case KVM_CAP_HYPERV_VAPIC -> "KVM_CAP_HYPERV_VAPIC";
            case KVM_CAP_HYPERV_SPIN -> "KVM_CAP_HYPERV_SPIN";
            case KVM_CAP_INTR_SHADOW -> "KVM_CAP_INTR_SHADOW";
            case KVM_CAP_X86_ROBUST_SINGLESTEP -> "KVM_CAP_X86_ROBUST_SINGLESTEP";
            case KVM_CAP_ENABLE_CAP -> "KVM_CAP_ENABLE_CAP";
            case KVM_CAP_XSAVE -> "KVM_CAP_XSAVE";
            case KVM_CAP_XCRS -> "KVM_CAP_XCRS";
            case KVM_CAP_ASYNC_PF -> "KVM_CAP_ASYNC_PF";
            case KVM_CAP_TSC_CONTROL -> "KVM_CAP_TSC_CONTROL";
            case KVM_CAP_GET_TSC_KHZ -> "KVM_CAP_GET_TSC_KHZ";
            case KVM_CAP_MAX_VCPUS -> "KVM_CAP_MAX_VCPUS";
            case KVM_CAP_ONE_REG -> "KVM_CAP_ONE_REG";
            case KVM_CAP_TSC_DEADLINE_TIMER -> "KVM_CAP_TSC_DEADLINE_TIMER";
            case KVM_CAP_KVMCLOCK_CTRL -> "KVM_CAP_KVMCLOCK_CTRL";
            case KVM_CAP_SIGNAL_MSI -> "KVM_CAP_SIGNAL_MSI";
            case KVM_CAP_READONLY_MEM -> "KVM_CAP_READONLY_MEM";
            case KVM_CAP_IRQFD_RESAMPLE -> "KVM_CAP_IRQFD_RESAMPLE";
            case KVM_CAP_DEVICE_CTRL -> "KVM_CAP_DEVICE_CTRL";
            case KVM_CAP_EXT_EMUL_CPUID -> "KVM_CAP_EXT_EMUL_CPUID";
            case KVM_CAP_HYPERV_TIME -> "KVM_CAP_HYPERV_TIME";
            case KVM_CAP_IOAPIC_POLARITY_IGNORED -> "KVM_CAP_IOAPIC_POLARITY_IGNORED";
            case KVM_CAP_ENABLE_CAP_VM -> "KVM_CAP_ENABLE_CAP_VM";
            case KVM_CAP_IOEVENTFD_NO_LENGTH -> "KVM_CAP_IOEVENTFD_NO_LENGTH";
            case KVM_CAP_VM_ATTRIBUTES -> "KVM_CAP_VM_ATTRIBUTES";
            case KVM_CAP_CHECK_EXTENSION_VM -> "KVM_CAP_CHECK_EXTENSION_VM";
            case KVM_CAP_DISABLE_QUIRKS -> "KVM_CAP_DISABLE_QUIRKS";
            case KVM_CAP_X86_SMM -> "KVM_CAP_X86_SMM";
            case KVM_CAP_MULTI_ADDRESS_SPACE -> "KVM_CAP_MULTI_ADDRESS_SPACE";
            case KVM_CAP_GUEST_DEBUG_HW_BPS -> "KVM_CAP_GUEST_DEBUG_HW_BPS";
            case KVM_CAP_GUEST_DEBUG_HW_WPS -> "KVM_CAP_GUEST_DEBUG_HW_WPS";
            case KVM_CAP_SPLIT_IRQCHIP -> "KVM_CAP_SPLIT_IRQCHIP";
            case KVM_CAP_IOEVENTFD_ANY_LENGTH -> "KVM_CAP_IOEVENTFD_ANY_LENGTH";
            case KVM_CAP_HYPERV_SYNIC -> "KVM_CAP_HYPERV_SYNIC";
            case KVM_CAP_VCPU_ATTRIBUTES -> "KVM_CAP_VCPU_ATTRIBUTES";
            case KVM_CAP_MAX_VCPU_ID -> "KVM_CAP_MAX_VCPU_ID";
            case KVM_CAP_X2APIC_API -> "KVM_CAP_X2APIC_API";
            case KVM_CAP_MSI_DEVID -> "KVM_CAP_MSI_DEVID";
            case KVM_CAP_IMMEDIATE_EXIT -> "KVM_CAP_IMMEDIATE_EXIT";
            case KVM_CAP_X86_DISABLE_EXITS -> "KVM_CAP_X86_DISABLE_EXITS";
            case KVM_CAP_HYPERV_SYNIC2 -> "KVM_CAP_HYPERV_SYNIC2";
            case KVM_CAP_HYPERV_VP_INDEX -> "KVM_CAP_HYPERV_VP_INDEX";
            case KVM_CAP_GET_MSR_FEATURES -> "KVM_CAP_GET_MSR_FEATURES";
            case KVM_CAP_HYPERV_EVENTFD -> "KVM_CAP_HYPERV_EVENTFD";
            case KVM_CAP_HYPERV_TLBFLUSH -> "KVM_CAP_HYPERV_TLBFLUSH";
            case KVM_CAP_NESTED_STATE -> "KVM_CAP_NESTED_STATE";
            case KVM_CAP_MSR_PLATFORM_INFO -> "KVM_CAP_MSR_PLATFORM_INFO";
            case KVM_CAP_HYPERV_SEND_IPI -> "KVM_CAP_HYPERV_SEND_IPI";
            case KVM_CAP_COALESCED_PIO -> "KVM_CAP_COALESCED_PIO";
            case KVM_CAP_HYPERV_ENLIGHTENED_VMCS -> "KVM_CAP_HYPERV_ENLIGHTENED_VMCS";
            case KVM_CAP_EXCEPTION_PAYLOAD -> "KVM_CAP_EXCEPTION_PAYLOAD";
            case KVM_CAP_MANUAL_DIRTY_LOG_PROTECT -> "KVM_CAP_MANUAL_DIRTY_LOG_PROTECT";
            case KVM_CAP_HYPERV_CPUID -> "KVM_CAP_HYPERV_CPUID";
            case KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2 -> "KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2";
            case KVM_CAP_PMU_EVENT_FILTER -> "KVM_CAP_PMU_EVENT_FILTER";
            case KVM_CAP_HYPERV_DIRECT_TLBFLUSH -> "KVM_CAP_HYPERV_DIRECT_TLBFLUSH";
            case KVM_CAP_HALT_POLL -> "KVM_CAP_HALT_POLL";
            case KVM_CAP_ASYNC_PF_INT -> "KVM_CAP_ASYNC_PF_INT";
            case KVM_CAP_LAST_CPU -> "KVM_CAP_LAST_CPU";
            case KVM_CAP_SMALLER_MAXPHYADDR -> "KVM_CAP_SMALLER_MAXPHYADDR";
            case KVM_CAP_STEAL_TIME -> "KVM_CAP_STEAL_TIME";
            case KVM_CAP_X86_USER_SPACE_MSR -> "KVM_CAP_X86_USER_SPACE_MSR";
            case KVM_CAP_X86_MSR_FILTER -> "KVM_CAP_X86_MSR_FILTER";
            case KVM_CAP_ENFORCE_PV_FEATURE_CPUID -> "KVM_CAP_ENFORCE_PV_FEATURE_CPUID";
            case KVM_CAP_SYS_HYPERV_CPUID -> "KVM_CAP_SYS_HYPERV_CPUID";
            case KVM_CAP_DIRTY_LOG_RING -> "KVM_CAP_DIRTY_LOG_RING";
            case KVM_CAP_X86_BUS_LOCK_EXIT -> "KVM_CAP_X86_BUS_LOCK_EXIT";
            case KVM_CAP_SET_GUEST_DEBUG2 -> "KVM_CAP_SET_GUEST_DEBUG2";
            case KVM_CAP_SGX_ATTRIBUTE -> "KVM_CAP_SGX_ATTRIBUTE";
            case KVM_CAP_VM_COPY_ENC_CONTEXT_FROM -> "KVM_CAP_VM_COPY_ENC_CONTEXT_FROM";
            case KVM_CAP_PTP_KVM -> "KVM_CAP_PTP_KVM";
            case KVM_CAP_HYPERV_ENFORCE_CPUID -> "KVM_CAP_HYPERV_ENFORCE_CPUID";
            case KVM_CAP_SREGS2 -> "KVM_CAP_SREGS2";
            case KVM_CAP_EXIT_HYPERCALL -> "KVM_CAP_EXIT_HYPERCALL";
            case KVM_CAP_BINARY_STATS_FD -> "KVM_CAP_BINARY_STATS_FD";
            case KVM_CAP_VM_MOVE_ENC_CONTEXT_FROM -> "KVM_CAP_VM_MOVE_ENC_CONTEXT_FROM";
            case KVM_CAP_VM_GPA_BITS -> "KVM_CAP_VM_GPA_BITS";
            case KVM_CAP_XSAVE2 -> "KVM_CAP_XSAVE2";
            case KVM_CAP_SYS_ATTRIBUTES -> "KVM_CAP_SYS_ATTRIBUTES";
            case KVM_CAP_PMU_CAPABILITY -> "KVM_CAP_PMU_CAPABILITY";
            case KVM_CAP_DISABLE_QUIRKS2 -> "KVM_CAP_DISABLE_QUIRKS2";
            case KVM_CAP_VM_TSC_CONTROL -> "KVM_CAP_VM_TSC_CONTROL";
            case KVM_CAP_SYSTEM_EVENT_DATA -> "KVM_CAP_SYSTEM_EVENT_DATA";
            case KVM_CAP_X86_TRIPLE_FAULT_EVENT -> "KVM_CAP_X86_TRIPLE_FAULT_EVENT";
            case KVM_CAP_X86_NOTIFY_VMEXIT -> "KVM_CAP_X86_NOTIFY_VMEXIT";
            case KVM_CAP_VM_DISABLE_NX_HUGE_PAGES -> "KVM_CAP_VM_DISABLE_NX_HUGE_PAGES";
            case KVM_CAP_DIRTY_LOG_RING_ACQ_REL -> "KVM_CAP_DIRTY_LOG_RING_ACQ_REL";
            default -> "cap " + value;
        };
    }

    /** The {@code KVM_EXIT_*} name of an exit reason, or {@code "exit <n>"}. */
    public static String exitReasonName(int value) {
        return switch (value) {
            case KVM_EXIT_UNKNOWN -> "KVM_EXIT_UNKNOWN";
            case KVM_EXIT_EXCEPTION -> "KVM_EXIT_EXCEPTION";
            case KVM_EXIT_IO -> "KVM_EXIT_IO";
            case KVM_EXIT_HYPERCALL -> "KVM_EXIT_HYPERCALL";
            case KVM_EXIT_DEBUG -> "KVM_EXIT_DEBUG";
            case KVM_EXIT_HLT -> "KVM_EXIT_HLT";
            case KVM_EXIT_MMIO -> "KVM_EXIT_MMIO";
            case KVM_EXIT_IRQ_WINDOW_OPEN -> "KVM_EXIT_IRQ_WINDOW_OPEN";
            case KVM_EXIT_SHUTDOWN -> "KVM_EXIT_SHUTDOWN";
            case KVM_EXIT_FAIL_ENTRY -> "KVM_EXIT_FAIL_ENTRY";
            case KVM_EXIT_INTR -> "KVM_EXIT_INTR";
            case KVM_EXIT_SET_TPR -> "KVM_EXIT_SET_TPR";
            case KVM_EXIT_TPR_ACCESS -> "KVM_EXIT_TPR_ACCESS";
            case KVM_EXIT_S390_SIEIC -> "KVM_EXIT_S390_SIEIC";
            case KVM_EXIT_S390_RESET -> "KVM_EXIT_S390_RESET";
            case KVM_EXIT_DCR -> "KVM_EXIT_DCR";
            case KVM_EXIT_NMI -> "KVM_EXIT_NMI";
            case KVM_EXIT_INTERNAL_ERROR -> "KVM_EXIT_INTERNAL_ERROR";
            case KVM_EXIT_OSI -> "KVM_EXIT_OSI";
            case KVM_EXIT_PAPR_HCALL -> "KVM_EXIT_PAPR_HCALL";
            case KVM_EXIT_S390_UCONTROL -> "KVM_EXIT_S390_UCONTROL";
            case KVM_EXIT_WATCHDOG -> "KVM_EXIT_WATCHDOG";
            case KVM_EXIT_S390_TSCH -> "KVM_EXIT_S390_TSCH";
            case KVM_EXIT_EPR -> "KVM_EXIT_EPR";
            case KVM_EXIT_SYSTEM_EVENT -> "KVM_EXIT_SYSTEM_EVENT";
            case KVM_EXIT_S390_STSI -> "KVM_EXIT_S390_STSI";
            case KVM_EXIT_IOAPIC_EOI -> "KVM_EXIT_IOAPIC_EOI";
            case KVM_EXIT_HYPERV -> "KVM_EXIT_HYPERV";
            case KVM_EXIT_ARM_NISV -> "KVM_EXIT_ARM_NISV";
            case KVM_EXIT_X86_RDMSR -> "KVM_EXIT_X86_RDMSR";
            case KVM_EXIT_X86_WRMSR -> "KVM_EXIT_X86_WRMSR";
            case KVM_EXIT_DIRTY_RING_FULL -> "KVM_EXIT_DIRTY_RING_FULL";
            case KVM_EXIT_AP_RESET_HOLD -> "KVM_EXIT_AP_RESET_HOLD";
            case KVM_EXIT_X86_BUS_LOCK -> "KVM_EXIT_X86_BUS_LOCK";
            case KVM_EXIT_XEN -> "KVM_EXIT_XEN";
            case KVM_EXIT_RISCV_SBI -> "KVM_EXIT_RISCV_SBI";
            case KVM_EXIT_RISCV_CSR -> "KVM_EXIT_RISCV_CSR";
            case KVM_EXIT_NOTIFY -> "KVM_EXIT_NOTIFY";
            default -> "exit " + value;
        };
    }

    private static final java.util.Map<Long, String> IOCTL_NAMES = java.util.Map.ofEntries(
            java.util.Map.entry(KVM_GET_API_VERSION, "KVM_GET_API_VERSION"),
            java.util.Map.entry(KVM_CREATE_VM, "KVM_CREATE_VM"),
            java.util.Map.entry(KVM_GET_MSR_INDEX_LIST, "KVM_GET_MSR_INDEX_LIST"),
            java.util.Map.entry(KVM_CHECK_EXTENSION, "KVM_CHECK_EXTENSION"),
            java.util.Map.entry(KVM_GET_VCPU_MMAP_SIZE, "KVM_GET_VCPU_MMAP_SIZE"),
            java.util.Map.entry(KVM_GET_SUPPORTED_CPUID, "KVM_GET_SUPPORTED_CPUID"),
            java.util.Map.entry(KVM_GET_EMULATED_CPUID, "KVM_GET_EMULATED_CPUID"),
            java.util.Map.entry(KVM_GET_MSR_FEATURE_INDEX_LIST, "KVM_GET_MSR_FEATURE_INDEX_LIST"),
            java.util.Map.entry(KVM_GET_SUPPORTED_HV_CPUID, "KVM_GET_SUPPORTED_HV_CPUID"),
            java.util.Map.entry(KVM_CREATE_VCPU, "KVM_CREATE_VCPU"),
            java.util.Map.entry(KVM_GET_DIRTY_LOG, "KVM_GET_DIRTY_LOG"),
            java.util.Map.entry(KVM_SET_USER_MEMORY_REGION, "KVM_SET_USER_MEMORY_REGION"),
            java.util.Map.entry(KVM_SET_TSS_ADDR, "KVM_SET_TSS_ADDR"),
            java.util.Map.entry(KVM_SET_IDENTITY_MAP_ADDR, "KVM_SET_IDENTITY_MAP_ADDR"),
            java.util.Map.entry(KVM_CREATE_IRQCHIP, "KVM_CREATE_IRQCHIP"),
            java.util.Map.entry(KVM_IRQ_LINE, "KVM_IRQ_LINE"),
            java.util.Map.entry(KVM_GET_IRQCHIP, "KVM_GET_IRQCHIP"),
            java.util.Map.entry(KVM_SET_IRQCHIP, "KVM_SET_IRQCHIP"),
            java.util.Map.entry(KVM_IRQ_LINE_STATUS, "KVM_IRQ_LINE_STATUS"),
            java.util.Map.entry(KVM_REGISTER_COALESCED_MMIO, "KVM_REGISTER_COALESCED_MMIO"),
            java.util.Map.entry(KVM_UNREGISTER_COALESCED_MMIO, "KVM_UNREGISTER_COALESCED_MMIO"),
            java.util.Map.entry(KVM_SET_GSI_ROUTING, "KVM_SET_GSI_ROUTING"),
            java.util.Map.entry(KVM_REINJECT_CONTROL, "KVM_REINJECT_CONTROL"),
            java.util.Map.entry(KVM_IRQFD, "KVM_IRQFD"),
            java.util.Map.entry(KVM_CREATE_PIT2, "KVM_CREATE_PIT2"),
            java.util.Map.entry(KVM_SET_BOOT_CPU_ID, "KVM_SET_BOOT_CPU_ID"),
            java.util.Map.entry(KVM_IOEVENTFD, "KVM_IOEVENTFD"),
            java.util.Map.entry(KVM_SET_CLOCK, "KVM_SET_CLOCK"),
            java.util.Map.entry(KVM_GET_CLOCK, "KVM_GET_CLOCK"),
            java.util.Map.entry(KVM_GET_PIT2, "KVM_GET_PIT2"),
            java.util.Map.entry(KVM_SET_PIT2, "KVM_SET_PIT2"),
            java.util.Map.entry(KVM_SIGNAL_MSI, "KVM_SIGNAL_MSI"),
            java.util.Map.entry(KVM_ENABLE_CAP, "KVM_ENABLE_CAP"),
            java.util.Map.entry(KVM_CLEAR_DIRTY_LOG, "KVM_CLEAR_DIRTY_LOG"),
            java.util.Map.entry(KVM_X86_SET_MSR_FILTER, "KVM_X86_SET_MSR_FILTER"),
            java.util.Map.entry(KVM_HYPERV_EVENTFD, "KVM_HYPERV_EVENTFD"),
            java.util.Map.entry(KVM_SET_NR_MMU_PAGES, "KVM_SET_NR_MMU_PAGES"),
            java.util.Map.entry(KVM_RUN, "KVM_RUN"),
            java.util.Map.entry(KVM_GET_REGS, "KVM_GET_REGS"),
            java.util.Map.entry(KVM_SET_REGS, "KVM_SET_REGS"),
            java.util.Map.entry(KVM_GET_SREGS, "KVM_GET_SREGS"),
            java.util.Map.entry(KVM_SET_SREGS, "KVM_SET_SREGS"),
            java.util.Map.entry(KVM_TRANSLATE, "KVM_TRANSLATE"),
            java.util.Map.entry(KVM_INTERRUPT, "KVM_INTERRUPT"),
            java.util.Map.entry(KVM_GET_MSRS, "KVM_GET_MSRS"),
            java.util.Map.entry(KVM_SET_MSRS, "KVM_SET_MSRS"),
            java.util.Map.entry(KVM_SET_SIGNAL_MASK, "KVM_SET_SIGNAL_MASK"),
            java.util.Map.entry(KVM_GET_FPU, "KVM_GET_FPU"),
            java.util.Map.entry(KVM_SET_FPU, "KVM_SET_FPU"),
            java.util.Map.entry(KVM_GET_LAPIC, "KVM_GET_LAPIC"),
            java.util.Map.entry(KVM_SET_LAPIC, "KVM_SET_LAPIC"),
            java.util.Map.entry(KVM_SET_CPUID2, "KVM_SET_CPUID2"),
            java.util.Map.entry(KVM_GET_CPUID2, "KVM_GET_CPUID2"),
            java.util.Map.entry(KVM_GET_MP_STATE, "KVM_GET_MP_STATE"),
            java.util.Map.entry(KVM_SET_MP_STATE, "KVM_SET_MP_STATE"),
            java.util.Map.entry(KVM_NMI, "KVM_NMI"),
            java.util.Map.entry(KVM_SET_GUEST_DEBUG, "KVM_SET_GUEST_DEBUG"),
            java.util.Map.entry(KVM_GET_VCPU_EVENTS, "KVM_GET_VCPU_EVENTS"),
            java.util.Map.entry(KVM_SET_VCPU_EVENTS, "KVM_SET_VCPU_EVENTS"),
            java.util.Map.entry(KVM_GET_DEBUGREGS, "KVM_GET_DEBUGREGS"),
            java.util.Map.entry(KVM_SET_DEBUGREGS, "KVM_SET_DEBUGREGS"),
            java.util.Map.entry(KVM_GET_XSAVE, "KVM_GET_XSAVE"),
            java.util.Map.entry(KVM_SET_XSAVE, "KVM_SET_XSAVE"),
            java.util.Map.entry(KVM_GET_XSAVE2, "KVM_GET_XSAVE2"),
            java.util.Map.entry(KVM_GET_XCRS, "KVM_GET_XCRS"),
            java.util.Map.entry(KVM_SET_XCRS, "KVM_SET_XCRS"),
            java.util.Map.entry(KVM_SET_TSC_KHZ, "KVM_SET_TSC_KHZ"),
            java.util.Map.entry(KVM_GET_TSC_KHZ, "KVM_GET_TSC_KHZ"),
            java.util.Map.entry(KVM_KVMCLOCK_CTRL, "KVM_KVMCLOCK_CTRL"),
            java.util.Map.entry(KVM_SMI, "KVM_SMI"));

    /** The macro name of an ioctl request number, or {@code "ioctl 0x<hex>"}. */
    public static String ioctlName(long request) {
        String name = IOCTL_NAMES.get(request);
        return name != null ? name : "ioctl 0x" + Long.toHexString(request);
    }

    /** Every capability number named here, in ascending order (for probes that list them). */
    public static int[] capNumbers() {
        return new int[] {KVM_CAP_IRQCHIP, KVM_CAP_HLT, KVM_CAP_MMU_SHADOW_CACHE_CONTROL, KVM_CAP_USER_MEMORY, KVM_CAP_SET_TSS_ADDR, KVM_CAP_VAPIC, KVM_CAP_EXT_CPUID, KVM_CAP_CLOCKSOURCE, KVM_CAP_NR_VCPUS, KVM_CAP_NR_MEMSLOTS, KVM_CAP_PIT, KVM_CAP_NOP_IO_DELAY, KVM_CAP_PV_MMU, KVM_CAP_MP_STATE, KVM_CAP_COALESCED_MMIO, KVM_CAP_SYNC_MMU, KVM_CAP_DESTROY_MEMORY_REGION_WORKS, KVM_CAP_USER_NMI, KVM_CAP_SET_GUEST_DEBUG, KVM_CAP_REINJECT_CONTROL, KVM_CAP_IRQ_ROUTING, KVM_CAP_IRQ_INJECT_STATUS, KVM_CAP_JOIN_MEMORY_REGIONS_WORKS, KVM_CAP_MCE, KVM_CAP_IRQFD, KVM_CAP_PIT2, KVM_CAP_SET_BOOT_CPU_ID, KVM_CAP_PIT_STATE2, KVM_CAP_IOEVENTFD, KVM_CAP_SET_IDENTITY_MAP_ADDR, KVM_CAP_ADJUST_CLOCK, KVM_CAP_INTERNAL_ERROR_DATA, KVM_CAP_VCPU_EVENTS, KVM_CAP_HYPERV, KVM_CAP_HYPERV_VAPIC, KVM_CAP_HYPERV_SPIN, KVM_CAP_INTR_SHADOW, KVM_CAP_X86_ROBUST_SINGLESTEP, KVM_CAP_ENABLE_CAP, KVM_CAP_XSAVE, KVM_CAP_XCRS, KVM_CAP_ASYNC_PF, KVM_CAP_TSC_CONTROL, KVM_CAP_GET_TSC_KHZ, KVM_CAP_MAX_VCPUS, KVM_CAP_ONE_REG, KVM_CAP_TSC_DEADLINE_TIMER, KVM_CAP_KVMCLOCK_CTRL, KVM_CAP_SIGNAL_MSI, KVM_CAP_READONLY_MEM, KVM_CAP_IRQFD_RESAMPLE, KVM_CAP_DEVICE_CTRL, KVM_CAP_EXT_EMUL_CPUID, KVM_CAP_HYPERV_TIME, KVM_CAP_IOAPIC_POLARITY_IGNORED, KVM_CAP_ENABLE_CAP_VM, KVM_CAP_IOEVENTFD_NO_LENGTH, KVM_CAP_VM_ATTRIBUTES, KVM_CAP_CHECK_EXTENSION_VM, KVM_CAP_DISABLE_QUIRKS, KVM_CAP_X86_SMM, KVM_CAP_MULTI_ADDRESS_SPACE, KVM_CAP_GUEST_DEBUG_HW_BPS, KVM_CAP_GUEST_DEBUG_HW_WPS, KVM_CAP_SPLIT_IRQCHIP, KVM_CAP_IOEVENTFD_ANY_LENGTH, KVM_CAP_HYPERV_SYNIC, KVM_CAP_VCPU_ATTRIBUTES, KVM_CAP_MAX_VCPU_ID, KVM_CAP_X2APIC_API, KVM_CAP_MSI_DEVID, KVM_CAP_IMMEDIATE_EXIT, KVM_CAP_X86_DISABLE_EXITS, KVM_CAP_HYPERV_SYNIC2, KVM_CAP_HYPERV_VP_INDEX, KVM_CAP_GET_MSR_FEATURES, KVM_CAP_HYPERV_EVENTFD, KVM_CAP_HYPERV_TLBFLUSH, KVM_CAP_NESTED_STATE, KVM_CAP_MSR_PLATFORM_INFO, KVM_CAP_HYPERV_SEND_IPI, KVM_CAP_COALESCED_PIO, KVM_CAP_HYPERV_ENLIGHTENED_VMCS, KVM_CAP_EXCEPTION_PAYLOAD, KVM_CAP_MANUAL_DIRTY_LOG_PROTECT, KVM_CAP_HYPERV_CPUID, KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2, KVM_CAP_PMU_EVENT_FILTER, KVM_CAP_HYPERV_DIRECT_TLBFLUSH, KVM_CAP_HALT_POLL, KVM_CAP_ASYNC_PF_INT, KVM_CAP_LAST_CPU, KVM_CAP_SMALLER_MAXPHYADDR, KVM_CAP_STEAL_TIME, KVM_CAP_X86_USER_SPACE_MSR, KVM_CAP_X86_MSR_FILTER, KVM_CAP_ENFORCE_PV_FEATURE_CPUID, KVM_CAP_SYS_HYPERV_CPUID, KVM_CAP_DIRTY_LOG_RING, KVM_CAP_X86_BUS_LOCK_EXIT, KVM_CAP_SET_GUEST_DEBUG2, KVM_CAP_SGX_ATTRIBUTE, KVM_CAP_VM_COPY_ENC_CONTEXT_FROM, KVM_CAP_PTP_KVM, KVM_CAP_HYPERV_ENFORCE_CPUID, KVM_CAP_SREGS2, KVM_CAP_EXIT_HYPERCALL, KVM_CAP_BINARY_STATS_FD, KVM_CAP_VM_MOVE_ENC_CONTEXT_FROM, KVM_CAP_VM_GPA_BITS, KVM_CAP_XSAVE2, KVM_CAP_SYS_ATTRIBUTES, KVM_CAP_PMU_CAPABILITY, KVM_CAP_DISABLE_QUIRKS2, KVM_CAP_VM_TSC_CONTROL, KVM_CAP_SYSTEM_EVENT_DATA, KVM_CAP_X86_TRIPLE_FAULT_EVENT, KVM_CAP_X86_NOTIFY_VMEXIT, KVM_CAP_VM_DISABLE_NX_HUGE_PAGES, KVM_CAP_DIRTY_LOG_RING_ACQ_REL};
    }
}

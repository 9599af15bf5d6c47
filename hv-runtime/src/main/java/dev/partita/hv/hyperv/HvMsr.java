package dev.partita.hv.hyperv;

/**
 * Indices and bit fields of the Hyper-V synthetic MSRs this package implements (TLFS names in
 * comments where they differ, C prefix {@code HV_X64_MSR_}).
 */
public final class HvMsr {
    private HvMsr() {
    }

    /** First index of the synthetic range that the KVM backend filters to user space. */
    public static final int RANGE_FIRST = 0x4000_0000;
    /** Last index of that range. */
    public static final int RANGE_LAST = 0x4000_01FF;

    /** GUEST_OS_ID: written by the guest before enabling the hypercall page. Partition-wide. */
    public static final int GUEST_OS_ID = 0x4000_0000;
    /** HYPERCALL: page GPA in bits 12-63, bit 1 locked, bit 0 enable. Partition-wide. */
    public static final int HYPERCALL = 0x4000_0001;
    /** VP_INDEX: read-only, per processor. */
    public static final int VP_INDEX = 0x4000_0002;
    /** TIME_REF_COUNT: read-only, 100 ns units since the partition started. */
    public static final int TIME_REF_COUNT = 0x4000_0020;
    /** REFERENCE_TSC: page GPA in bits 12-63, bit 0 enable (the reference TSC page). Partition-wide. */
    public static final int REFERENCE_TSC = 0x4000_0021;
    /** VP_ASSIST_PAGE: PFN in bits 12-63, bit 0 enable, per processor (accepted and stored). */
    public static final int VP_ASSIST_PAGE = 0x4000_0073;
    /** SCONTROL: bit 0 enables the processor's SynIC. */
    public static final int SCONTROL = 0x4000_0080;
    /** SVERSION: read-only SynIC version. */
    public static final int SVERSION = 0x4000_0081;
    /** SIEFP: event-flags page GPA in bits 12-63, bit 0 enable. */
    public static final int SIEFP = 0x4000_0082;
    /** SIMP: message page GPA in bits 12-63, bit 0 enable. */
    public static final int SIMP = 0x4000_0083;
    /** EOM: end of message; a write makes the SynIC deliver the next queued message. */
    public static final int EOM = 0x4000_0084;
    /** SINT0; SINTn is {@code SINT0 + n}, n = 0-15. */
    public static final int SINT0 = 0x4000_0090;
    /** SINT15. */
    public static final int SINT15 = 0x4000_009F;
    /** STIMER0_CONFIG; timer n has CONFIG at {@code STIMER0_CONFIG + 2n} and COUNT one above, n = 0-3. */
    public static final int STIMER0_CONFIG = 0x4000_00B0;
    /** STIMER0_COUNT. */
    public static final int STIMER0_COUNT = 0x4000_00B1;
    /** STIMER3_COUNT, the last synthetic timer register. */
    public static final int STIMER3_COUNT = 0x4000_00B7;
    /** Synthetic timers per processor. */
    public static final int STIMER_COUNT = 4;
    /** CRASH_P0; CRASH_Pn is {@code CRASH_P0 + n}, n = 0-4. Partition-wide. */
    public static final int CRASH_P0 = 0x4000_0100;
    /** CRASH_P4. */
    public static final int CRASH_P4 = 0x4000_0104;
    /** CRASH_CTL: reads the crash capabilities, a write with bit 63 reports a crash. */
    public static final int CRASH_CTL = 0x4000_0105;
    /** CRASH_CTL bit 63 (CRASH_NOTIFY): the guest crashed; P0-P4 hold its parameters. */
    public static final long CRASH_NOTIFY = 1L << 63;
    /** CRASH_CTL bit 62 (CRASH_NOTIFY_MSG): P3 holds the GPA and P4 the length of a crash message. */
    public static final long CRASH_NOTIFY_MSG = 1L << 62;
    /** TSC_INVARIANT_CONTROL: bit 0 exposes invariant TSC (offered with feature bit 15). */
    public static final int TSC_INVARIANT_CONTROL = 0x4000_0118;

    /** The SynIC version SVERSION reports (HV_SYNIC_VERSION_1). */
    public static final long SYNIC_VERSION = 1;

    /** Bit 0 of HYPERCALL, SIEFP, SIMP, SCONTROL, VP_ASSIST_PAGE. */
    public static final long ENABLE = 1;
    /** HYPERCALL bit 1: the MSR is locked until reset. */
    public static final long HYPERCALL_LOCKED = 1L << 1;
    /** The page-address bits of the page MSRs. */
    public static final long PAGE_MASK = ~0xFFFL;

    /** SINT bits 0-7: vector. */
    public static final long SINT_VECTOR_MASK = 0xFF;
    /** SINT bit 16: masked. */
    public static final long SINT_MASKED = 1L << 16;
    /** SINT bit 17: auto-EOI. */
    public static final long SINT_AUTO_EOI = 1L << 17;
    /** SINT bit 18: polling (accepted and stored; Partita always interrupts). */
    public static final long SINT_POLLING = 1L << 18;
    /** The SINT bits a guest can set; the rest read as zero. */
    public static final long SINT_WRITABLE = SINT_VECTOR_MASK | SINT_MASKED | SINT_AUTO_EOI | SINT_POLLING;
    /** The lowest vector a SINT may use unmasked (HV_SYNIC_FIRST_VALID_VECTOR). */
    public static final int SINT_FIRST_VALID_VECTOR = 16;
    /** Number of SINTs per processor (HV_SYNIC_SINT_COUNT). */
    public static final int SINT_COUNT = 16;

    /** Whether {@code index} lies in the synthetic range. */
    public static boolean inRange(int index) {
        return index >= RANGE_FIRST && index <= RANGE_LAST;
    }
}

package dev.partita.hv.hyperv;

/**
 * Which optional Hyper-V enlightenments a partition offers on top of the base interface
 * (hypercall page, VP index, SynIC, HvPostMessage and HvSignalEvent, which VMBus needs). Each one
 * offered is implemented and advertised in CPUID; one not offered is neither (its MSRs raise #GP).
 * A feature the backend cannot provide is left out even when asked for: the reference TSC page
 * (and with it TIME_REF_COUNT in CPUID) needs the backend's {@link dev.partita.hv.spi.GuestTsc}, the
 * TLB flush hypercalls its {@link dev.partita.hv.spi.RemoteTlbFlush}.
 *
 * @param referenceTime   TIME_REF_COUNT and the reference TSC page
 * @param syntheticTimers STIMER0-3, message and direct mode
 * @param crashReports    CRASH_P0-P4 and CRASH_CTL with the message page
 * @param tlbFlush        HvFlushVirtualAddressSpace/List and their Ex forms (remote TLB flush hint)
 * @param ipi             HvCallSendSyntheticClusterIpi and its Ex form (cluster IPI hint)
 */
public record Enlightenments(boolean referenceTime, boolean syntheticTimers, boolean crashReports, boolean tlbFlush,
                             boolean ipi) {
    /** Every enlightenment Partita implements. */
    public static final Enlightenments ALL = new Enlightenments(true, true, true, true, true);
    /** The base interface only (what a comparison "without enlightenments" runs). */
    public static final Enlightenments NONE = new Enlightenments(false, false, false, false, false);

    /** The time and crash enlightenments without the hypercalls. */
    public Enlightenments(boolean referenceTime, boolean syntheticTimers, boolean crashReports) {
        this(referenceTime, syntheticTimers, crashReports, false, false);
    }
}

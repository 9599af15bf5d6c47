package dev.partita.hv.hyperv;

import java.util.List;

/**
 * The guest-visible Hyper-V state of a partition, for checkpoints and migration: what the guest
 * wrote to the synthetic MSRs, the reference time, and host messages not yet delivered. Guest
 * memory (the hypercall, message and event-flag pages) is saved with RAM, not here.
 *
 * @param guestOsId           GUEST_OS_ID
 * @param hypercall           HYPERCALL (page GPA, lock, enable)
 * @param tscInvariantControl TSC_INVARIANT_CONTROL
 * @param referenceTime       TIME_REF_COUNT at the moment of saving (100 ns units)
 * @param processors          per virtual processor, index order
 * @param referenceTsc        REFERENCE_TSC (the page is rewritten at restore from the continued reference time)
 * @param crashParameters     CRASH_P0-P4
 */
public record HyperVState(long guestOsId, long hypercall, long tscInvariantControl, long referenceTime,
                          List<Processor> processors, long referenceTsc, long[] crashParameters) {

    public HyperVState {
        processors = List.copyOf(processors);
        if (crashParameters.length != 5) {
            throw new IllegalArgumentException("CRASH_P0-P4 are five values, got " + crashParameters.length);
        }
        crashParameters = crashParameters.clone();
    }

    /** A state without the enlightenments' registers (REFERENCE_TSC and the crash parameters zero). */
    public HyperVState(long guestOsId, long hypercall, long tscInvariantControl, long referenceTime, List<Processor> processors) {
        this(guestOsId, hypercall, tscInvariantControl, referenceTime, processors, 0, new long[5]);
    }

    @Override
    public long[] crashParameters() {
        return crashParameters.clone();
    }

    /**
     * One processor's synthetic registers and queued messages.
     *
     * @param vpAssistPage VP_ASSIST_PAGE
     * @param synic        SCONTROL, SIEFP, SIMP, SINT0-15 and the messages waiting per SINT
     * @param timers       STIMER0-3
     */
    public record Processor(long vpAssistPage, SynicSnapshot synic, List<TimerSnapshot> timers) {
        public Processor {
            timers = List.copyOf(timers);
            if (timers.size() != HvMsr.STIMER_COUNT) {
                throw new IllegalArgumentException("a processor has " + HvMsr.STIMER_COUNT + " synthetic timers, got " + timers.size());
            }
        }

        /** A processor whose synthetic timers were never programmed. */
        public Processor(long vpAssistPage, SynicSnapshot synic) {
            this(vpAssistPage, synic, java.util.Collections.nCopies(HvMsr.STIMER_COUNT, TimerSnapshot.IDLE));
        }
    }
}

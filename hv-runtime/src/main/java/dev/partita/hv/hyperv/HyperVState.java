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
 */
public record HyperVState(long guestOsId, long hypercall, long tscInvariantControl, long referenceTime,
                          List<Processor> processors) {

    public HyperVState {
        processors = List.copyOf(processors);
    }

    /**
     * One processor's synthetic registers and queued messages.
     *
     * @param vpAssistPage VP_ASSIST_PAGE
     * @param synic        SCONTROL, SIEFP, SIMP, SINT0-15 and the messages waiting per SINT
     */
    public record Processor(long vpAssistPage, SynicSnapshot synic) {
    }
}

package dev.partita.hv;

import dev.partita.hv.exit.VcpuExit;

/**
 * Answers guest hypercalls ({@link VcpuExit.Hypercall}); the Hyper-V dispatcher plugs in here.
 * Called on the calling virtual processor's thread.
 */
@FunctionalInterface
public interface HypercallHandler {
    /** TLFS status HV_STATUS_INVALID_HYPERCALL_CODE, returned when no handler is installed. */
    long HV_STATUS_INVALID_HYPERCALL_CODE = 0x2;

    /** The hypercall result value (RAX) for {@code call} made by processor {@code vpIndex}. */
    long call(int vpIndex, VcpuExit.Hypercall call);
}

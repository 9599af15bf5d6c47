package dev.partita.hv.hyperv;

/**
 * The result of one hypercall as a handler decided it: the HV status, the reps completed (rep
 * calls), and for a refused call the reason logged.
 *
 * @param status HV status (the low 16 bits of RAX)
 * @param reps   reps completed (RAX bits 32-43)
 * @param why    why the call was refused, or null
 */
record HypercallOutcome(int status, int reps, String why) {
    static HypercallOutcome refused(int status, String why) {
        return new HypercallOutcome(status, 0, why);
    }

    static HypercallOutcome success(int reps) {
        return new HypercallOutcome(HvStatus.SUCCESS, reps, null);
    }

    /** RAX. */
    long result() {
        return HypercallControl.result(status, reps);
    }
}

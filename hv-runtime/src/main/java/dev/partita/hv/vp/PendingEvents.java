package dev.partita.hv.vp;

/**
 * Events that have been accepted by a virtual processor but not yet delivered, plus the
 * interrupt shadow. "Injected" means delivery had begun (re-injected on resume); "pending"
 * means raised but not yet started.
 *
 * @param exceptionInjected     an exception is being delivered
 * @param exceptionPending      an exception is raised but delivery has not started
 * @param exceptionVector       its vector (0-31)
 * @param exceptionHasErrorCode whether it pushes an error code
 * @param exceptionErrorCode    the error code
 * @param interruptInjected     an external interrupt is being delivered
 * @param interruptVector       its vector
 * @param interruptSoft         it came from INTn
 * @param nmiInjected           an NMI is being delivered
 * @param nmiPending            an NMI is raised but not started
 * @param nmiMasked             NMIs are blocked (inside an NMI handler)
 * @param interruptShadow       bit 0: blocking by STI, bit 1: blocking by MOV SS/POP SS
 * @param sipiVector            vector of the last startup IPI (for {@link MpState#SIPI_RECEIVED})
 */
public record PendingEvents(boolean exceptionInjected, boolean exceptionPending, int exceptionVector,
                            boolean exceptionHasErrorCode, int exceptionErrorCode,
                            boolean interruptInjected, int interruptVector, boolean interruptSoft,
                            boolean nmiInjected, boolean nmiPending, boolean nmiMasked,
                            int interruptShadow, int sipiVector) {
    /** Interrupt-shadow bit: blocking by STI. */
    public static final int SHADOW_STI = 1;
    /** Interrupt-shadow bit: blocking by MOV SS / POP SS. */
    public static final int SHADOW_MOV_SS = 2;

    /** Nothing pending. */
    public static final PendingEvents NONE = new PendingEvents(false, false, 0, false, 0, false, 0, false,
            false, false, false, 0, 0);

    public PendingEvents {
        if ((exceptionVector & ~0xFF) != 0 || (interruptVector & ~0xFF) != 0 || (sipiVector & ~0xFF) != 0) {
            throw new IllegalArgumentException("event vector out of range");
        }
        if ((interruptShadow & ~3) != 0) {
            throw new IllegalArgumentException("interrupt shadow has unknown bits: " + interruptShadow);
        }
    }
}

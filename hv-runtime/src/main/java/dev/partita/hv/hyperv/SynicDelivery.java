package dev.partita.hv.hyperv;

/**
 * Host-to-guest delivery through the synthetic interrupt controller (SynIC) of one partition.
 *
 * <p><b>Threads.</b> Thread-safe: any host thread may call both methods concurrently with running
 * virtual processors. Neither blocks on the guest; each returns after the message or flag is in
 * guest memory (or queued) and the interrupt, if one is due, has been requested from the backend.
 * Writes into guest memory that the guest reads (slot payload, then slot type; event-flag words)
 * are ordered with release semantics before the interrupt is raised.
 */
public interface SynicDelivery {

    /**
     * Queues a message for SINT {@code sint} of processor {@code vp}. Messages to the same
     * (vp, sint) are delivered in order: one occupies the SINT's slot of the SIMP page at a time,
     * the slot's pending flag tells the guest more are queued, and the guest's write to the EOM
     * MSR delivers the next.
     *
     * @param vp          virtual processor index
     * @param sint        SINT number 0-15
     * @param messageType message type (non-zero; VMBus channel messages use 1)
     * @param payload     0-240 bytes; copied before this method returns
     * @return false if that processor's SynIC, SIMP page or SINT is not enabled, or 1024 messages
     *         already wait for that SINT (the message is dropped; a full queue is logged once)
     * @throws IllegalArgumentException for an out-of-range vp, sint, type or payload length
     */
    boolean postMessage(int vp, int sint, int messageType, byte[] payload);

    /**
     * Sets event flag {@code flag} of SINT {@code sint} in processor {@code vp}'s SIEF page
     * (atomically: the guest clears flags concurrently) and raises the SINT if the flag was clear.
     *
     * @param vp   virtual processor index
     * @param sint SINT number 0-15
     * @param flag flag number 0-2047 (VMBus: the channel's relid)
     * @return false if that processor's SynIC, SIEF page or SINT is not enabled (nothing is set)
     * @throws IllegalArgumentException for an out-of-range vp, sint or flag
     */
    boolean signalEvent(int vp, int sint, int flag);
}

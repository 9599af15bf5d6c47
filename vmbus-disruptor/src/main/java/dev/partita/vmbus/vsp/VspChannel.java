package dev.partita.vmbus.vsp;

/**
 * An open channel as its VSP sees it: identity, and the way back to the guest. The channel's VSP
 * thread (the one that calls {@link Vsp#onPacket}) is the only writer of the guest's host-to-guest
 * ring. Sending methods called on that thread append the packet to the ring at once (published
 * and signalled at the end of the batch) and block only while the guest's ring is full; called
 * from any other host thread they copy the payload into the channel's Disruptor ring
 * (multi-producer) for the VSP thread to write in order, blocking only while that ring is full or
 * holds its budget of large packets.
 */
public interface VspChannel {
    int relid();

    /** The virtual processor the guest named in OPENCHANNEL (interrupt target). */
    int targetVp();

    /** The 120 user-data bytes of OPENCHANNEL (a copy). */
    byte[] openUserData();

    /** Sends a completion packet (type 11) echoing {@code transactionId}. Dropped when the channel is closed. */
    void complete(long transactionId, byte[] payload, int offset, int length);

    /** Sends an in-band data packet (type 6). Dropped when the channel is closed. */
    void send(long transactionId, boolean completionRequested, byte[] payload, int offset, int length);

    /** Closes the channel for a protocol violation (the reason is logged; the offer is rescinded). */
    void fail(String reason);

    /**
     * Logs a guest fault that does not close the channel, through the partition's rate-limited
     * log (the message is built only when it is logged). Any thread.
     */
    default void warn(java.util.function.Supplier<String> message) {
        System.getLogger("dev.partita.vmbus").log(System.Logger.Level.WARNING, message);
    }
}

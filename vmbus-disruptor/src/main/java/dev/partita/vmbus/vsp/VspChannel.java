package dev.partita.vmbus.vsp;

/**
 * An open channel as its VSP sees it: identity, and the way back to the guest. Sending methods
 * copy the payload into the channel's outbound Disruptor ring (multi-producer: any host thread
 * may call them) and return once it is claimed; they block only while that ring is full or holds
 * its budget of large packets. The ring's single writer thread is the only writer of the guest's
 * host-to-guest ring: it appends the packets and signals the guest.
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

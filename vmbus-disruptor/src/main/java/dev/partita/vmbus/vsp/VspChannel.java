package dev.partita.vmbus.vsp;

/**
 * An open channel as its VSP sees it: identity, and the way back to the guest. Sending methods
 * copy the payload into the channel's outbound Disruptor ring (multi-producer: any host thread
 * may call them) and return once it is published; they block only while that ring is full. The
 * ring's single writer thread appends to the guest's inbound ring and signals the guest.
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
}

package dev.partita.vmbus.ring;

/**
 * A guest-controlled ring value (index, packet length or offset) that the root cannot accept.
 * The channel that owns the ring is closed with this message as its reason.
 */
public final class RingCorruptException extends Exception {
    public RingCorruptException(String message) {
        super(message);
    }
}

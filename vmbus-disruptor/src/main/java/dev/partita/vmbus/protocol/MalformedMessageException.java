package dev.partita.vmbus.protocol;

/** A channel message that cannot be decoded (too short, bad field); the message is dropped. */
public final class MalformedMessageException extends Exception {
    public MalformedMessageException(String message) {
        super(message);
    }
}

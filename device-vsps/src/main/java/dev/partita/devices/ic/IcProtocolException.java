package dev.partita.devices.ic;

/**
 * The integration-component protocol layer's one error type: a guest message this component cannot
 * accept, with the {@link Reason} and a message naming the bad value. Created without a stack trace:
 * it reports guest input, not a host fault.
 */
public final class IcProtocolException extends Exception {
    /** Why the message was refused. */
    public enum Reason {
        /** Shorter than the pipe and IC headers, or than the data its type needs. */
        TRUNCATED_MESSAGE,
        /** A message from the guest without the RESPONSE flag: the host always speaks first. */
        NOT_A_RESPONSE,
        /** A message type no Partita component sends. */
        UNKNOWN_TYPE,
        /** The guest's negotiation answer names no versions (it found none in common). */
        NO_COMMON_VERSION,
        /** The guest's negotiation answer is malformed or picks a version that was not offered. */
        BAD_NEGOTIATION
    }

    private final Reason reason;

    public IcProtocolException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}

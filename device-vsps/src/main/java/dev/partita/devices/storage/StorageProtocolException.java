package dev.partita.devices.storage;

/**
 * The storage protocol layer's one error type: a guest packet, range list or saved state that this
 * VSP cannot accept, with the {@link Reason} it was refused for and a message naming the bad value.
 * Created without a stack trace: it reports guest input, not a host fault.
 */
public final class StorageProtocolException extends Exception {
    /** Why the input was refused. */
    public enum Reason {
        /** The packet is shorter than the vstor header it must carry. */
        TRUNCATED_PACKET,
        /** A GPA-direct range list that is inconsistent or names memory outside guest RAM. */
        BAD_RANGES,
        /** Saved state in an unknown format or with impossible values. */
        BAD_SAVED_STATE
    }

    private final Reason reason;

    public StorageProtocolException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}

package dev.partita.vmbus.gpadl;

/** A GPADL the guest described inconsistently; it is refused (GPADL_CREATED with a failure status). */
public final class GpadlException extends Exception {
    public GpadlException(String message) {
        super(message);
    }
}

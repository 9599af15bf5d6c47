package dev.partita.vmms.worker.control;

/** A worker's control socket could not be reached, or answered with something that is not a reply. */
public final class ControlException extends Exception {
    public ControlException(String message) {
        super(message);
    }

    public ControlException(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.partita.hv.state;

/**
 * A state file (or one of its sections) cannot be used: truncated, corrupted, forged, of another
 * format version, or made by a VM of another configuration. The message is one line naming the
 * problem and, where there is one, the section and file offset.
 */
public final class StateFileException extends Exception {

    public StateFileException(String message) {
        super(message);
    }

    public StateFileException(String message, Throwable cause) {
        super(message, cause);
    }
}

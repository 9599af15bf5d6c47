package dev.partita.hv.spi;

/** A backend operation failed; the message names the operation and the cause (errno, reason). */
public class BackendException extends RuntimeException {
    public BackendException(String message) {
        super(message);
    }

    public BackendException(String message, Throwable cause) {
        super(message, cause);
    }
}

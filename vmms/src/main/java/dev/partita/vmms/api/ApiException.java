package dev.partita.vmms.api;

/**
 * A failed API call: the service's answer was not a success ({@link #status()} is its HTTP status and the
 * message its {@link ApiError} sentence), or the service could not be reached ({@link #status()} is 0).
 */
public final class ApiException extends Exception {
    private final int status;

    public ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public ApiException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
    }

    /** The HTTP status, or 0 when no answer came. */
    public int status() {
        return status;
    }
}

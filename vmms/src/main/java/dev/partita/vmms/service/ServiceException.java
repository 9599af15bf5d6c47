package dev.partita.vmms.service;

/**
 * A request the service refuses or cannot carry out, with the HTTP status the API answers: 400 bad input,
 * 401 missing or wrong token, 404 no such VM or route, 409 a verb illegal in the VM's state or a name taken,
 * 413 a body too large, 500 an internal failure (a worker that could not be started).
 */
public final class ServiceException extends Exception {
    private final int status;

    public ServiceException(int status, String message) {
        super(message);
        this.status = status;
    }

    public ServiceException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public int status() {
        return status;
    }

    static ServiceException badRequest(String message) {
        return new ServiceException(400, message);
    }

    static ServiceException conflict(String message) {
        return new ServiceException(409, message);
    }

    static ServiceException notFound(String message) {
        return new ServiceException(404, message);
    }
}

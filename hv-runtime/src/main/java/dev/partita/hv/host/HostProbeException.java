package dev.partita.hv.host;

/** A host fact could not be gathered at all (not "the fact is negative"): carries the operation and cause. */
public final class HostProbeException extends RuntimeException {

    /** @param operation what was being done, e.g. "CPUID on the host" */
    public HostProbeException(String operation, Throwable cause) {
        super(operation + ": " + cause.getMessage(), cause);
    }

    /** @param operation what was being done; @param detail why it failed */
    public HostProbeException(String operation, String detail) {
        super(operation + ": " + detail);
    }
}

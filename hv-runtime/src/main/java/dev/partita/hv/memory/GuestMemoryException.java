package dev.partita.hv.memory;

/**
 * A guest-physical access that does not lie inside guest RAM, or a mapping that failed.
 * Carries the operation, the guest-physical address and the length so the report names the
 * faulty guest value.
 */
public final class GuestMemoryException extends RuntimeException {
    private final long gpa;
    private final long length;

    public GuestMemoryException(String operation, long gpa, long length, String why) {
        super(operation + " gpa=0x" + Long.toHexString(gpa) + " length=" + length + ": " + why);
        this.gpa = gpa;
        this.length = length;
    }

    public GuestMemoryException(String message, Throwable cause) {
        super(message, cause);
        this.gpa = -1;
        this.length = 0;
    }

    /** The guest-physical address of the failed access, or -1 when the failure was not an access. */
    public long gpa() {
        return gpa;
    }

    /** The length of the failed access in bytes. */
    public long length() {
        return length;
    }
}

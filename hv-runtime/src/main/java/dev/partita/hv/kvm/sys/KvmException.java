package dev.partita.hv.kvm.sys;

import dev.partita.nativebindings.libc.Errno;

/**
 * A failed KVM or libc call made by the owners in this package: carries the operation (the ioctl or
 * function name, e.g. {@code KVM_SET_USER_MEMORY_REGION}) and the errno it failed with. The message
 * reads {@code "KVM_SET_USER_MEMORY_REGION failed: EEXIST (17)"}. Failures that are not an errno
 * (an unexpected API version, a bad argument caught before the call) have errno 0 and a detail text.
 * Unchecked: every call site is expected to let it reach the partition's error handling.
 */
public final class KvmException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String operation;
    private final int errno;

    /** The call {@code operation} returned -1 with {@code errno}. */
    public KvmException(String operation, int errno) {
        super(operation + " failed: " + Errno.name(errno) + " (" + errno + ")");
        this.operation = operation;
        this.errno = errno;
    }

    /** {@code operation} could not be done for a reason other than an errno (errno() is 0). */
    public KvmException(String operation, String detail) {
        super(operation + " failed: " + detail);
        this.operation = operation;
        this.errno = 0;
    }

    /** The ioctl or function name, e.g. {@code KVM_RUN}. */
    public String operation() {
        return operation;
    }

    /** The errno, or 0 when the failure was not an errno. */
    public int errno() {
        return errno;
    }
}

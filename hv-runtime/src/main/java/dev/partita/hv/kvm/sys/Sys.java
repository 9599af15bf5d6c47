package dev.partita.hv.kvm.sys;

import dev.partita.nativebindings.kvm.Kvm_h;
import dev.partita.nativebindings.libc.Libc;

import java.lang.foreign.MemorySegment;

/** The one errno path: checked ioctl calls that throw {@link KvmException} naming the request. */
final class Sys {
    private Sys() {}

    /** {@code ioctl(fd, request, arg)} with a pointer argument; returns the non-negative result. */
    static int ioctl(int fd, long request, MemorySegment arg) {
        int rc = Libc.ioctlPtr(fd, request, arg);
        if (rc < 0) {
            throw new KvmException(Kvm_h.ioctlName(request), Libc.errno());
        }
        return rc;
    }

    /** {@code ioctl(fd, request, arg)} with an integer argument (or none: pass 0). */
    static int ioctl(int fd, long request, long arg) {
        int rc = Libc.ioctlLong(fd, request, arg);
        if (rc < 0) {
            throw new KvmException(Kvm_h.ioctlName(request), Libc.errno());
        }
        return rc;
    }

    /** Checks a libc result that is -1 on failure. */
    static int check(String operation, int rc) {
        if (rc < 0) {
            throw new KvmException(operation, Libc.errno());
        }
        return rc;
    }
}

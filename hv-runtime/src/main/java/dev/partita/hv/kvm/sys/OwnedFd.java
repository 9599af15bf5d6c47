package dev.partita.hv.kvm.sys;

import dev.partita.nativebindings.libc.Libc;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One file descriptor with exactly-once close. {@link #get()} is safe from any thread; {@link #close()}
 * may race with it but the descriptor number is only released once (later {@code get()} calls throw).
 * The caller must not close while another thread is still inside a call on the descriptor, or the
 * number may be reused by an unrelated open.
 */
final class OwnedFd {
    private final String what;
    private final AtomicInteger fd;

    OwnedFd(String what, int fd) {
        this.what = what;
        this.fd = new AtomicInteger(fd);
    }

    /** The descriptor; throws {@link IllegalStateException} once closed. */
    int get() {
        int v = fd.get();
        if (v < 0) {
            throw new IllegalStateException(what + " is closed");
        }
        return v;
    }

    boolean isOpen() {
        return fd.get() >= 0;
    }

    /** Closes the descriptor the first time; later calls do nothing. */
    void close() {
        int v = fd.getAndSet(-1);
        if (v >= 0 && Libc.close(v) != 0) {
            int errno = Libc.errno();
            // EINTR on close still releases the descriptor on Linux; anything else is a real bug.
            if (errno != Libc.EINTR) {
                throw new KvmException("close(" + what + ")", errno);
            }
        }
    }
}

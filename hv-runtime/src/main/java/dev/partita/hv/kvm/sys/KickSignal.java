package dev.partita.hv.kvm.sys;

import dev.partita.nativebindings.libc.Libc;
import dev.partita.nativebindings.libc.sigaction;
import dev.partita.nativebindings.libc.sigset_t;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The process-wide signal that knocks a vCPU thread out of KVM_RUN.
 *
 * <p>Signal {@link #SIGNAL} (real-time signal 40 = glibc SIGRTMIN+6; HotSpot uses none of the
 * real-time signals, glibc keeps 32 and 33) gets a handler that is a single {@code ret} instruction on
 * an executable page, installed once per process with {@code sa_flags = 0}: no SA_RESTART, so a
 * blocking KVM_RUN returns EINTR, and no Java code runs in signal context. The page is never unmapped.
 * If something else already handles signal 40 the install fails rather than stealing it.
 */
final class KickSignal {
    /** Real-time signal used for kicks: SIGRTMIN + 6 = 40. */
    static final int SIGNAL = Libc.SIGRTMIN + 6;
    private static final byte RET = (byte) 0xC3;

    private static ExecutableCode handler; // guarded by KickSignal.class; lives for the process

    private KickSignal() {}

    /** Installs the handler the first time; later calls return at once. Thread-safe. */
    static synchronized void ensureInstalled() {
        if (handler != null) {
            return;
        }
        ExecutableCode code = ExecutableCode.load(new byte[] {RET});
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment old = sigaction.allocate(arena);
            Sys.check("sigaction(" + SIGNAL + ", query)", Libc.sigaction(SIGNAL, MemorySegment.NULL, old));
            long oldHandler = sigaction.sa_handler(old).address();
            if (oldHandler != Libc.SIG_DFL && oldHandler != Libc.SIG_IGN) {
                code.close();
                throw new KvmException("sigaction(" + SIGNAL + ")",
                        "signal " + SIGNAL + " already has a handler at 0x" + Long.toHexString(oldHandler));
            }
            MemorySegment act = sigaction.allocate(arena);
            sigaction.sa_handler(act, code.address(0));
            Sys.check("sigemptyset", Libc.sigemptyset(sigaction.sa_mask(act)));
            sigaction.sa_flags(act, 0);
            Sys.check("sigaction(" + SIGNAL + ")", Libc.sigaction(SIGNAL, act, MemorySegment.NULL));
        } catch (RuntimeException e) {
            code.close();
            throw e;
        }
        handler = code;
    }

    /** Makes sure the calling thread does not block {@link #SIGNAL}. */
    static void unblockInCurrentThread() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment set = sigset_t.allocate(arena);
            Sys.check("sigemptyset", Libc.sigemptyset(set));
            Sys.check("sigaddset", Libc.sigaddset(set, SIGNAL));
            int err = Libc.pthread_sigmask(Libc.SIG_UNBLOCK, set, MemorySegment.NULL);
            if (err != 0) {
                throw new KvmException("pthread_sigmask(SIG_UNBLOCK)", err);
            }
        }
    }

    /**
     * Sends the kick signal to thread {@code tid} of this process. Returns false when that thread no
     * longer exists (ESRCH), which callers treat as "nothing to interrupt".
     */
    static boolean send(int tid) {
        if (Libc.tgkill(Libc.getpid(), tid, SIGNAL) == 0) {
            return true;
        }
        int errno = Libc.errno();
        if (errno == Libc.ESRCH) {
            return false;
        }
        throw new KvmException("tgkill(" + tid + ", " + SIGNAL + ")", errno);
    }
}

package dev.partita.nativebindings.libc;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Header class for the parts of glibc (x86-64 Linux) that Partita uses, in the shape jextract
 * generates: constants, then one {@code MethodHandle} per function with static wrappers.
 *
 * <h2>errno</h2>
 * Every function that reports failure through {@code errno} is bound with
 * {@code Linker.Option.captureCallState("errno")}. Each such function comes in two forms:
 * <ul>
 *   <li>the jextract form, whose first argument is a capture segment of layout
 *       {@link #ERRNO_CAPTURE_LAYOUT} (allocate one with {@link #allocateErrnoCapture(Arena)} and
 *       read it with {@link #errno(MemorySegment)}); and {@code name$handle()} giving the raw
 *       handle (its first parameter is that capture segment);</li>
 *   <li>the convenience form without that argument, which captures into a segment private to the
 *       calling thread; read the value with {@link #errno()} right after the call, on the same
 *       thread. Every convenience call overwrites that thread's value (also on success, where it
 *       is meaningless), so read it only when the result says the call failed.</li>
 * </ul>
 * Functions that return an error number directly ({@code pthread_sigmask}) or cannot fail
 * ({@code getpid}, {@code gettid}) are bound without capture.
 *
 * <p>Threading: all methods are thread-safe; the per-thread capture segment is confined to its
 * thread. Ioctl requests are {@code unsigned long} in C and passed as Java {@code long}.
 * Addresses and lengths are passed as given: callers check them (no logic lives here).
 */
public final class Libc {
    private Libc() {}

    // ---- open(2) flags ----
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_CREAT = 0100;
    public static final int O_EXCL = 0200;
    public static final int O_TRUNC = 01000;
    public static final int O_NONBLOCK = 04000;
    public static final int O_CLOEXEC = 02000000;

    // ---- mmap(2) / mprotect(2) ----
    public static final int PROT_NONE = 0;
    public static final int PROT_READ = 1;
    public static final int PROT_WRITE = 2;
    public static final int PROT_EXEC = 4;
    public static final int MAP_SHARED = 0x01;
    public static final int MAP_PRIVATE = 0x02;
    public static final int MAP_FIXED = 0x10;
    public static final int MAP_ANONYMOUS = 0x20;
    public static final int MAP_NORESERVE = 0x4000;
    public static final int MAP_POPULATE = 0x8000;
    public static final int MAP_FIXED_NOREPLACE = 0x100000;
    /** The address value of {@code MAP_FAILED} ({@code (void *) -1}); compare {@code segment.address()} with it. */
    public static final long MAP_FAILED_ADDRESS = -1L;

    /** {@code MAP_FAILED} as a zero-length segment, for identity-free comparison by address. */
    public static MemorySegment MAP_FAILED() {
        return MemorySegment.ofAddress(MAP_FAILED_ADDRESS);
    }

    // ---- madvise(2) ----
    public static final int MADV_NORMAL = 0;
    public static final int MADV_RANDOM = 1;
    public static final int MADV_SEQUENTIAL = 2;
    public static final int MADV_WILLNEED = 3;
    public static final int MADV_DONTNEED = 4;
    public static final int MADV_REMOVE = 9;
    public static final int MADV_DONTFORK = 10;
    public static final int MADV_DOFORK = 11;
    public static final int MADV_MERGEABLE = 12;
    public static final int MADV_UNMERGEABLE = 13;
    public static final int MADV_HUGEPAGE = 14;
    public static final int MADV_NOHUGEPAGE = 15;

    // ---- msync(2) ----
    public static final int MS_ASYNC = 1;
    public static final int MS_INVALIDATE = 2;
    public static final int MS_SYNC = 4;

    // ---- memfd_create(2) ----
    public static final int MFD_CLOEXEC = 1;
    public static final int MFD_ALLOW_SEALING = 2;

    // ---- eventfd(2) ----
    public static final int EFD_SEMAPHORE = 1;
    public static final int EFD_NONBLOCK = 04000;
    public static final int EFD_CLOEXEC = 02000000;

    // ---- poll(2) events ----
    public static final short POLLIN = 0x001;
    public static final short POLLPRI = 0x002;
    public static final short POLLOUT = 0x004;
    public static final short POLLERR = 0x008;
    public static final short POLLHUP = 0x010;
    public static final short POLLNVAL = 0x020;

    // ---- signals (x86-64 numbering) ----
    public static final int SIGHUP = 1;
    public static final int SIGINT = 2;
    public static final int SIGQUIT = 3;
    public static final int SIGILL = 4;
    public static final int SIGTRAP = 5;
    public static final int SIGABRT = 6;
    public static final int SIGBUS = 7;
    public static final int SIGFPE = 8;
    public static final int SIGKILL = 9;
    public static final int SIGUSR1 = 10;
    public static final int SIGSEGV = 11;
    public static final int SIGUSR2 = 12;
    public static final int SIGPIPE = 13;
    public static final int SIGALRM = 14;
    public static final int SIGTERM = 15;
    public static final int SIGCHLD = 17;
    public static final int SIGCONT = 18;
    public static final int SIGSTOP = 19;
    /** glibc's {@code SIGRTMIN} as it stands at run time (glibc keeps 32 and 33 for itself). */
    public static final int SIGRTMIN = 34;
    public static final int SIGRTMAX = 64;
    /** {@code SIG_DFL} handler value. */
    public static final long SIG_DFL = 0L;
    /** {@code SIG_IGN} handler value. */
    public static final long SIG_IGN = 1L;
    // sigaction.sa_flags
    public static final int SA_NOCLDSTOP = 1;
    public static final int SA_NOCLDWAIT = 2;
    public static final int SA_SIGINFO = 4;
    public static final int SA_ONSTACK = 0x08000000;
    public static final int SA_RESTART = 0x10000000;
    public static final int SA_NODEFER = 0x40000000;
    public static final int SA_RESETHAND = 0x80000000;
    // pthread_sigmask(3) how
    public static final int SIG_BLOCK = 0;
    public static final int SIG_UNBLOCK = 1;
    public static final int SIG_SETMASK = 2;

    // ---- syscall numbers (x86-64) ----
    public static final long SYS_gettid = 186;
    public static final long SYS_tgkill = 234;

    // ---- sysconf(3) names ----
    public static final int _SC_CLK_TCK = 2;
    public static final int _SC_PAGESIZE = 30;
    public static final int _SC_NPROCESSORS_CONF = 83;
    public static final int _SC_NPROCESSORS_ONLN = 84;

    // ---- errno values (asm-generic/errno-base.h, asm-generic/errno.h); names in Errno ----
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int ENXIO = 6;
    public static final int E2BIG = 7;
    public static final int ENOEXEC = 8;
    public static final int EBADF = 9;
    public static final int ECHILD = 10;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EFAULT = 14;
    public static final int ENOTBLK = 15;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int EXDEV = 18;
    public static final int ENODEV = 19;
    public static final int ENOTDIR = 20;
    public static final int EISDIR = 21;
    public static final int EINVAL = 22;
    public static final int ENFILE = 23;
    public static final int EMFILE = 24;
    public static final int ENOTTY = 25;
    public static final int ETXTBSY = 26;
    public static final int EFBIG = 27;
    public static final int ENOSPC = 28;
    public static final int ESPIPE = 29;
    public static final int EROFS = 30;
    public static final int EMLINK = 31;
    public static final int EPIPE = 32;
    public static final int EDOM = 33;
    public static final int ERANGE = 34;
    public static final int EDEADLK = 35;
    public static final int ENAMETOOLONG = 36;
    public static final int ENOLCK = 37;
    public static final int ENOSYS = 38;
    public static final int ENOTEMPTY = 39;
    public static final int ELOOP = 40;
    public static final int ENOMSG = 42;
    public static final int EIDRM = 43;
    public static final int ENODATA = 61;
    public static final int ETIME = 62;
    public static final int EPROTO = 71;
    public static final int EOVERFLOW = 75;
    public static final int EBADFD = 77;
    public static final int EILSEQ = 84;
    public static final int ERESTART = 85;
    public static final int EOPNOTSUPP = 95;
    public static final int EADDRINUSE = 98;
    public static final int EADDRNOTAVAIL = 99;
    public static final int ENETDOWN = 100;
    public static final int ECONNRESET = 104;
    public static final int ENOBUFS = 105;
    public static final int ETIMEDOUT = 110;
    public static final int ECONNREFUSED = 111;
    public static final int EHOSTUNREACH = 113;
    public static final int EALREADY = 114;
    public static final int EINPROGRESS = 115;
    public static final int ECANCELED = 125;
    public static final int EOWNERDEAD = 130;
    public static final int ENOTRECOVERABLE = 131;
    public static final int ERFKILL = 132;
    public static final int EHWPOISON = 133;

    // ---- linking ----
    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LOOKUP = LINKER.defaultLookup();
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    /** Layout of the capture segment passed first to every errno-capturing function. */
    public static final StructLayout ERRNO_CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final long ERRNO_OFFSET =
            ERRNO_CAPTURE_LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("errno"));
    /** C {@code void *} as an address layout (pointee size unknown: reinterpret before use). */
    public static final AddressLayout C_POINTER = ADDRESS;

    private static final ThreadLocal<MemorySegment> THREAD_CAPTURE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(ERRNO_CAPTURE_LAYOUT));

    /** Allocates a capture segment for the jextract-form calls. */
    public static MemorySegment allocateErrnoCapture(Arena arena) {
        return arena.allocate(ERRNO_CAPTURE_LAYOUT);
    }

    /** The errno value stored in a capture segment by the last call that used it. */
    public static int errno(MemorySegment capture) {
        return capture.get(JAVA_INT, ERRNO_OFFSET);
    }

    /** The errno captured by the calling thread's most recent convenience-form call. */
    public static int errno() {
        return errno(THREAD_CAPTURE.get());
    }

    private static MemorySegment threadCapture() {
        return THREAD_CAPTURE.get();
    }

    private static MethodHandle bind(String name, FunctionDescriptor fd, Linker.Option... options) {
        MemorySegment symbol = LOOKUP.find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc symbol not found: " + name));
        return LINKER.downcallHandle(symbol, fd, options);
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException re) {
            return re;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("unexpected checked exception from a downcall", t);
    }

    private static final ValueLayout.OfInt C_INT = JAVA_INT;
    private static final ValueLayout.OfLong C_LONG = JAVA_LONG;

    // ---- handles ----
    private static final MethodHandle OPEN = bind("open",
            FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_INT), CAPTURE_ERRNO, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle CLOSE = bind("close", FunctionDescriptor.of(C_INT, C_INT), CAPTURE_ERRNO);
    private static final MethodHandle IOCTL_INT = bind("ioctl",
            FunctionDescriptor.of(C_INT, C_INT, C_LONG, C_INT), CAPTURE_ERRNO, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle IOCTL_LONG = bind("ioctl",
            FunctionDescriptor.of(C_INT, C_INT, C_LONG, C_LONG), CAPTURE_ERRNO, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle IOCTL_PTR = bind("ioctl",
            FunctionDescriptor.of(C_INT, C_INT, C_LONG, C_POINTER), CAPTURE_ERRNO, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle MMAP = bind("mmap",
            FunctionDescriptor.of(C_POINTER, C_POINTER, C_LONG, C_INT, C_INT, C_INT, C_LONG), CAPTURE_ERRNO);
    private static final MethodHandle MUNMAP = bind("munmap",
            FunctionDescriptor.of(C_INT, C_POINTER, C_LONG), CAPTURE_ERRNO);
    private static final MethodHandle MPROTECT = bind("mprotect",
            FunctionDescriptor.of(C_INT, C_POINTER, C_LONG, C_INT), CAPTURE_ERRNO);
    private static final MethodHandle MADVISE = bind("madvise",
            FunctionDescriptor.of(C_INT, C_POINTER, C_LONG, C_INT), CAPTURE_ERRNO);
    private static final MethodHandle MSYNC = bind("msync",
            FunctionDescriptor.of(C_INT, C_POINTER, C_LONG, C_INT), CAPTURE_ERRNO);
    private static final MethodHandle MEMFD_CREATE = bind("memfd_create",
            FunctionDescriptor.of(C_INT, C_POINTER, C_INT), CAPTURE_ERRNO);
    private static final MethodHandle FTRUNCATE = bind("ftruncate",
            FunctionDescriptor.of(C_INT, C_INT, C_LONG), CAPTURE_ERRNO);
    private static final MethodHandle EVENTFD = bind("eventfd",
            FunctionDescriptor.of(C_INT, C_INT, C_INT), CAPTURE_ERRNO);
    private static final MethodHandle READ = bind("read",
            FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG), CAPTURE_ERRNO);
    private static final MethodHandle WRITE = bind("write",
            FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG), CAPTURE_ERRNO);
    private static final MethodHandle POLL = bind("poll",
            FunctionDescriptor.of(C_INT, C_POINTER, C_LONG, C_INT), CAPTURE_ERRNO);
    private static final MethodHandle GETPID = bind("getpid", FunctionDescriptor.of(C_INT));
    private static final MethodHandle GETTID = bind("gettid", FunctionDescriptor.of(C_INT));
    private static final MethodHandle SYSCALL3 = bind("syscall",
            FunctionDescriptor.of(C_LONG, C_LONG, C_LONG, C_LONG, C_LONG), CAPTURE_ERRNO,
            Linker.Option.firstVariadicArg(1));
    private static final MethodHandle TGKILL = bind("tgkill",
            FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT), CAPTURE_ERRNO);
    private static final MethodHandle SIGACTION = bind("sigaction",
            FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_POINTER), CAPTURE_ERRNO);
    private static final MethodHandle SIGEMPTYSET = bind("sigemptyset",
            FunctionDescriptor.of(C_INT, C_POINTER), CAPTURE_ERRNO);
    private static final MethodHandle SIGADDSET = bind("sigaddset",
            FunctionDescriptor.of(C_INT, C_POINTER, C_INT), CAPTURE_ERRNO);
    private static final MethodHandle PTHREAD_SIGMASK = bind("pthread_sigmask",
            FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_POINTER));
    private static final MethodHandle PTHREAD_SELF = bind("pthread_self", FunctionDescriptor.of(C_LONG));
    private static final MethodHandle SYSCONF = bind("sysconf",
            FunctionDescriptor.of(C_LONG, C_INT), CAPTURE_ERRNO);

    // ---- open / close ----

    /** Raw handle of {@code int open(const char *path, int flags, ...)}; first parameter is the capture segment. */
    public static MethodHandle open$handle() { return OPEN; }

    /** {@code open(path, flags, mode)}; {@code path} is a NUL-terminated string. Returns the fd or -1. */
    public static int open(MemorySegment errno, MemorySegment path, int flags, int mode) {
        try { return (int) OPEN.invokeExact(errno, path, flags, mode); } catch (Throwable t) { throw rethrow(t); }
    }

    /** Convenience form of {@link #open(MemorySegment, MemorySegment, int, int)}; errno via {@link #errno()}. */
    public static int open(MemorySegment path, int flags, int mode) {
        return open(threadCapture(), path, flags, mode);
    }

    public static MethodHandle close$handle() { return CLOSE; }

    public static int close(MemorySegment errno, int fd) {
        try { return (int) CLOSE.invokeExact(errno, fd); } catch (Throwable t) { throw rethrow(t); }
    }

    public static int close(int fd) { return close(threadCapture(), fd); }

    // ---- ioctl ----

    /** Raw handle of {@code ioctl(int, unsigned long, int)}. */
    public static MethodHandle ioctlInt$handle() { return IOCTL_INT; }

    /** Raw handle of {@code ioctl(int, unsigned long, unsigned long)}. */
    public static MethodHandle ioctlLong$handle() { return IOCTL_LONG; }

    /** Raw handle of {@code ioctl(int, unsigned long, void *)}. */
    public static MethodHandle ioctlPtr$handle() { return IOCTL_PTR; }

    public static int ioctlInt(MemorySegment errno, int fd, long request, int arg) {
        try { return (int) IOCTL_INT.invokeExact(errno, fd, request, arg); } catch (Throwable t) { throw rethrow(t); }
    }

    public static int ioctlInt(int fd, long request, int arg) { return ioctlInt(threadCapture(), fd, request, arg); }

    public static int ioctlLong(MemorySegment errno, int fd, long request, long arg) {
        try { return (int) IOCTL_LONG.invokeExact(errno, fd, request, arg); } catch (Throwable t) { throw rethrow(t); }
    }

    public static int ioctlLong(int fd, long request, long arg) { return ioctlLong(threadCapture(), fd, request, arg); }

    public static int ioctlPtr(MemorySegment errno, int fd, long request, MemorySegment arg) {
        try { return (int) IOCTL_PTR.invokeExact(errno, fd, request, arg); } catch (Throwable t) { throw rethrow(t); }
    }

    public static int ioctlPtr(int fd, long request, MemorySegment arg) {
        return ioctlPtr(threadCapture(), fd, request, arg);
    }

    // ---- memory mapping ----

    public static MethodHandle mmap$handle() { return MMAP; }

    /**
     * {@code mmap}; returns a zero-length segment at the mapped address (reinterpret it to the length
     * mapped) or one whose address is {@link #MAP_FAILED_ADDRESS}.
     */
    public static MemorySegment mmap(MemorySegment errno, MemorySegment addr, long length, int prot, int flags,
                                     int fd, long offset) {
        try {
            return (MemorySegment) MMAP.invokeExact(errno, addr, length, prot, flags, fd, offset);
        } catch (Throwable t) { throw rethrow(t); }
    }

    public static MemorySegment mmap(MemorySegment addr, long length, int prot, int flags, int fd, long offset) {
        return mmap(threadCapture(), addr, length, prot, flags, fd, offset);
    }

    public static MethodHandle munmap$handle() { return MUNMAP; }

    public static int munmap(MemorySegment errno, MemorySegment addr, long length) {
        try { return (int) MUNMAP.invokeExact(errno, addr, length); } catch (Throwable t) { throw rethrow(t); }
    }

    public static int munmap(MemorySegment addr, long length) { return munmap(threadCapture(), addr, length); }

    public static MethodHandle mprotect$handle() { return MPROTECT; }

    public static int mprotect(MemorySegment errno, MemorySegment addr, long length, int prot) {
        try { return (int) MPROTECT.invokeExact(errno, addr, length, prot); } catch (Throwable t) { throw rethrow(t); }
    }

    public static int mprotect(MemorySegment addr, long length, int prot) {
        return mprotect(threadCapture(), addr, length, prot);
    }

    public static MethodHandle madvise$handle() { return MADVISE; }

    public static int madvise(MemorySegment errno, MemorySegment addr, long length, int advice) {
        try { return (int) MADVISE.invokeExact(errno, addr, length, advice); } catch (Throwable t) { throw rethrow(t); }
    }

    public static int madvise(MemorySegment addr, long length, int advice) {
        return madvise(threadCapture(), addr, length, advice);
    }

    public static MethodHandle msync$handle() { return MSYNC; }

    public static int msync(MemorySegment errno, MemorySegment addr, long length, int flags) {
        try { return (int) MSYNC.invokeExact(errno, addr, length, flags); } catch (Throwable t) { throw rethrow(t); }
    }

    public static int msync(MemorySegment addr, long length, int flags) {
        return msync(threadCapture(), addr, length, flags);
    }

    public static MethodHandle memfd_create$handle() { return MEMFD_CREATE; }

    /** {@code memfd_create(name, flags)}; {@code name} is a NUL-terminated string. */
    public static int memfd_create(MemorySegment errno, MemorySegment name, int flags) {
        try { return (int) MEMFD_CREATE.invokeExact(errno, name, flags); } catch (Throwable t) { throw rethrow(t); }
    }

    public static int memfd_create(MemorySegment name, int flags) { return memfd_create(threadCapture(), name, flags); }

    public static MethodHandle ftruncate$handle() { return FTRUNCATE; }

    public static int ftruncate(MemorySegment errno, int fd, long length) {
        try { return (int) FTRUNCATE.invokeExact(errno, fd, length); } catch (Throwable t) { throw rethrow(t); }
    }

    public static int ftruncate(int fd, long length) { return ftruncate(threadCapture(), fd, length); }

    // ---- eventfd / read / write / poll ----

    public static MethodHandle eventfd$handle() { return EVENTFD; }

    /** {@code eventfd(initval, flags)}; {@code initval} is an unsigned int in C. */
    public static int eventfd(MemorySegment errno, int initval, int flags) {
        try { return (int) EVENTFD.invokeExact(errno, initval, flags); } catch (Throwable t) { throw rethrow(t); }
    }

    public static int eventfd(int initval, int flags) { return eventfd(threadCapture(), initval, flags); }

    public static MethodHandle read$handle() { return READ; }

    public static long read(MemorySegment errno, int fd, MemorySegment buf, long count) {
        try { return (long) READ.invokeExact(errno, fd, buf, count); } catch (Throwable t) { throw rethrow(t); }
    }

    public static long read(int fd, MemorySegment buf, long count) { return read(threadCapture(), fd, buf, count); }

    public static MethodHandle write$handle() { return WRITE; }

    public static long write(MemorySegment errno, int fd, MemorySegment buf, long count) {
        try { return (long) WRITE.invokeExact(errno, fd, buf, count); } catch (Throwable t) { throw rethrow(t); }
    }

    public static long write(int fd, MemorySegment buf, long count) { return write(threadCapture(), fd, buf, count); }

    public static MethodHandle poll$handle() { return POLL; }

    /** {@code poll(fds, nfds, timeoutMillis)}; {@code fds} is an array of {@link pollfd}. */
    public static int poll(MemorySegment errno, MemorySegment fds, long nfds, int timeoutMillis) {
        try { return (int) POLL.invokeExact(errno, fds, nfds, timeoutMillis); } catch (Throwable t) { throw rethrow(t); }
    }

    public static int poll(MemorySegment fds, long nfds, int timeoutMillis) {
        return poll(threadCapture(), fds, nfds, timeoutMillis);
    }

    // ---- processes, threads, signals ----

    public static MethodHandle getpid$handle() { return GETPID; }

    public static int getpid() {
        try { return (int) GETPID.invokeExact(); } catch (Throwable t) { throw rethrow(t); }
    }

    public static MethodHandle gettid$handle() { return GETTID; }

    /** Kernel thread id of the calling thread (glibc {@code gettid()}, same as {@code syscall(SYS_gettid)}). */
    public static int gettid() {
        try { return (int) GETTID.invokeExact(); } catch (Throwable t) { throw rethrow(t); }
    }

    public static MethodHandle syscall$handle() { return SYSCALL3; }

    /** {@code syscall(number, a1, a2, a3)}; unused arguments are ignored by the kernel (pass 0). */
    public static long syscall(MemorySegment errno, long number, long a1, long a2, long a3) {
        try { return (long) SYSCALL3.invokeExact(errno, number, a1, a2, a3); } catch (Throwable t) { throw rethrow(t); }
    }

    public static long syscall(long number, long a1, long a2, long a3) {
        return syscall(threadCapture(), number, a1, a2, a3);
    }

    public static MethodHandle tgkill$handle() { return TGKILL; }

    public static int tgkill(MemorySegment errno, int tgid, int tid, int sig) {
        try { return (int) TGKILL.invokeExact(errno, tgid, tid, sig); } catch (Throwable t) { throw rethrow(t); }
    }

    public static int tgkill(int tgid, int tid, int sig) { return tgkill(threadCapture(), tgid, tid, sig); }

    public static MethodHandle sigaction$handle() { return SIGACTION; }

    /** {@code sigaction(sig, act, oldact)}; {@code act}/{@code oldact} are {@link sigaction} structs or NULL. */
    public static int sigaction(MemorySegment errno, int sig, MemorySegment act, MemorySegment oldact) {
        try { return (int) SIGACTION.invokeExact(errno, sig, act, oldact); } catch (Throwable t) { throw rethrow(t); }
    }

    public static int sigaction(int sig, MemorySegment act, MemorySegment oldact) {
        return sigaction(threadCapture(), sig, act, oldact);
    }

    public static MethodHandle sigemptyset$handle() { return SIGEMPTYSET; }

    public static int sigemptyset(MemorySegment errno, MemorySegment set) {
        try { return (int) SIGEMPTYSET.invokeExact(errno, set); } catch (Throwable t) { throw rethrow(t); }
    }

    public static int sigemptyset(MemorySegment set) { return sigemptyset(threadCapture(), set); }

    public static MethodHandle sigaddset$handle() { return SIGADDSET; }

    public static int sigaddset(MemorySegment errno, MemorySegment set, int sig) {
        try { return (int) SIGADDSET.invokeExact(errno, set, sig); } catch (Throwable t) { throw rethrow(t); }
    }

    public static int sigaddset(MemorySegment set, int sig) { return sigaddset(threadCapture(), set, sig); }

    public static MethodHandle pthread_sigmask$handle() { return PTHREAD_SIGMASK; }

    /** {@code pthread_sigmask(how, set, oldset)}: returns 0 or an error NUMBER (it does not set errno). */
    public static int pthread_sigmask(int how, MemorySegment set, MemorySegment oldset) {
        try { return (int) PTHREAD_SIGMASK.invokeExact(how, set, oldset); } catch (Throwable t) { throw rethrow(t); }
    }

    public static MethodHandle pthread_self$handle() { return PTHREAD_SELF; }

    public static long pthread_self() {
        try { return (long) PTHREAD_SELF.invokeExact(); } catch (Throwable t) { throw rethrow(t); }
    }

    public static MethodHandle sysconf$handle() { return SYSCONF; }

    public static long sysconf(MemorySegment errno, int name) {
        try { return (long) SYSCONF.invokeExact(errno, name); } catch (Throwable t) { throw rethrow(t); }
    }

    public static long sysconf(int name) { return sysconf(threadCapture(), name); }
}

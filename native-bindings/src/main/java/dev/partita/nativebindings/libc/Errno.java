package dev.partita.nativebindings.libc;

/**
 * Names of errno values ({@code 17 -> "EEXIST"}), for messages. The numbers are the constants in
 * {@link Libc}; this is only a name table. Stateless and thread-safe.
 */
public final class Errno {
    private Errno() {}

    /** The symbolic name of {@code errno}, or {@code "errno <n>"} when it has no entry here. */
    public static String name(int errno) {
        return switch (errno) {
            case 1 -> "EPERM";
            case 2 -> "ENOENT";
            case 3 -> "ESRCH";
            case 4 -> "EINTR";
            case 5 -> "EIO";
            case 6 -> "ENXIO";
            case 7 -> "E2BIG";
            case 8 -> "ENOEXEC";
            case 9 -> "EBADF";
            case 10 -> "ECHILD";
            case 11 -> "EAGAIN";
            case 12 -> "ENOMEM";
            case 13 -> "EACCES";
            case 14 -> "EFAULT";
            case 15 -> "ENOTBLK";
            case 16 -> "EBUSY";
            case 17 -> "EEXIST";
            case 18 -> "EXDEV";
            case 19 -> "ENODEV";
            case 20 -> "ENOTDIR";
            case 21 -> "EISDIR";
            case 22 -> "EINVAL";
            case 23 -> "ENFILE";
            case 24 -> "EMFILE";
            case 25 -> "ENOTTY";
            case 26 -> "ETXTBSY";
            case 27 -> "EFBIG";
            case 28 -> "ENOSPC";
            case 29 -> "ESPIPE";
            case 30 -> "EROFS";
            case 31 -> "EMLINK";
            case 32 -> "EPIPE";
            case 33 -> "EDOM";
            case 34 -> "ERANGE";
            case 35 -> "EDEADLK";
            case 36 -> "ENAMETOOLONG";
            case 37 -> "ENOLCK";
            case 38 -> "ENOSYS";
            case 39 -> "ENOTEMPTY";
            case 40 -> "ELOOP";
            case 42 -> "ENOMSG";
            case 43 -> "EIDRM";
            case 61 -> "ENODATA";
            case 62 -> "ETIME";
            case 71 -> "EPROTO";
            case 75 -> "EOVERFLOW";
            case 77 -> "EBADFD";
            case 84 -> "EILSEQ";
            case 85 -> "ERESTART";
            case 95 -> "EOPNOTSUPP";
            case 98 -> "EADDRINUSE";
            case 99 -> "EADDRNOTAVAIL";
            case 100 -> "ENETDOWN";
            case 104 -> "ECONNRESET";
            case 105 -> "ENOBUFS";
            case 110 -> "ETIMEDOUT";
            case 111 -> "ECONNREFUSED";
            case 113 -> "EHOSTUNREACH";
            case 114 -> "EALREADY";
            case 115 -> "EINPROGRESS";
            case 125 -> "ECANCELED";
            case 130 -> "EOWNERDEAD";
            case 131 -> "ENOTRECOVERABLE";
            case 132 -> "ERFKILL";
            case 133 -> "EHWPOISON";
            default -> "errno " + errno;
        };
    }
}

package dev.partita.hv.boot;

import dev.partita.hv.loader.ImageLoadException;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A Linux kernel Partita can boot: a bzImage (64-bit boot protocol) or a vmlinux ELF with a PVH
 * entry note. Immutable; may be loaded into several partitions, from any thread.
 */
public sealed interface LinuxKernel permits BzImage, PvhKernel {

    /** Files larger than this are refused before reading. */
    long MAX_FILE_SIZE = 1L << 30;

    /** A one-line description for logs. */
    String describe();

    /** Reads a kernel file; every problem (missing, unreadable, not a kernel, truncated) is a one-line {@link ImageLoadException}. */
    static LinuxKernel read(Path file) throws ImageLoadException {
        byte[] data = readFile(file);
        try {
            return parse(data);
        } catch (ImageLoadException e) {
            throw new ImageLoadException(file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a kernel file's bytes (at most {@link #MAX_FILE_SIZE}); missing, unreadable or too large is a one-line error. */
    static byte[] readFile(Path file) throws ImageLoadException {
        try {
            if (Files.isDirectory(file)) {
                throw new ImageLoadException("kernel " + file + " is a directory");
            }
            long size = Files.size(file);
            if (size > MAX_FILE_SIZE) {
                throw new ImageLoadException("kernel " + file + " is larger than 1 GiB: not a kernel");
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ImageLoadException("kernel " + file + " does not exist", e);
        } catch (AccessDeniedException e) {
            throw new ImageLoadException("kernel " + file + " is not readable (permission denied)", e);
        } catch (IOException e) {
            throw new ImageLoadException("cannot read kernel " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses kernel bytes (not copied: the caller must not modify them afterwards). */
    static LinuxKernel parse(byte[] data) throws ImageLoadException {
        if (data.length >= 4 && data[0] == 0x7F && data[1] == 'E' && data[2] == 'L' && data[3] == 'F') {
            return PvhKernel.parse(data);
        }
        return BzImage.parse(data);
    }
}

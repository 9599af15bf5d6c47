package dev.partita.devices.storage.disk.vhdx;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import dev.partita.devices.storage.disk.DiskImageException;

import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Positional whole-buffer I/O on the image file. Thread-safe as {@link FileChannel} positional I/O is.
 */
final class VhdxFile implements AutoCloseable {
    private final Path path;
    private final FileChannel channel;
    private final Path claimed;
    private final boolean write;

    /** A file being created: not registered, not locked. */
    VhdxFile(Path path, FileChannel channel) {
        this(path, channel, null, false);
    }

    private VhdxFile(Path path, FileChannel channel, Path claimed, boolean write) {
        this.path = path;
        this.channel = channel;
        this.claimed = claimed;
        this.write = write;
    }

    /**
     * Opens an image: registered with {@link OpenImages} (readers or one writer per process) and, for
     * writing, locked exclusively against other processes.
     */
    static VhdxFile open(Path path, boolean readOnly) throws DiskImageException {
        Path real;
        try {
            real = path.toRealPath();
        } catch (NoSuchFileException e) {
            throw new DiskImageException(path, "no such file", e);
        } catch (IOException e) {
            throw new DiskImageException(path, "cannot open: " + e.getMessage(), e);
        }
        String refused = OpenImages.acquire(real, !readOnly);
        if (refused != null) {
            throw new DiskImageException(path, refused, null);
        }
        FileChannel ch = null;
        try {
            ch = readOnly ? FileChannel.open(path, StandardOpenOption.READ)
                    : FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            if (!readOnly && ch.tryLock() == null) {
                throw new DiskImageException(path, "in use for writing by another process (it holds a lock)", null);
            }
            return new VhdxFile(path, ch, real, !readOnly);
        } catch (DiskImageException | RuntimeException e) {
            release(ch, real, !readOnly);
            throw e;
        } catch (NoSuchFileException e) {
            release(ch, real, !readOnly);
            throw new DiskImageException(path, "no such file", e);
        } catch (AccessDeniedException e) {
            release(ch, real, !readOnly);
            throw new DiskImageException(path, readOnly ? "not readable" : "not readable and writable (use ,ro for read-only)", e);
        } catch (IOException e) {
            release(ch, real, !readOnly);
            throw new DiskImageException(path, "cannot open: " + e.getMessage(), e);
        }
    }

    private static void release(FileChannel ch, Path real, boolean write) {
        try {
            if (ch != null) {
                ch.close();
            }
        } catch (IOException ignored) {
            // already failing; the first error is the one reported
        } finally {
            OpenImages.release(real, write);
        }
    }

    Path path() {
        return path;
    }

    long size() throws IOException {
        return channel.size();
    }

    void read(long offset, ByteBuffer dst) throws IOException {
        long pos = offset;
        while (dst.hasRemaining()) {
            int n = channel.read(dst, pos);
            if (n < 0) {
                throw new EOFException("read of " + path + " at " + pos + ": end of file");
            }
            pos += n;
        }
    }

    byte[] read(long offset, int length) throws IOException {
        byte[] b = new byte[length];
        read(offset, ByteBuffer.wrap(b));
        return b;
    }

    void write(long offset, ByteBuffer src) throws IOException {
        long pos = offset;
        while (src.hasRemaining()) {
            pos += channel.write(src, pos);
        }
    }

    void write(long offset, byte[] b) throws IOException {
        write(offset, ByteBuffer.wrap(b));
    }

    /** Grows the file to at least {@code size} bytes (the new bytes read as zero; a sparse file stays sparse). */
    void extendTo(long size) throws IOException {
        if (channel.size() < size) {
            write(size - 1, new byte[1]);
        }
    }

    /** fdatasync. */
    void flush() throws IOException {
        channel.force(false);
    }

    @Override
    public void close() throws IOException {
        try {
            channel.close();
        } finally {
            if (claimed != null) {
                OpenImages.release(claimed, write);
            }
        }
    }
}

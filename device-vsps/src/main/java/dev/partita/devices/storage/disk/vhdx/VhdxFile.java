package dev.partita.devices.storage.disk.vhdx;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Positional whole-buffer I/O on the image file. Thread-safe as {@link FileChannel} positional I/O is.
 */
final class VhdxFile implements AutoCloseable {
    private final Path path;
    private final FileChannel channel;

    VhdxFile(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
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
        channel.close();
    }
}

package dev.partita.devices.storage.disk;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A raw disk image file, read and written with positional {@link FileChannel} I/O straight into
 * and out of the caller's segments (guest pages: no intermediate copy).
 *
 * <p><b>Size rule.</b> The disk has {@code floor(fileSize / 512)} sectors; a trailing partial
 * sector is not visible to the guest and never written. An image smaller than one sector is
 * refused. The size is fixed when the image is opened.
 *
 * <p><b>Threads.</b> Positional reads and writes are safe from several threads at once.
 * {@link #flush()} is {@code FileChannel.force(false)} (fdatasync).
 *
 * <p>A sparse raw file (holes) works as any raw file does; VHDX images are
 * {@link dev.partita.devices.storage.disk.vhdx.VhdxDisk}, and {@link DiskImages} picks by content.
 */
public final class RawImageDisk implements BlockDevice {
    private final Path path;
    private final FileChannel channel;
    private final boolean readOnly;
    private final long sectors;

    private RawImageDisk(Path path, FileChannel channel, boolean readOnly, long sectors) {
        this.path = path;
        this.channel = channel;
        this.readOnly = readOnly;
        this.sectors = sectors;
    }

    /**
     * Opens {@code path}; read-only disks are opened for reading only.
     *
     * @throws DiskImageException when the file is missing, not a regular file, unreadable (or not
     *                            writable for a read-write disk) or smaller than one sector
     */
    public static RawImageDisk open(Path path, boolean readOnly) throws DiskImageException {
        if (!Files.exists(path)) {
            throw new DiskImageException(path, "no such file", null);
        }
        if (!Files.isRegularFile(path)) {
            throw new DiskImageException(path, "not a regular file", null);
        }
        FileChannel ch;
        try {
            ch = readOnly ? FileChannel.open(path, StandardOpenOption.READ)
                    : FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
            throw new DiskImageException(path, "no such file", e);
        } catch (AccessDeniedException e) {
            throw new DiskImageException(path, readOnly ? "not readable" : "not readable and writable (use ,ro for read-only)", e);
        } catch (IOException e) {
            throw new DiskImageException(path, "cannot open: " + e.getMessage(), e);
        }
        try {
            long size = ch.size();
            if (size < SECTOR_SIZE) {
                throw new DiskImageException(path, "image of " + size + " bytes is smaller than one 512-byte sector", null);
            }
            return new RawImageDisk(path, ch, readOnly, size / SECTOR_SIZE);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new DiskImageException(path, "cannot read the size: " + e.getMessage(), e);
        } catch (DiskImageException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // the open already failed; that error is the one reported
        }
    }

    @Override
    public long sectorCount() {
        return sectors;
    }

    @Override
    public boolean readOnly() {
        return readOnly;
    }

    @Override
    public void read(long offset, MemorySegment dst) throws IOException {
        checkRange("read", offset, dst.byteSize());
        ByteBuffer buf = dst.asByteBuffer();
        long pos = offset;
        while (buf.hasRemaining()) {
            int n = channel.read(buf, pos);
            if (n < 0) {
                throw new IOException("read of " + path + " at " + pos + ": end of file (image shrank?)");
            }
            pos += n;
        }
    }

    @Override
    public void write(long offset, MemorySegment src) throws IOException {
        if (readOnly) {
            throw new IOException("write to read-only image " + path);
        }
        checkRange("write", offset, src.byteSize());
        ByteBuffer buf = src.asByteBuffer();
        long pos = offset;
        while (buf.hasRemaining()) {
            pos += channel.write(buf, pos);
        }
    }

    private void checkRange(String op, long offset, long length) throws IOException {
        if (offset < 0 || length < 0 || offset > sectors * SECTOR_SIZE - length) {
            throw new IOException(op + " of " + length + " bytes at " + offset + " outside " + describe());
        }
    }

    @Override
    public void flush() throws IOException {
        if (!readOnly) {
            channel.force(false);
        }
    }

    @Override
    public String describe() {
        return path + " (" + sectors + " sectors" + (readOnly ? ", read-only" : "") + ")";
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}

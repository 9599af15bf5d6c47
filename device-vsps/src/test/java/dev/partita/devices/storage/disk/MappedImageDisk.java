package dev.partita.devices.storage.disk;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A raw disk image mapped into memory ({@code FileChannel.map} to a {@link MemorySegment}); reads
 * and writes are memory copies, flush is {@code msync} through {@link MemorySegment#force()}.
 * Same size rule and errors as {@link RawImageDisk}. Kept as the measured alternative to
 * positional I/O ({@code ci/bench storage --disk-backend mapped}); {@link RawImageDisk} stays the
 * default because a mapped image that another process truncates faults the JVM (SIGBUS) instead
 * of failing one request, and a mapping's page faults are invisible to the I/O error path.
 *
 * <p><b>Threads.</b> Reads and writes from several threads are allowed.
 */
public final class MappedImageDisk extends SegmentDisk {
    private final Path path;

    private MappedImageDisk(Path path, FileChannel ch, boolean readOnly, long sectors) throws IOException {
        super(readOnly);
        this.path = path;
        this.data = ch.map(readOnly ? FileChannel.MapMode.READ_ONLY : FileChannel.MapMode.READ_WRITE, 0,
                sectors * SECTOR_SIZE, arena);
    }

    /** Maps {@code path}; see {@link RawImageDisk#open} for the checks. */
    public static MappedImageDisk open(Path path, boolean readOnly) throws DiskImageException {
        if (!Files.isRegularFile(path)) {
            throw new DiskImageException(path, Files.exists(path) ? "not a regular file" : "no such file", null);
        }
        try (FileChannel ch = readOnly ? FileChannel.open(path, StandardOpenOption.READ)
                : FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            if (size < SECTOR_SIZE) {
                throw new DiskImageException(path, "image of " + size + " bytes is smaller than one 512-byte sector", null);
            }
            return new MappedImageDisk(path, ch, readOnly, size / SECTOR_SIZE);
        } catch (IOException e) {
            throw new DiskImageException(path, "cannot map: " + e.getMessage(), e);
        }
    }

    @Override
    public void flush() {
        if (!readOnly) {
            data.force();
        }
    }

    @Override
    public String describe() {
        return path + " (mapped, " + sectorCount() + " sectors" + (readOnly ? ", read-only" : "") + ")";
    }
}

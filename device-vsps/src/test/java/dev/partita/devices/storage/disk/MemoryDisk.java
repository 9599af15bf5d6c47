package dev.partita.devices.storage.disk;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A disk held in host memory (scratch disks, tests, fuzzing). Contents are lost on close.
 *
 * <p><b>Threads.</b> Reads and writes from several threads are allowed; as with a file, overlapping
 * concurrent writes land in an unspecified order.
 */
public final class MemoryDisk implements BlockDevice {
    private final Arena arena = Arena.ofShared();
    private final MemorySegment data;
    private final boolean readOnly;

    /** A zero-filled disk of {@code sectors} sectors. */
    public MemoryDisk(long sectors, boolean readOnly) {
        if (sectors <= 0) {
            throw new IllegalArgumentException("a disk needs at least one sector, got " + sectors);
        }
        this.data = arena.allocate(sectors * SECTOR_SIZE, 4096);
        this.readOnly = readOnly;
    }

    /** The backing memory (for tests to inspect or preload). */
    public MemorySegment contents() {
        return data;
    }

    @Override
    public long sectorCount() {
        return data.byteSize() / SECTOR_SIZE;
    }

    @Override
    public boolean readOnly() {
        return readOnly;
    }

    @Override
    public void read(long offset, MemorySegment dst) throws IOException {
        check(offset, dst.byteSize());
        MemorySegment.copy(data, offset, dst, 0, dst.byteSize());
    }

    @Override
    public void write(long offset, MemorySegment src) throws IOException {
        if (readOnly) {
            throw new IOException("write to read-only memory disk");
        }
        check(offset, src.byteSize());
        MemorySegment.copy(src, 0, data, offset, src.byteSize());
    }

    private void check(long offset, long length) throws IOException {
        if (offset < 0 || length < 0 || offset > data.byteSize() - length) {
            throw new IOException("access of " + length + " bytes at " + offset + " outside " + describe());
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public String describe() {
        return "memory disk (" + sectorCount() + " sectors" + (readOnly ? ", read-only" : "") + ")";
    }

    @Override
    public void close() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }
}

package dev.partita.devices.storage.disk;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A disk whose sectors are one memory segment owned by a shared arena (host memory or a file mapping):
 * reads and writes are bounds-checked segment copies. Subclasses say where the segment comes from, how
 * to describe it and what flushing means.
 *
 * <p><b>Threads.</b> Reads and writes from several threads are allowed; overlapping concurrent writes
 * land in an unspecified order.
 */
abstract sealed class SegmentDisk implements BlockDevice permits MemoryDisk, MappedImageDisk {
    /** Owns {@link #data}; closed by {@link #close()}. */
    final Arena arena = Arena.ofShared();
    final boolean readOnly;
    /** The sectors; set once by the subclass constructor, inside {@link #arena}. */
    MemorySegment data;

    SegmentDisk(boolean readOnly) {
        this.readOnly = readOnly;
    }

    @Override
    public final long sectorCount() {
        return data.byteSize() / SECTOR_SIZE;
    }

    @Override
    public final boolean readOnly() {
        return readOnly;
    }

    @Override
    public final void read(long offset, MemorySegment dst) throws IOException {
        check(offset, dst.byteSize());
        MemorySegment.copy(data, offset, dst, 0, dst.byteSize());
    }

    @Override
    public final void write(long offset, MemorySegment src) throws IOException {
        if (readOnly) {
            throw new IOException("write to read-only " + describe());
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
    public void close() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }
}

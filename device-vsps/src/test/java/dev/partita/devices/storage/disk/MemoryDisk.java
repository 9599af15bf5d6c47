package dev.partita.devices.storage.disk;

import java.lang.foreign.MemorySegment;

/**
 * A disk held in host memory (scratch disks, tests, fuzzing). Contents are lost on close.
 *
 * <p><b>Threads.</b> Reads and writes from several threads are allowed; as with a file, overlapping
 * concurrent writes land in an unspecified order.
 */
public final class MemoryDisk extends SegmentDisk {

    /** A zero-filled disk of {@code sectors} sectors. */
    public MemoryDisk(long sectors, boolean readOnly) {
        if (sectors <= 0) {
            throw new IllegalArgumentException("a disk needs at least one sector, got " + sectors);
        }
        super(readOnly);
        this.data = arena.allocate(sectors * SECTOR_SIZE, 4096);
    }

    /** The backing memory (for tests to inspect or preload). */
    public MemorySegment contents() {
        return data;
    }

    @Override
    public void flush() {
    }

    @Override
    public String describe() {
        return "memory disk (" + sectorCount() + " sectors" + (readOnly ? ", read-only" : "") + ")";
    }
}

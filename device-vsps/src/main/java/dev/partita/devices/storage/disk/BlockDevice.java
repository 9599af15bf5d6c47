package dev.partita.devices.storage.disk;

import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * A disk backend: a run of 512-byte sectors.
 *
 * <p><b>Threads.</b> {@link #read} and {@link #write} may be called concurrently from several
 * threads for any ranges (positional I/O; overlapping concurrent writes land in an unspecified
 * order, as on a real disk). {@link #flush} makes every write that completed before the call
 * durable. {@link #close} only after all I/O ended.
 */
public interface BlockDevice extends AutoCloseable {
    /** Bytes per logical sector. */
    int SECTOR_SIZE = 512;

    /** Number of sectors the guest sees. */
    long sectorCount();

    /** Whether writes are refused. */
    boolean readOnly();

    /**
     * Fills {@code dst} from byte offset {@code offset} of the disk. The range is inside the disk
     * (callers check); a short or failed read throws.
     */
    void read(long offset, MemorySegment dst) throws IOException;

    /** Writes all of {@code src} at byte offset {@code offset}. */
    void write(long offset, MemorySegment src) throws IOException;

    /** Makes completed writes durable (for a file: fdatasync). */
    void flush() throws IOException;

    /** Human-readable identity for logs (path, size). */
    String describe();

    @Override
    void close() throws IOException;
}

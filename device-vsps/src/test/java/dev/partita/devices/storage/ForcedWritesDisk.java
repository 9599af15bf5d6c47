package dev.partita.devices.storage;

import dev.partita.devices.storage.disk.BlockDevice;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * A disk layer over a real {@link BlockDevice} that records which writes were forced: a write is forced once a
 * {@link #flush()} of the underlying device has returned after it. What a crash test cannot see (a killed
 * process leaves the host page cache in place, so unflushed writes survive it) shows here directly.
 * Thread-safe.
 */
final class ForcedWritesDisk implements BlockDevice {

    /** One write: its byte range and whether a flush completed after it. */
    record Write(long offset, long length, boolean forced) {
        boolean covers(long at) {
            return at >= offset && at < offset + length;
        }
    }

    private final BlockDevice inner;
    private final List<Write> writes = new ArrayList<>();
    private int flushes;

    ForcedWritesDisk(BlockDevice inner) {
        this.inner = inner;
    }

    /** Every write so far, oldest first. */
    synchronized List<Write> writes() {
        return List.copyOf(writes);
    }

    /** Whether every write that covered byte {@code at} has been forced (false when none covered it). */
    synchronized boolean forcedAt(long at) {
        boolean any = false;
        for (Write w : writes) {
            if (w.covers(at)) {
                any = true;
                if (!w.forced()) {
                    return false;
                }
            }
        }
        return any;
    }

    /** Flushes of the underlying device so far. */
    synchronized int flushes() {
        return flushes;
    }

    @Override
    public long sectorCount() {
        return inner.sectorCount();
    }

    @Override
    public boolean readOnly() {
        return inner.readOnly();
    }

    @Override
    public void read(long offset, MemorySegment dst) throws IOException {
        inner.read(offset, dst);
    }

    @Override
    public void write(long offset, MemorySegment src) throws IOException {
        inner.write(offset, src);
        synchronized (this) {
            writes.add(new Write(offset, src.byteSize(), false));
        }
    }

    @Override
    public void flush() throws IOException {
        int before;
        synchronized (this) {
            before = writes.size();
        }
        inner.flush();
        synchronized (this) {
            // Only writes that had completed when the flush began are durable through it.
            for (int i = 0; i < before; i++) {
                Write w = writes.get(i);
                writes.set(i, new Write(w.offset(), w.length(), true));
            }
            flushes++;
        }
    }

    @Override
    public String describe() {
        return "forced-writes recorder over " + inner.describe();
    }

    @Override
    public void close() throws IOException {
        inner.close();
    }
}

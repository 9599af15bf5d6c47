package dev.partita.devices.storage.scsi;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Objects;

/** A {@link DataBuffer} over a Java array (tests, host-side callers). */
public final class HeapDataBuffer implements DataBuffer {
    private final byte[] bytes;
    private final MemorySegment segment;

    private HeapDataBuffer(byte[] bytes) {
        this.bytes = bytes;
        this.segment = MemorySegment.ofArray(bytes);
    }

    /** A buffer backed by {@code bytes} (not copied). */
    public static HeapDataBuffer wrap(byte[] bytes) {
        return new HeapDataBuffer(Objects.requireNonNull(bytes));
    }

    /** A zero-filled buffer of {@code length} bytes. */
    public static HeapDataBuffer allocate(int length) {
        return new HeapDataBuffer(new byte[length]);
    }

    /** The backing array. */
    public byte[] bytes() {
        return bytes;
    }

    @Override
    public long length() {
        return bytes.length;
    }

    @Override
    public List<MemorySegment> segments(long offset, long length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        return List.of(segment.asSlice(offset, length).asReadOnly());
    }

    @Override
    public <X extends Exception> void write(long offset, long length, SegmentWriter<X> writer) throws X {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        if (length > 0) {
            writer.write(offset, segment.asSlice(offset, length));
        }
    }
}

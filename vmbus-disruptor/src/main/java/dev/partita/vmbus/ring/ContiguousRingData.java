package dev.partita.vmbus.ring;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** A ring data area whose guest pages are physically contiguous: one segment, one copy per access. */
public record ContiguousRingData(MemorySegment segment) implements RingData {
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED;

    @Override
    public int size() {
        return (int) segment.byteSize();
    }

    @Override
    public void read(int at, byte[] dst, int off, int len) {
        MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, at, dst, off, len);
    }

    @Override
    public void write(int at, byte[] src, int off, int len) {
        MemorySegment.copy(src, off, segment, ValueLayout.JAVA_BYTE, at, len);
    }

    @Override
    public long getLong(int at) {
        return segment.get(U64, at);
    }

    @Override
    public void putLong(int at, long value) {
        segment.set(U64, at, value);
    }
}

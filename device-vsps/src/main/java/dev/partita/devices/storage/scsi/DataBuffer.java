package dev.partita.devices.storage.scsi;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * The initiator's data buffer of one command: a byte sequence of {@link #length()} bytes, stored
 * in one or more host memory segments (for a guest: its pages, already bounds-checked).
 *
 * <p><b>Threads.</b> Used by the thread that executes the command; implementations need not be
 * thread-safe. Accesses are plain; the completion that follows publishes them.
 */
public interface DataBuffer {
    /** Buffer length in bytes. */
    long length();

    /**
     * The bytes {@code [offset, offset + length)} as consecutive segments, in order.
     *
     * @throws IndexOutOfBoundsException when the range leaves the buffer
     */
    List<MemorySegment> segments(long offset, long length);

    /** Copies {@code src[0..n)} to the start of this buffer, {@code n = min(src.length, limit, length())}; returns n. */
    default int copyFrom(byte[] src, long limit) {
        int n = (int) Math.min(Math.min(src.length, limit), length());
        long at = 0;
        for (MemorySegment s : segments(0, n)) {
            MemorySegment.copy(src, (int) at, s, ValueLayout.JAVA_BYTE, 0, (int) s.byteSize());
            at += s.byteSize();
        }
        return n;
    }

    /** Copies {@code dst.length} bytes from {@code offset} of this buffer into {@code dst}. */
    default void copyTo(long offset, byte[] dst) {
        long at = 0;
        for (MemorySegment s : segments(offset, dst.length)) {
            MemorySegment.copy(s, ValueLayout.JAVA_BYTE, 0, dst, (int) at, (int) s.byteSize());
            at += s.byteSize();
        }
    }

    /** An empty buffer (commands without a data phase). */
    DataBuffer EMPTY = HeapDataBuffer.wrap(new byte[0]);
}

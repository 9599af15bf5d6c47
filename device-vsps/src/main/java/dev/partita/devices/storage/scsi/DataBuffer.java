package dev.partita.devices.storage.scsi;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * The initiator's data buffer of one command: a byte sequence of {@link #length()} bytes, stored
 * in one or more host memory segments (for a guest: its pages, already bounds-checked).
 *
 * <p>Reading and writing take different paths. {@link #segments} hands out <em>read-only</em>
 * views (data going to the device). Every store into the buffer goes through {@link #write},
 * which gives the writer each piece in turn and, for guest memory, announces the store after the
 * writer returns or throws (dirty page, decoded-code invalidation): no command can write guest
 * pages without that notice, whatever direction or transfer length the request claimed.
 *
 * <p><b>Threads.</b> Used by the thread that executes the command; implementations need not be
 * thread-safe. Accesses are plain; the completion that follows publishes them.
 */
public interface DataBuffer {
    /** Buffer length in bytes. */
    long length();

    /**
     * The bytes {@code [offset, offset + length)} as consecutive read-only segments, in order.
     *
     * @throws IndexOutOfBoundsException when the range leaves the buffer
     */
    List<MemorySegment> segments(long offset, long length);

    /** Stores into one piece of a buffer: {@code dst} is writable and starts {@code bufferOffset} bytes into the buffer. */
    @FunctionalInterface
    interface SegmentWriter<X extends Exception> {
        void write(long bufferOffset, MemorySegment dst) throws X;
    }

    /**
     * Lets {@code writer} store the bytes {@code [offset, offset + length)}, one writable segment
     * at a time, in order. Each piece counts as written by the host once the writer returns for
     * it or throws (a failed read may have stored part of it).
     *
     * @throws IndexOutOfBoundsException when the range leaves the buffer
     * @throws X                         what the writer threw (later pieces are not offered)
     */
    <X extends Exception> void write(long offset, long length, SegmentWriter<X> writer) throws X;

    /** Copies {@code src[0..n)} to the start of this buffer, {@code n = min(src.length, limit, length())}; returns n. */
    default int copyFrom(byte[] src, long limit) {
        int n = (int) Math.min(Math.min(src.length, limit), length());
        write(0, n, (at, dst) -> MemorySegment.copy(src, (int) at, dst, ValueLayout.JAVA_BYTE, 0, (int) dst.byteSize()));
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

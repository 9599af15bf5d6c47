package dev.partita.nativebindings.libc;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * Mirrors {@code struct pollfd}: poll.h.
 *
 * <p>{@code OFFSET_*} are byte offsets from the start of the struct (members of nested anonymous
 * structs and unions are flattened, their path joined with {@code _}). Accessors are plain
 * (unsynchronized) reads and writes of the given segment; the caller owns the memory and its threading.
 * Unsigned C fields come back in the signed Java type of the same width.
 */
public final class pollfd {
    private pollfd() {}

    public static final long OFFSET_fd = 0;
    public static final long OFFSET_events = 4;
    public static final long OFFSET_revents = 6;

    private static final GroupLayout LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withName("fd"),
            ValueLayout.JAVA_SHORT.withName("events"),
            ValueLayout.JAVA_SHORT.withName("revents")).withName("pollfd");

    /** The memory layout of {@code struct pollfd}. */
    public static GroupLayout layout() {
        return LAYOUT;
    }

    /** {@code sizeof(struct pollfd)}. */
    public static long sizeof() {
        return LAYOUT.byteSize();
    }

    /** Allocates one zeroed struct. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate(LAYOUT);
    }

    /** Allocates a zeroed array of {@code count} structs. */
    public static MemorySegment allocateArray(long count, SegmentAllocator allocator) {
        return allocator.allocate(LAYOUT, count);
    }

    /** Element {@code index} of an array of these structs. */
    public static MemorySegment asSlice(MemorySegment array, long index) {
        return array.asSlice(index * LAYOUT.byteSize(), LAYOUT.byteSize());
    }

    public static int fd(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_fd);
    }

    public static void fd(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_fd, v);
    }

    public static short events(MemorySegment s) {
        return s.get(ValueLayout.JAVA_SHORT, OFFSET_events);
    }

    public static void events(MemorySegment s, short v) {
        s.set(ValueLayout.JAVA_SHORT, OFFSET_events, v);
    }

    public static short revents(MemorySegment s) {
        return s.get(ValueLayout.JAVA_SHORT, OFFSET_revents);
    }

    public static void revents(MemorySegment s, short v) {
        s.set(ValueLayout.JAVA_SHORT, OFFSET_revents, v);
    }

}

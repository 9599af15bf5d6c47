package dev.partita.nativebindings.libc;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;

/**
 * Mirrors {@code sigset_t} (glibc: 1024 signal bits). Offsets are byte offsets from the start of the struct; accessors read and
 * write the segment as given (plain, unsynchronized accesses; the caller owns the memory and its threading).
 * Unsigned C fields are returned in the signed Java type of the same width.
 */
@SuppressWarnings("unused")
public final class sigset_t {
    private sigset_t() {}

    public static final long OFFSET___val = 0;

    private static final GroupLayout LAYOUT = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(16, ValueLayout.JAVA_LONG).withName("__val")).withName("sigset_t");

    /** The memory layout of {@code sigset_t}. */
    public static GroupLayout layout() {
        return LAYOUT;
    }

    /** {@code sizeof(sigset_t)}. */
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

    /** The element at {@code index} of an array of these structs. */
    public static MemorySegment asSlice(MemorySegment array, long index) {
        return array.asSlice(index * LAYOUT.byteSize(), LAYOUT.byteSize());
    }

    /** {@code __val[16]} as a slice. */
    public static MemorySegment __val(MemorySegment s) {
        return s.asSlice(OFFSET___val, 128);
    }

    public static long __val(MemorySegment s, int index) {
        return s.getAtIndex(ValueLayout.JAVA_LONG, OFFSET___val / 8 + java.util.Objects.checkIndex(index, 16));
    }

    public static void __val(MemorySegment s, int index, long v) {
        s.setAtIndex(ValueLayout.JAVA_LONG, OFFSET___val / 8 + java.util.Objects.checkIndex(index, 16), v);
    }

}

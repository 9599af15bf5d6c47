package dev.partita.nativebindings.libc;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * Mirrors {@code sigset_t}: glibc's 1024-bit signal set; fill it with Libc.sigemptyset/sigaddset.
 *
 * <p>{@code OFFSET_*} are byte offsets from the start of the struct (members of nested anonymous
 * structs and unions are flattened, their path joined with {@code _}). Accessors are plain
 * (unsynchronized) reads and writes of the given segment; the caller owns the memory and its threading.
 * Unsigned C fields come back in the signed Java type of the same width.
 */
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

    /** Element {@code index} of an array of these structs. */
    public static MemorySegment asSlice(MemorySegment array, long index) {
        return array.asSlice(index * LAYOUT.byteSize(), LAYOUT.byteSize());
    }

    /** {@code __val[16]} as a slice. */
    public static MemorySegment __val(MemorySegment s) {
        return s.asSlice(OFFSET___val, 128);
    }

    public static long __val(MemorySegment s, int index) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET___val + (long) Objects.checkIndex(index, 16) * 8);
    }

    public static void __val(MemorySegment s, int index, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET___val + (long) Objects.checkIndex(index, 16) * 8, v);
    }

}

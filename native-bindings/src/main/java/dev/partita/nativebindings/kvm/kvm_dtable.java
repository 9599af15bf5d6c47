package dev.partita.nativebindings.kvm;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * Mirrors {@code struct kvm_dtable}.
 *
 * <p>{@code OFFSET_*} are byte offsets from the start of the struct (members of nested anonymous
 * structs and unions are flattened, their path joined with {@code _}). Accessors are plain
 * (unsynchronized) reads and writes of the given segment; the caller owns the memory and its threading.
 * Unsigned C fields come back in the signed Java type of the same width.
 */
public final class kvm_dtable {
    private kvm_dtable() {}

    public static final long OFFSET_base = 0;
    public static final long OFFSET_limit = 8;
    public static final long OFFSET_padding = 10;

    private static final GroupLayout LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("base"),
            ValueLayout.JAVA_SHORT.withName("limit"),
            MemoryLayout.sequenceLayout(3, ValueLayout.JAVA_SHORT).withName("padding")).withName("kvm_dtable");

    /** The memory layout of {@code struct kvm_dtable}. */
    public static GroupLayout layout() {
        return LAYOUT;
    }

    /** {@code sizeof(struct kvm_dtable)}. */
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

    public static long base(MemorySegment s) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_base);
    }

    public static void base(MemorySegment s, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_base, v);
    }

    public static short limit(MemorySegment s) {
        return s.get(ValueLayout.JAVA_SHORT, OFFSET_limit);
    }

    public static void limit(MemorySegment s, short v) {
        s.set(ValueLayout.JAVA_SHORT, OFFSET_limit, v);
    }

    /** {@code padding[3]} as a slice. */
    public static MemorySegment padding(MemorySegment s) {
        return s.asSlice(OFFSET_padding, 6);
    }

    public static short padding(MemorySegment s, int index) {
        return s.get(ValueLayout.JAVA_SHORT, OFFSET_padding + (long) Objects.checkIndex(index, 3) * 2);
    }

    public static void padding(MemorySegment s, int index, short v) {
        s.set(ValueLayout.JAVA_SHORT, OFFSET_padding + (long) Objects.checkIndex(index, 3) * 2, v);
    }

}

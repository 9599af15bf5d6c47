package dev.partita.nativebindings.kvm;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * Mirrors {@code struct kvm_msr_filter_range}.
 *
 * <p>{@code OFFSET_*} are byte offsets from the start of the struct (members of nested anonymous
 * structs and unions are flattened, their path joined with {@code _}). Accessors are plain
 * (unsynchronized) reads and writes of the given segment; the caller owns the memory and its threading.
 * Unsigned C fields come back in the signed Java type of the same width.
 */
public final class kvm_msr_filter_range {
    private kvm_msr_filter_range() {}

    public static final long OFFSET_flags = 0;
    public static final long OFFSET_nmsrs = 4;
    public static final long OFFSET_base = 8;
    /** Pointer to the bitmap: bit set = the operations in flags are allowed. */
    public static final long OFFSET_bitmap = 16;

    private static final GroupLayout LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withName("flags"),
            ValueLayout.JAVA_INT.withName("nmsrs"),
            ValueLayout.JAVA_INT.withName("base"),
            MemoryLayout.paddingLayout(4),
            ValueLayout.ADDRESS.withName("bitmap")).withName("kvm_msr_filter_range");

    /** The memory layout of {@code struct kvm_msr_filter_range}. */
    public static GroupLayout layout() {
        return LAYOUT;
    }

    /** {@code sizeof(struct kvm_msr_filter_range)}. */
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

    public static int flags(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_flags);
    }

    public static void flags(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_flags, v);
    }

    public static int nmsrs(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_nmsrs);
    }

    public static void nmsrs(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_nmsrs, v);
    }

    public static int base(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_base);
    }

    public static void base(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_base, v);
    }

    public static MemorySegment bitmap(MemorySegment s) {
        return s.get(ValueLayout.ADDRESS, OFFSET_bitmap);
    }

    public static void bitmap(MemorySegment s, MemorySegment v) {
        s.set(ValueLayout.ADDRESS, OFFSET_bitmap, v);
    }

}

package dev.partita.nativebindings.kvm;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * Mirrors {@code struct kvm_xsave}: KVM_GET_XSAVE/KVM_SET_XSAVE (4096 bytes; KVM_GET_XSAVE2 may use more, see KVM_CAP_XSAVE2).
 *
 * <p>{@code OFFSET_*} are byte offsets from the start of the struct (members of nested anonymous
 * structs and unions are flattened, their path joined with {@code _}). Accessors are plain
 * (unsynchronized) reads and writes of the given segment; the caller owns the memory and its threading.
 * Unsigned C fields come back in the signed Java type of the same width.
 */
public final class kvm_xsave {
    private kvm_xsave() {}

    public static final long OFFSET_region = 0;
    /** Flexible array member (not counted in sizeof). */
    public static final long OFFSET_extra = 4096;

    private static final GroupLayout LAYOUT = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(1024, ValueLayout.JAVA_INT).withName("region")).withName("kvm_xsave");

    /** The memory layout of {@code struct kvm_xsave}. */
    public static GroupLayout layout() {
        return LAYOUT;
    }

    /** {@code sizeof(struct kvm_xsave)}. */
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

    /** {@code region[1024]} as a slice. */
    public static MemorySegment region(MemorySegment s) {
        return s.asSlice(OFFSET_region, 4096);
    }

    public static int region(MemorySegment s, int index) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_region + (long) Objects.checkIndex(index, 1024) * 4);
    }

    public static void region(MemorySegment s, int index, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_region + (long) Objects.checkIndex(index, 1024) * 4, v);
    }

    /** Element {@code index} of the flexible array {@code extra[]}; the caller sized the segment. */
    public static int extra(MemorySegment s, int index) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_extra + (long) Objects.checkIndex(index, Integer.MAX_VALUE) * 4);
    }

    public static void extra(MemorySegment s, int index, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_extra + (long) Objects.checkIndex(index, Integer.MAX_VALUE) * 4, v);
    }

}

package dev.partita.nativebindings.kvm;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * Mirrors {@code struct kvm_msr_list}: KVM_GET_MSR_INDEX_LIST/KVM_GET_MSR_FEATURE_INDEX_LIST.
 *
 * <p>{@code OFFSET_*} are byte offsets from the start of the struct (members of nested anonymous
 * structs and unions are flattened, their path joined with {@code _}). Accessors are plain
 * (unsynchronized) reads and writes of the given segment; the caller owns the memory and its threading.
 * Unsigned C fields come back in the signed Java type of the same width.
 */
public final class kvm_msr_list {
    private kvm_msr_list() {}

    public static final long OFFSET_nmsrs = 0;
    /** Flexible array member (not counted in sizeof). */
    public static final long OFFSET_indices = 4;

    private static final GroupLayout LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withName("nmsrs")).withName("kvm_msr_list");

    /** The memory layout of {@code struct kvm_msr_list}. */
    public static GroupLayout layout() {
        return LAYOUT;
    }

    /** {@code sizeof(struct kvm_msr_list)}. */
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

    public static int nmsrs(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_nmsrs);
    }

    public static void nmsrs(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_nmsrs, v);
    }

    /** Element {@code index} of the flexible array {@code indices[]}; the caller sized the segment. */
    public static int indices(MemorySegment s, int index) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_indices + (long) Objects.checkIndex(index, Integer.MAX_VALUE) * 4);
    }

    public static void indices(MemorySegment s, int index, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_indices + (long) Objects.checkIndex(index, Integer.MAX_VALUE) * 4, v);
    }

}

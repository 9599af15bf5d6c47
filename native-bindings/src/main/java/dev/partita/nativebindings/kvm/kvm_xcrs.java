package dev.partita.nativebindings.kvm;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * Mirrors {@code struct kvm_xcrs}: KVM_GET_XCRS/KVM_SET_XCRS.
 *
 * <p>{@code OFFSET_*} are byte offsets from the start of the struct (members of nested anonymous
 * structs and unions are flattened, their path joined with {@code _}). Accessors are plain
 * (unsynchronized) reads and writes of the given segment; the caller owns the memory and its threading.
 * Unsigned C fields come back in the signed Java type of the same width.
 */
public final class kvm_xcrs {
    private kvm_xcrs() {}

    public static final long OFFSET_nr_xcrs = 0;
    public static final long OFFSET_flags = 4;
    public static final long OFFSET_xcrs = 8;
    public static final long OFFSET_padding = 264;

    private static final GroupLayout LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withName("nr_xcrs"),
            ValueLayout.JAVA_INT.withName("flags"),
            MemoryLayout.sequenceLayout(16, kvm_xcr.layout()).withName("xcrs"),
            MemoryLayout.sequenceLayout(16, ValueLayout.JAVA_LONG).withName("padding")).withName("kvm_xcrs");

    /** The memory layout of {@code struct kvm_xcrs}. */
    public static GroupLayout layout() {
        return LAYOUT;
    }

    /** {@code sizeof(struct kvm_xcrs)}. */
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

    public static int nr_xcrs(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_nr_xcrs);
    }

    public static void nr_xcrs(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_nr_xcrs, v);
    }

    public static int flags(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_flags);
    }

    public static void flags(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_flags, v);
    }

    /** {@code struct kvm_xcr xcrs[16]} as a slice. */
    public static MemorySegment xcrs(MemorySegment s) {
        return s.asSlice(OFFSET_xcrs, 256);
    }

    /** Element {@code index} of {@code xcrs}. */
    public static MemorySegment xcrs(MemorySegment s, int index) {
        return s.asSlice(OFFSET_xcrs + (long) Objects.checkIndex(index, 16) * 16, 16);
    }

    /** {@code padding[16]} as a slice. */
    public static MemorySegment padding(MemorySegment s) {
        return s.asSlice(OFFSET_padding, 128);
    }

    public static long padding(MemorySegment s, int index) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_padding + (long) Objects.checkIndex(index, 16) * 8);
    }

    public static void padding(MemorySegment s, int index, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_padding + (long) Objects.checkIndex(index, 16) * 8, v);
    }

}

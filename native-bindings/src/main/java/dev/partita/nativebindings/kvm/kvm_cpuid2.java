package dev.partita.nativebindings.kvm;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * Mirrors {@code struct kvm_cpuid2}: KVM_GET_SUPPORTED_CPUID/KVM_SET_CPUID2/KVM_GET_CPUID2 header; entries follow.
 *
 * <p>{@code OFFSET_*} are byte offsets from the start of the struct (members of nested anonymous
 * structs and unions are flattened, their path joined with {@code _}). Accessors are plain
 * (unsynchronized) reads and writes of the given segment; the caller owns the memory and its threading.
 * Unsigned C fields come back in the signed Java type of the same width.
 */
public final class kvm_cpuid2 {
    private kvm_cpuid2() {}

    public static final long OFFSET_nent = 0;
    public static final long OFFSET_padding = 4;
    /** Flexible array member (not counted in sizeof). */
    public static final long OFFSET_entries = 8;

    private static final GroupLayout LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withName("nent"),
            ValueLayout.JAVA_INT.withName("padding")).withName("kvm_cpuid2");

    /** The memory layout of {@code struct kvm_cpuid2}. */
    public static GroupLayout layout() {
        return LAYOUT;
    }

    /** {@code sizeof(struct kvm_cpuid2)}. */
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

    public static int nent(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_nent);
    }

    public static void nent(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_nent, v);
    }

    public static int padding(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_padding);
    }

    public static void padding(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_padding, v);
    }

    /** Element {@code index} of the flexible array {@code struct kvm_cpuid_entry2 entries[]}; the caller sized the segment. */
    public static MemorySegment entries(MemorySegment s, int index) {
        return s.asSlice(OFFSET_entries + (long) Objects.checkIndex(index, Integer.MAX_VALUE) * 40, 40);
    }

}

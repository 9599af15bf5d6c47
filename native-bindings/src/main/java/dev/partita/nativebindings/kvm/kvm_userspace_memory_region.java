package dev.partita.nativebindings.kvm;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * Mirrors {@code struct kvm_userspace_memory_region}: KVM_SET_USER_MEMORY_REGION.
 *
 * <p>{@code OFFSET_*} are byte offsets from the start of the struct (members of nested anonymous
 * structs and unions are flattened, their path joined with {@code _}). Accessors are plain
 * (unsynchronized) reads and writes of the given segment; the caller owns the memory and its threading.
 * Unsigned C fields come back in the signed Java type of the same width.
 */
public final class kvm_userspace_memory_region {
    private kvm_userspace_memory_region() {}

    public static final long OFFSET_slot = 0;
    public static final long OFFSET_flags = 4;
    public static final long OFFSET_guest_phys_addr = 8;
    public static final long OFFSET_memory_size = 16;
    public static final long OFFSET_userspace_addr = 24;

    private static final GroupLayout LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withName("slot"),
            ValueLayout.JAVA_INT.withName("flags"),
            ValueLayout.JAVA_LONG.withName("guest_phys_addr"),
            ValueLayout.JAVA_LONG.withName("memory_size"),
            ValueLayout.JAVA_LONG.withName("userspace_addr")).withName("kvm_userspace_memory_region");

    /** The memory layout of {@code struct kvm_userspace_memory_region}. */
    public static GroupLayout layout() {
        return LAYOUT;
    }

    /** {@code sizeof(struct kvm_userspace_memory_region)}. */
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

    public static int slot(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_slot);
    }

    public static void slot(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_slot, v);
    }

    public static int flags(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_flags);
    }

    public static void flags(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_flags, v);
    }

    public static long guest_phys_addr(MemorySegment s) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_guest_phys_addr);
    }

    public static void guest_phys_addr(MemorySegment s, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_guest_phys_addr, v);
    }

    public static long memory_size(MemorySegment s) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_memory_size);
    }

    public static void memory_size(MemorySegment s, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_memory_size, v);
    }

    public static long userspace_addr(MemorySegment s) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_userspace_addr);
    }

    public static void userspace_addr(MemorySegment s, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_userspace_addr, v);
    }

}

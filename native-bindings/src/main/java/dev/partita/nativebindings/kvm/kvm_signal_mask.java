package dev.partita.nativebindings.kvm;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * Mirrors {@code struct kvm_signal_mask}: KVM_SET_SIGNAL_MASK header; the kernel sigset (8 bytes) follows.
 *
 * <p>{@code OFFSET_*} are byte offsets from the start of the struct (members of nested anonymous
 * structs and unions are flattened, their path joined with {@code _}). Accessors are plain
 * (unsynchronized) reads and writes of the given segment; the caller owns the memory and its threading.
 * Unsigned C fields come back in the signed Java type of the same width.
 */
public final class kvm_signal_mask {
    private kvm_signal_mask() {}

    public static final long OFFSET_len = 0;
    /** Flexible array member (not counted in sizeof). */
    public static final long OFFSET_sigset = 4;

    private static final GroupLayout LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withName("len")).withName("kvm_signal_mask");

    /** The memory layout of {@code struct kvm_signal_mask}. */
    public static GroupLayout layout() {
        return LAYOUT;
    }

    /** {@code sizeof(struct kvm_signal_mask)}. */
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

    public static int len(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_len);
    }

    public static void len(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_len, v);
    }

    /** Element {@code index} of the flexible array {@code sigset[]}; the caller sized the segment. */
    public static byte sigset(MemorySegment s, int index) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_sigset + (long) Objects.checkIndex(index, Integer.MAX_VALUE) * 1);
    }

    public static void sigset(MemorySegment s, int index, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_sigset + (long) Objects.checkIndex(index, Integer.MAX_VALUE) * 1, v);
    }

}

package dev.partita.nativebindings.kvm;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * Mirrors {@code struct kvm_guest_debug}: KVM_SET_GUEST_DEBUG.
 *
 * <p>{@code OFFSET_*} are byte offsets from the start of the struct (members of nested anonymous
 * structs and unions are flattened, their path joined with {@code _}). Accessors are plain
 * (unsynchronized) reads and writes of the given segment; the caller owns the memory and its threading.
 * Unsigned C fields come back in the signed Java type of the same width.
 */
public final class kvm_guest_debug {
    private kvm_guest_debug() {}

    public static final long OFFSET_control = 0;
    public static final long OFFSET_pad = 4;
    /** {@code arch.debugreg[8]} (struct kvm_guest_debug_arch). */
    public static final long OFFSET_debugreg = 8;

    private static final GroupLayout LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withName("control"),
            ValueLayout.JAVA_INT.withName("pad"),
            MemoryLayout.sequenceLayout(8, ValueLayout.JAVA_LONG).withName("debugreg")).withName("kvm_guest_debug");

    /** The memory layout of {@code struct kvm_guest_debug}. */
    public static GroupLayout layout() {
        return LAYOUT;
    }

    /** {@code sizeof(struct kvm_guest_debug)}. */
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

    public static int control(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_control);
    }

    public static void control(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_control, v);
    }

    public static int pad(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_pad);
    }

    public static void pad(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_pad, v);
    }

    /** {@code debugreg[8]} as a slice. */
    public static MemorySegment debugreg(MemorySegment s) {
        return s.asSlice(OFFSET_debugreg, 64);
    }

    public static long debugreg(MemorySegment s, int index) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_debugreg + (long) Objects.checkIndex(index, 8) * 8);
    }

    public static void debugreg(MemorySegment s, int index, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_debugreg + (long) Objects.checkIndex(index, 8) * 8, v);
    }

}

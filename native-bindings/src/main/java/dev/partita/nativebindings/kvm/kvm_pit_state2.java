package dev.partita.nativebindings.kvm;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * Mirrors {@code struct kvm_pit_state2}: KVM_GET_PIT2/KVM_SET_PIT2.
 *
 * <p>{@code OFFSET_*} are byte offsets from the start of the struct (members of nested anonymous
 * structs and unions are flattened, their path joined with {@code _}). Accessors are plain
 * (unsynchronized) reads and writes of the given segment; the caller owns the memory and its threading.
 * Unsigned C fields come back in the signed Java type of the same width.
 */
public final class kvm_pit_state2 {
    private kvm_pit_state2() {}

    public static final long OFFSET_channels = 0;
    public static final long OFFSET_flags = 72;
    public static final long OFFSET_reserved = 76;

    private static final GroupLayout LAYOUT = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(3, kvm_pit_channel_state.layout()).withName("channels"),
            ValueLayout.JAVA_INT.withName("flags"),
            MemoryLayout.sequenceLayout(9, ValueLayout.JAVA_INT).withName("reserved")).withName("kvm_pit_state2");

    /** The memory layout of {@code struct kvm_pit_state2}. */
    public static GroupLayout layout() {
        return LAYOUT;
    }

    /** {@code sizeof(struct kvm_pit_state2)}. */
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

    /** {@code struct kvm_pit_channel_state channels[3]} as a slice. */
    public static MemorySegment channels(MemorySegment s) {
        return s.asSlice(OFFSET_channels, 72);
    }

    /** Element {@code index} of {@code channels}. */
    public static MemorySegment channels(MemorySegment s, int index) {
        return s.asSlice(OFFSET_channels + (long) Objects.checkIndex(index, 3) * 24, 24);
    }

    public static int flags(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_flags);
    }

    public static void flags(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_flags, v);
    }

    /** {@code reserved[9]} as a slice. */
    public static MemorySegment reserved(MemorySegment s) {
        return s.asSlice(OFFSET_reserved, 36);
    }

    public static int reserved(MemorySegment s, int index) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_reserved + (long) Objects.checkIndex(index, 9) * 4);
    }

    public static void reserved(MemorySegment s, int index, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_reserved + (long) Objects.checkIndex(index, 9) * 4, v);
    }

}

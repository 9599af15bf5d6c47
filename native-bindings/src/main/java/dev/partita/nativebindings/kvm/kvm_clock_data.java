package dev.partita.nativebindings.kvm;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * Mirrors {@code struct kvm_clock_data}: KVM_GET_CLOCK/KVM_SET_CLOCK.
 *
 * <p>{@code OFFSET_*} are byte offsets from the start of the struct (members of nested anonymous
 * structs and unions are flattened, their path joined with {@code _}). Accessors are plain
 * (unsynchronized) reads and writes of the given segment; the caller owns the memory and its threading.
 * Unsigned C fields come back in the signed Java type of the same width.
 */
public final class kvm_clock_data {
    private kvm_clock_data() {}

    public static final long OFFSET_clock = 0;
    public static final long OFFSET_flags = 8;
    public static final long OFFSET_pad0 = 12;
    public static final long OFFSET_realtime = 16;
    public static final long OFFSET_host_tsc = 24;
    public static final long OFFSET_pad = 32;

    private static final GroupLayout LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("clock"),
            ValueLayout.JAVA_INT.withName("flags"),
            ValueLayout.JAVA_INT.withName("pad0"),
            ValueLayout.JAVA_LONG.withName("realtime"),
            ValueLayout.JAVA_LONG.withName("host_tsc"),
            MemoryLayout.sequenceLayout(4, ValueLayout.JAVA_INT).withName("pad")).withName("kvm_clock_data");

    /** The memory layout of {@code struct kvm_clock_data}. */
    public static GroupLayout layout() {
        return LAYOUT;
    }

    /** {@code sizeof(struct kvm_clock_data)}. */
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

    public static long clock(MemorySegment s) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_clock);
    }

    public static void clock(MemorySegment s, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_clock, v);
    }

    public static int flags(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_flags);
    }

    public static void flags(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_flags, v);
    }

    public static int pad0(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_pad0);
    }

    public static void pad0(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_pad0, v);
    }

    public static long realtime(MemorySegment s) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_realtime);
    }

    public static void realtime(MemorySegment s, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_realtime, v);
    }

    public static long host_tsc(MemorySegment s) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_host_tsc);
    }

    public static void host_tsc(MemorySegment s, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_host_tsc, v);
    }

    /** {@code pad[4]} as a slice. */
    public static MemorySegment pad(MemorySegment s) {
        return s.asSlice(OFFSET_pad, 16);
    }

    public static int pad(MemorySegment s, int index) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_pad + (long) Objects.checkIndex(index, 4) * 4);
    }

    public static void pad(MemorySegment s, int index, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_pad + (long) Objects.checkIndex(index, 4) * 4, v);
    }

}

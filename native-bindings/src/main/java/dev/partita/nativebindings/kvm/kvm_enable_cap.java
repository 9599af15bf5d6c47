package dev.partita.nativebindings.kvm;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * Mirrors {@code struct kvm_enable_cap}: KVM_ENABLE_CAP.
 *
 * <p>{@code OFFSET_*} are byte offsets from the start of the struct (members of nested anonymous
 * structs and unions are flattened, their path joined with {@code _}). Accessors are plain
 * (unsynchronized) reads and writes of the given segment; the caller owns the memory and its threading.
 * Unsigned C fields come back in the signed Java type of the same width.
 */
public final class kvm_enable_cap {
    private kvm_enable_cap() {}

    public static final long OFFSET_cap = 0;
    public static final long OFFSET_flags = 4;
    public static final long OFFSET_args = 8;
    public static final long OFFSET_pad = 40;

    private static final GroupLayout LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withName("cap"),
            ValueLayout.JAVA_INT.withName("flags"),
            MemoryLayout.sequenceLayout(4, ValueLayout.JAVA_LONG).withName("args"),
            MemoryLayout.sequenceLayout(64, ValueLayout.JAVA_BYTE).withName("pad")).withName("kvm_enable_cap");

    /** The memory layout of {@code struct kvm_enable_cap}. */
    public static GroupLayout layout() {
        return LAYOUT;
    }

    /** {@code sizeof(struct kvm_enable_cap)}. */
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

    public static int cap(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_cap);
    }

    public static void cap(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_cap, v);
    }

    public static int flags(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_flags);
    }

    public static void flags(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_flags, v);
    }

    /** {@code args[4]} as a slice. */
    public static MemorySegment args(MemorySegment s) {
        return s.asSlice(OFFSET_args, 32);
    }

    public static long args(MemorySegment s, int index) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_args + (long) Objects.checkIndex(index, 4) * 8);
    }

    public static void args(MemorySegment s, int index, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_args + (long) Objects.checkIndex(index, 4) * 8, v);
    }

    /** {@code pad[64]} as a slice. */
    public static MemorySegment pad(MemorySegment s) {
        return s.asSlice(OFFSET_pad, 64);
    }

    public static byte pad(MemorySegment s, int index) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_pad + (long) Objects.checkIndex(index, 64) * 1);
    }

    public static void pad(MemorySegment s, int index, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_pad + (long) Objects.checkIndex(index, 64) * 1, v);
    }

}

package dev.partita.nativebindings.kvm;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * Mirrors {@code struct kvm_xcr}.
 *
 * <p>{@code OFFSET_*} are byte offsets from the start of the struct (members of nested anonymous
 * structs and unions are flattened, their path joined with {@code _}). Accessors are plain
 * (unsynchronized) reads and writes of the given segment; the caller owns the memory and its threading.
 * Unsigned C fields come back in the signed Java type of the same width.
 */
public final class kvm_xcr {
    private kvm_xcr() {}

    public static final long OFFSET_xcr = 0;
    public static final long OFFSET_reserved = 4;
    public static final long OFFSET_value = 8;

    private static final GroupLayout LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withName("xcr"),
            ValueLayout.JAVA_INT.withName("reserved"),
            ValueLayout.JAVA_LONG.withName("value")).withName("kvm_xcr");

    /** The memory layout of {@code struct kvm_xcr}. */
    public static GroupLayout layout() {
        return LAYOUT;
    }

    /** {@code sizeof(struct kvm_xcr)}. */
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

    public static int xcr(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_xcr);
    }

    public static void xcr(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_xcr, v);
    }

    public static int reserved(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_reserved);
    }

    public static void reserved(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_reserved, v);
    }

    public static long value(MemorySegment s) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_value);
    }

    public static void value(MemorySegment s, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_value, v);
    }

}

package dev.partita.nativebindings.kvm;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * Mirrors {@code struct kvm_msr_entry}.
 *
 * <p>{@code OFFSET_*} are byte offsets from the start of the struct (members of nested anonymous
 * structs and unions are flattened, their path joined with {@code _}). Accessors are plain
 * (unsynchronized) reads and writes of the given segment; the caller owns the memory and its threading.
 * Unsigned C fields come back in the signed Java type of the same width.
 */
public final class kvm_msr_entry {
    private kvm_msr_entry() {}

    public static final long OFFSET_index = 0;
    public static final long OFFSET_reserved = 4;
    public static final long OFFSET_data = 8;

    private static final GroupLayout LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withName("index"),
            ValueLayout.JAVA_INT.withName("reserved"),
            ValueLayout.JAVA_LONG.withName("data")).withName("kvm_msr_entry");

    /** The memory layout of {@code struct kvm_msr_entry}. */
    public static GroupLayout layout() {
        return LAYOUT;
    }

    /** {@code sizeof(struct kvm_msr_entry)}. */
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

    public static int index(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_index);
    }

    public static void index(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_index, v);
    }

    public static int reserved(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_reserved);
    }

    public static void reserved(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_reserved, v);
    }

    public static long data(MemorySegment s) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_data);
    }

    public static void data(MemorySegment s, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_data, v);
    }

}

package dev.partita.nativebindings.kvm;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * Mirrors {@code struct kvm_irq_routing_msi}.
 *
 * <p>{@code OFFSET_*} are byte offsets from the start of the struct (members of nested anonymous
 * structs and unions are flattened, their path joined with {@code _}). Accessors are plain
 * (unsynchronized) reads and writes of the given segment; the caller owns the memory and its threading.
 * Unsigned C fields come back in the signed Java type of the same width.
 */
public final class kvm_irq_routing_msi {
    private kvm_irq_routing_msi() {}

    public static final long OFFSET_address_lo = 0;
    public static final long OFFSET_address_hi = 4;
    public static final long OFFSET_data = 8;
    public static final long OFFSET_pad = 12;
    public static final long OFFSET_devid = 12;

    private static final GroupLayout LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withName("address_lo"),
            ValueLayout.JAVA_INT.withName("address_hi"),
            ValueLayout.JAVA_INT.withName("data"),
            MemoryLayout.unionLayout(ValueLayout.JAVA_INT.withName("pad"), ValueLayout.JAVA_INT.withName("devid"), MemoryLayout.sequenceLayout(4, ValueLayout.JAVA_BYTE).withName("$size")).withName("$anon$1")).withName("kvm_irq_routing_msi");

    /** The memory layout of {@code struct kvm_irq_routing_msi}. */
    public static GroupLayout layout() {
        return LAYOUT;
    }

    /** {@code sizeof(struct kvm_irq_routing_msi)}. */
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

    public static int address_lo(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_address_lo);
    }

    public static void address_lo(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_address_lo, v);
    }

    public static int address_hi(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_address_hi);
    }

    public static void address_hi(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_address_hi, v);
    }

    public static int data(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_data);
    }

    public static void data(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_data, v);
    }

    public static int pad(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_pad);
    }

    public static void pad(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_pad, v);
    }

    public static int devid(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_devid);
    }

    public static void devid(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_devid, v);
    }

}

package dev.partita.nativebindings.kvm;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * Mirrors {@code struct kvm_ioapic_state}: the I/O APIC in kvm_irqchip.
 *
 * <p>{@code OFFSET_*} are byte offsets from the start of the struct (members of nested anonymous
 * structs and unions are flattened, their path joined with {@code _}). Accessors are plain
 * (unsynchronized) reads and writes of the given segment; the caller owns the memory and its threading.
 * Unsigned C fields come back in the signed Java type of the same width.
 */
public final class kvm_ioapic_state {
    private kvm_ioapic_state() {}

    public static final long OFFSET_base_address = 0;
    public static final long OFFSET_ioregsel = 8;
    public static final long OFFSET_id = 12;
    public static final long OFFSET_irr = 16;
    public static final long OFFSET_pad = 20;
    /** {@code redirtbl[24]}: each entry as its 64-bit {@code bits} view. */
    public static final long OFFSET_redirtbl = 24;

    private static final GroupLayout LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("base_address"),
            ValueLayout.JAVA_INT.withName("ioregsel"),
            ValueLayout.JAVA_INT.withName("id"),
            ValueLayout.JAVA_INT.withName("irr"),
            ValueLayout.JAVA_INT.withName("pad"),
            MemoryLayout.sequenceLayout(24, ValueLayout.JAVA_LONG).withName("redirtbl")).withName("kvm_ioapic_state");

    /** The memory layout of {@code struct kvm_ioapic_state}. */
    public static GroupLayout layout() {
        return LAYOUT;
    }

    /** {@code sizeof(struct kvm_ioapic_state)}. */
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

    public static long base_address(MemorySegment s) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_base_address);
    }

    public static void base_address(MemorySegment s, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_base_address, v);
    }

    public static int ioregsel(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_ioregsel);
    }

    public static void ioregsel(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_ioregsel, v);
    }

    public static int id(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_id);
    }

    public static void id(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_id, v);
    }

    public static int irr(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_irr);
    }

    public static void irr(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_irr, v);
    }

    public static int pad(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_pad);
    }

    public static void pad(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_pad, v);
    }

    /** {@code redirtbl[24]} as a slice. */
    public static MemorySegment redirtbl(MemorySegment s) {
        return s.asSlice(OFFSET_redirtbl, 192);
    }

    public static long redirtbl(MemorySegment s, int index) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_redirtbl + (long) Objects.checkIndex(index, 24) * 8);
    }

    public static void redirtbl(MemorySegment s, int index, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_redirtbl + (long) Objects.checkIndex(index, 24) * 8, v);
    }

}

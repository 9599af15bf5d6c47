package dev.partita.nativebindings.kvm;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * Mirrors {@code struct kvm_irqchip}: KVM_GET_IRQCHIP/KVM_SET_IRQCHIP.
 *
 * <p>{@code OFFSET_*} are byte offsets from the start of the struct (members of nested anonymous
 * structs and unions are flattened, their path joined with {@code _}). Accessors are plain
 * (unsynchronized) reads and writes of the given segment; the caller owns the memory and its threading.
 * Unsigned C fields come back in the signed Java type of the same width.
 */
public final class kvm_irqchip {
    private kvm_irqchip() {}

    public static final long OFFSET_chip_id = 0;
    public static final long OFFSET_pad = 4;
    public static final long OFFSET_chip = 8;
    /** C: {@code chip.pic}. */
    public static final long OFFSET_chip_pic = 8;
    /** C: {@code chip.ioapic}. */
    public static final long OFFSET_chip_ioapic = 8;

    private static final GroupLayout LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withName("chip_id"),
            ValueLayout.JAVA_INT.withName("pad"),
            MemoryLayout.unionLayout(kvm_pic_state.layout().withName("pic"), kvm_ioapic_state.layout().withName("ioapic"), MemoryLayout.sequenceLayout(512, ValueLayout.JAVA_BYTE).withName("$size")).withName("chip")).withName("kvm_irqchip");

    /** The memory layout of {@code struct kvm_irqchip}. */
    public static GroupLayout layout() {
        return LAYOUT;
    }

    /** {@code sizeof(struct kvm_irqchip)}. */
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

    public static int chip_id(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_chip_id);
    }

    public static void chip_id(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_chip_id, v);
    }

    public static int pad(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_pad);
    }

    public static void pad(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_pad, v);
    }

    /** The union {@code chip} as a slice of 512 bytes. */
    public static MemorySegment chip(MemorySegment s) {
        return s.asSlice(OFFSET_chip, 512);
    }

    /** The nested {@code struct kvm_pic_state chip.pic} as a slice. */
    public static MemorySegment chip_pic(MemorySegment s) {
        return s.asSlice(OFFSET_chip_pic, 16);
    }

    /** The nested {@code struct kvm_ioapic_state chip.ioapic} as a slice. */
    public static MemorySegment chip_ioapic(MemorySegment s) {
        return s.asSlice(OFFSET_chip_ioapic, 216);
    }

}

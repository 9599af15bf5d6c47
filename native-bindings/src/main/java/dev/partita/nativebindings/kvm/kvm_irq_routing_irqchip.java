package dev.partita.nativebindings.kvm;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * Mirrors {@code struct kvm_irq_routing_irqchip}.
 *
 * <p>{@code OFFSET_*} are byte offsets from the start of the struct (members of nested anonymous
 * structs and unions are flattened, their path joined with {@code _}). Accessors are plain
 * (unsynchronized) reads and writes of the given segment; the caller owns the memory and its threading.
 * Unsigned C fields come back in the signed Java type of the same width.
 */
public final class kvm_irq_routing_irqchip {
    private kvm_irq_routing_irqchip() {}

    public static final long OFFSET_irqchip = 0;
    public static final long OFFSET_pin = 4;

    private static final GroupLayout LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withName("irqchip"),
            ValueLayout.JAVA_INT.withName("pin")).withName("kvm_irq_routing_irqchip");

    /** The memory layout of {@code struct kvm_irq_routing_irqchip}. */
    public static GroupLayout layout() {
        return LAYOUT;
    }

    /** {@code sizeof(struct kvm_irq_routing_irqchip)}. */
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

    public static int irqchip(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_irqchip);
    }

    public static void irqchip(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_irqchip, v);
    }

    public static int pin(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_pin);
    }

    public static void pin(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_pin, v);
    }

}

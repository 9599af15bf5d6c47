package dev.partita.nativebindings.kvm;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * Mirrors {@code struct kvm_irq_routing_entry}.
 *
 * <p>{@code OFFSET_*} are byte offsets from the start of the struct (members of nested anonymous
 * structs and unions are flattened, their path joined with {@code _}). Accessors are plain
 * (unsynchronized) reads and writes of the given segment; the caller owns the memory and its threading.
 * Unsigned C fields come back in the signed Java type of the same width.
 */
public final class kvm_irq_routing_entry {
    private kvm_irq_routing_entry() {}

    public static final long OFFSET_gsi = 0;
    public static final long OFFSET_type = 4;
    public static final long OFFSET_flags = 8;
    public static final long OFFSET_pad = 12;
    public static final long OFFSET_u = 16;
    /** C: {@code u.irqchip}. */
    public static final long OFFSET_u_irqchip = 16;
    /** C: {@code u.msi}. */
    public static final long OFFSET_u_msi = 16;
    /** C: {@code u.hv_sint}. */
    public static final long OFFSET_u_hv_sint = 16;
    /** C: {@code u.pad}. */
    public static final long OFFSET_u_pad = 16;

    private static final GroupLayout LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withName("gsi"),
            ValueLayout.JAVA_INT.withName("type"),
            ValueLayout.JAVA_INT.withName("flags"),
            ValueLayout.JAVA_INT.withName("pad"),
            MemoryLayout.unionLayout(kvm_irq_routing_irqchip.layout().withName("irqchip"), kvm_irq_routing_msi.layout().withName("msi"), kvm_irq_routing_hv_sint.layout().withName("hv_sint"), MemoryLayout.sequenceLayout(8, ValueLayout.JAVA_INT).withName("pad"), MemoryLayout.sequenceLayout(32, ValueLayout.JAVA_BYTE).withName("$size")).withName("u")).withName("kvm_irq_routing_entry");

    /** The memory layout of {@code struct kvm_irq_routing_entry}. */
    public static GroupLayout layout() {
        return LAYOUT;
    }

    /** {@code sizeof(struct kvm_irq_routing_entry)}. */
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

    public static int gsi(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_gsi);
    }

    public static void gsi(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_gsi, v);
    }

    public static int type(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_type);
    }

    public static void type(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_type, v);
    }

    public static int flags(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_flags);
    }

    public static void flags(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_flags, v);
    }

    public static int pad(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_pad);
    }

    public static void pad(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_pad, v);
    }

    /** The union {@code u} as a slice of 32 bytes. */
    public static MemorySegment u(MemorySegment s) {
        return s.asSlice(OFFSET_u, 32);
    }

    /** The nested {@code struct kvm_irq_routing_irqchip u.irqchip} as a slice. */
    public static MemorySegment u_irqchip(MemorySegment s) {
        return s.asSlice(OFFSET_u_irqchip, 8);
    }

    /** The nested {@code struct kvm_irq_routing_msi u.msi} as a slice. */
    public static MemorySegment u_msi(MemorySegment s) {
        return s.asSlice(OFFSET_u_msi, 16);
    }

    /** The nested {@code struct kvm_irq_routing_hv_sint u.hv_sint} as a slice. */
    public static MemorySegment u_hv_sint(MemorySegment s) {
        return s.asSlice(OFFSET_u_hv_sint, 8);
    }

    /** {@code u.pad[8]} as a slice. */
    public static MemorySegment u_pad(MemorySegment s) {
        return s.asSlice(OFFSET_u_pad, 32);
    }

    public static int u_pad(MemorySegment s, int index) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_u_pad + (long) Objects.checkIndex(index, 8) * 4);
    }

    public static void u_pad(MemorySegment s, int index, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_u_pad + (long) Objects.checkIndex(index, 8) * 4, v);
    }

}

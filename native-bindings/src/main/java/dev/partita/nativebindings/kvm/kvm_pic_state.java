package dev.partita.nativebindings.kvm;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * Mirrors {@code struct kvm_pic_state}: one 8259 in kvm_irqchip.
 *
 * <p>{@code OFFSET_*} are byte offsets from the start of the struct (members of nested anonymous
 * structs and unions are flattened, their path joined with {@code _}). Accessors are plain
 * (unsynchronized) reads and writes of the given segment; the caller owns the memory and its threading.
 * Unsigned C fields come back in the signed Java type of the same width.
 */
public final class kvm_pic_state {
    private kvm_pic_state() {}

    public static final long OFFSET_last_irr = 0;
    public static final long OFFSET_irr = 1;
    public static final long OFFSET_imr = 2;
    public static final long OFFSET_isr = 3;
    public static final long OFFSET_priority_add = 4;
    public static final long OFFSET_irq_base = 5;
    public static final long OFFSET_read_reg_select = 6;
    public static final long OFFSET_poll = 7;
    public static final long OFFSET_special_mask = 8;
    public static final long OFFSET_init_state = 9;
    public static final long OFFSET_auto_eoi = 10;
    public static final long OFFSET_rotate_on_auto_eoi = 11;
    public static final long OFFSET_special_fully_nested_mode = 12;
    public static final long OFFSET_init4 = 13;
    public static final long OFFSET_elcr = 14;
    public static final long OFFSET_elcr_mask = 15;

    private static final GroupLayout LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_BYTE.withName("last_irr"),
            ValueLayout.JAVA_BYTE.withName("irr"),
            ValueLayout.JAVA_BYTE.withName("imr"),
            ValueLayout.JAVA_BYTE.withName("isr"),
            ValueLayout.JAVA_BYTE.withName("priority_add"),
            ValueLayout.JAVA_BYTE.withName("irq_base"),
            ValueLayout.JAVA_BYTE.withName("read_reg_select"),
            ValueLayout.JAVA_BYTE.withName("poll"),
            ValueLayout.JAVA_BYTE.withName("special_mask"),
            ValueLayout.JAVA_BYTE.withName("init_state"),
            ValueLayout.JAVA_BYTE.withName("auto_eoi"),
            ValueLayout.JAVA_BYTE.withName("rotate_on_auto_eoi"),
            ValueLayout.JAVA_BYTE.withName("special_fully_nested_mode"),
            ValueLayout.JAVA_BYTE.withName("init4"),
            ValueLayout.JAVA_BYTE.withName("elcr"),
            ValueLayout.JAVA_BYTE.withName("elcr_mask")).withName("kvm_pic_state");

    /** The memory layout of {@code struct kvm_pic_state}. */
    public static GroupLayout layout() {
        return LAYOUT;
    }

    /** {@code sizeof(struct kvm_pic_state)}. */
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

    public static byte last_irr(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_last_irr);
    }

    public static void last_irr(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_last_irr, v);
    }

    public static byte irr(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_irr);
    }

    public static void irr(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_irr, v);
    }

    public static byte imr(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_imr);
    }

    public static void imr(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_imr, v);
    }

    public static byte isr(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_isr);
    }

    public static void isr(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_isr, v);
    }

    public static byte priority_add(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_priority_add);
    }

    public static void priority_add(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_priority_add, v);
    }

    public static byte irq_base(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_irq_base);
    }

    public static void irq_base(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_irq_base, v);
    }

    public static byte read_reg_select(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_read_reg_select);
    }

    public static void read_reg_select(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_read_reg_select, v);
    }

    public static byte poll(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_poll);
    }

    public static void poll(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_poll, v);
    }

    public static byte special_mask(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_special_mask);
    }

    public static void special_mask(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_special_mask, v);
    }

    public static byte init_state(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_init_state);
    }

    public static void init_state(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_init_state, v);
    }

    public static byte auto_eoi(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_auto_eoi);
    }

    public static void auto_eoi(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_auto_eoi, v);
    }

    public static byte rotate_on_auto_eoi(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_rotate_on_auto_eoi);
    }

    public static void rotate_on_auto_eoi(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_rotate_on_auto_eoi, v);
    }

    public static byte special_fully_nested_mode(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_special_fully_nested_mode);
    }

    public static void special_fully_nested_mode(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_special_fully_nested_mode, v);
    }

    public static byte init4(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_init4);
    }

    public static void init4(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_init4, v);
    }

    public static byte elcr(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_elcr);
    }

    public static void elcr(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_elcr, v);
    }

    public static byte elcr_mask(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_elcr_mask);
    }

    public static void elcr_mask(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_elcr_mask, v);
    }

}

package dev.partita.nativebindings.kvm;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * Mirrors {@code struct kvm_sregs}: KVM_GET_SREGS/KVM_SET_SREGS.
 *
 * <p>{@code OFFSET_*} are byte offsets from the start of the struct (members of nested anonymous
 * structs and unions are flattened, their path joined with {@code _}). Accessors are plain
 * (unsynchronized) reads and writes of the given segment; the caller owns the memory and its threading.
 * Unsigned C fields come back in the signed Java type of the same width.
 */
public final class kvm_sregs {
    private kvm_sregs() {}

    public static final long OFFSET_cs = 0;
    public static final long OFFSET_ds = 24;
    public static final long OFFSET_es = 48;
    public static final long OFFSET_fs = 72;
    public static final long OFFSET_gs = 96;
    public static final long OFFSET_ss = 120;
    public static final long OFFSET_tr = 144;
    public static final long OFFSET_ldt = 168;
    public static final long OFFSET_gdt = 192;
    public static final long OFFSET_idt = 208;
    public static final long OFFSET_cr0 = 224;
    public static final long OFFSET_cr2 = 232;
    public static final long OFFSET_cr3 = 240;
    public static final long OFFSET_cr4 = 248;
    public static final long OFFSET_cr8 = 256;
    public static final long OFFSET_efer = 264;
    public static final long OFFSET_apic_base = 272;
    public static final long OFFSET_interrupt_bitmap = 280;

    private static final GroupLayout LAYOUT = MemoryLayout.structLayout(
            kvm_segment.layout().withName("cs"),
            kvm_segment.layout().withName("ds"),
            kvm_segment.layout().withName("es"),
            kvm_segment.layout().withName("fs"),
            kvm_segment.layout().withName("gs"),
            kvm_segment.layout().withName("ss"),
            kvm_segment.layout().withName("tr"),
            kvm_segment.layout().withName("ldt"),
            kvm_dtable.layout().withName("gdt"),
            kvm_dtable.layout().withName("idt"),
            ValueLayout.JAVA_LONG.withName("cr0"),
            ValueLayout.JAVA_LONG.withName("cr2"),
            ValueLayout.JAVA_LONG.withName("cr3"),
            ValueLayout.JAVA_LONG.withName("cr4"),
            ValueLayout.JAVA_LONG.withName("cr8"),
            ValueLayout.JAVA_LONG.withName("efer"),
            ValueLayout.JAVA_LONG.withName("apic_base"),
            MemoryLayout.sequenceLayout(4, ValueLayout.JAVA_LONG).withName("interrupt_bitmap")).withName("kvm_sregs");

    /** The memory layout of {@code struct kvm_sregs}. */
    public static GroupLayout layout() {
        return LAYOUT;
    }

    /** {@code sizeof(struct kvm_sregs)}. */
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

    /** The nested {@code struct kvm_segment cs} as a slice. */
    public static MemorySegment cs(MemorySegment s) {
        return s.asSlice(OFFSET_cs, 24);
    }

    /** The nested {@code struct kvm_segment ds} as a slice. */
    public static MemorySegment ds(MemorySegment s) {
        return s.asSlice(OFFSET_ds, 24);
    }

    /** The nested {@code struct kvm_segment es} as a slice. */
    public static MemorySegment es(MemorySegment s) {
        return s.asSlice(OFFSET_es, 24);
    }

    /** The nested {@code struct kvm_segment fs} as a slice. */
    public static MemorySegment fs(MemorySegment s) {
        return s.asSlice(OFFSET_fs, 24);
    }

    /** The nested {@code struct kvm_segment gs} as a slice. */
    public static MemorySegment gs(MemorySegment s) {
        return s.asSlice(OFFSET_gs, 24);
    }

    /** The nested {@code struct kvm_segment ss} as a slice. */
    public static MemorySegment ss(MemorySegment s) {
        return s.asSlice(OFFSET_ss, 24);
    }

    /** The nested {@code struct kvm_segment tr} as a slice. */
    public static MemorySegment tr(MemorySegment s) {
        return s.asSlice(OFFSET_tr, 24);
    }

    /** The nested {@code struct kvm_segment ldt} as a slice. */
    public static MemorySegment ldt(MemorySegment s) {
        return s.asSlice(OFFSET_ldt, 24);
    }

    /** The nested {@code struct kvm_dtable gdt} as a slice. */
    public static MemorySegment gdt(MemorySegment s) {
        return s.asSlice(OFFSET_gdt, 16);
    }

    /** The nested {@code struct kvm_dtable idt} as a slice. */
    public static MemorySegment idt(MemorySegment s) {
        return s.asSlice(OFFSET_idt, 16);
    }

    public static long cr0(MemorySegment s) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_cr0);
    }

    public static void cr0(MemorySegment s, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_cr0, v);
    }

    public static long cr2(MemorySegment s) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_cr2);
    }

    public static void cr2(MemorySegment s, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_cr2, v);
    }

    public static long cr3(MemorySegment s) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_cr3);
    }

    public static void cr3(MemorySegment s, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_cr3, v);
    }

    public static long cr4(MemorySegment s) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_cr4);
    }

    public static void cr4(MemorySegment s, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_cr4, v);
    }

    public static long cr8(MemorySegment s) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_cr8);
    }

    public static void cr8(MemorySegment s, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_cr8, v);
    }

    public static long efer(MemorySegment s) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_efer);
    }

    public static void efer(MemorySegment s, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_efer, v);
    }

    public static long apic_base(MemorySegment s) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_apic_base);
    }

    public static void apic_base(MemorySegment s, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_apic_base, v);
    }

    /** {@code interrupt_bitmap[4]} as a slice. */
    public static MemorySegment interrupt_bitmap(MemorySegment s) {
        return s.asSlice(OFFSET_interrupt_bitmap, 32);
    }

    public static long interrupt_bitmap(MemorySegment s, int index) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_interrupt_bitmap + (long) Objects.checkIndex(index, 4) * 8);
    }

    public static void interrupt_bitmap(MemorySegment s, int index, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_interrupt_bitmap + (long) Objects.checkIndex(index, 4) * 8, v);
    }

}

package dev.partita.nativebindings.kvm;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * Mirrors {@code struct kvm_irq_level}: KVM_IRQ_LINE/KVM_IRQ_LINE_STATUS.
 *
 * <p>{@code OFFSET_*} are byte offsets from the start of the struct (members of nested anonymous
 * structs and unions are flattened, their path joined with {@code _}). Accessors are plain
 * (unsynchronized) reads and writes of the given segment; the caller owns the memory and its threading.
 * Unsigned C fields come back in the signed Java type of the same width.
 */
public final class kvm_irq_level {
    private kvm_irq_level() {}

    public static final long OFFSET_irq = 0;
    public static final long OFFSET_status = 0;
    public static final long OFFSET_level = 4;

    private static final GroupLayout LAYOUT = MemoryLayout.structLayout(
            MemoryLayout.unionLayout(ValueLayout.JAVA_INT.withName("irq"), ValueLayout.JAVA_INT.withName("status"), MemoryLayout.sequenceLayout(4, ValueLayout.JAVA_BYTE).withName("$size")).withName("$anon$1"),
            ValueLayout.JAVA_INT.withName("level")).withName("kvm_irq_level");

    /** The memory layout of {@code struct kvm_irq_level}. */
    public static GroupLayout layout() {
        return LAYOUT;
    }

    /** {@code sizeof(struct kvm_irq_level)}. */
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

    public static int irq(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_irq);
    }

    public static void irq(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_irq, v);
    }

    public static int status(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_status);
    }

    public static void status(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_status, v);
    }

    public static int level(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_level);
    }

    public static void level(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_level, v);
    }

}

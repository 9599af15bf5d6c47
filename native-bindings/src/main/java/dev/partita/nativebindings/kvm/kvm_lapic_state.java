package dev.partita.nativebindings.kvm;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * Mirrors {@code struct kvm_lapic_state}: KVM_GET_LAPIC/KVM_SET_LAPIC: the APIC register page image (KVM_APIC_REG_SIZE bytes).
 *
 * <p>{@code OFFSET_*} are byte offsets from the start of the struct (members of nested anonymous
 * structs and unions are flattened, their path joined with {@code _}). Accessors are plain
 * (unsynchronized) reads and writes of the given segment; the caller owns the memory and its threading.
 * Unsigned C fields come back in the signed Java type of the same width.
 */
public final class kvm_lapic_state {
    private kvm_lapic_state() {}

    public static final long OFFSET_regs = 0;

    private static final GroupLayout LAYOUT = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(1024, ValueLayout.JAVA_BYTE).withName("regs")).withName("kvm_lapic_state");

    /** The memory layout of {@code struct kvm_lapic_state}. */
    public static GroupLayout layout() {
        return LAYOUT;
    }

    /** {@code sizeof(struct kvm_lapic_state)}. */
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

    /** {@code regs[1024]} as a slice. */
    public static MemorySegment regs(MemorySegment s) {
        return s.asSlice(OFFSET_regs, 1024);
    }

    public static byte regs(MemorySegment s, int index) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_regs + (long) Objects.checkIndex(index, 1024) * 1);
    }

    public static void regs(MemorySegment s, int index, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_regs + (long) Objects.checkIndex(index, 1024) * 1, v);
    }

}

package dev.partita.nativebindings.kvm;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * Mirrors {@code struct kvm_debugregs}: KVM_GET_DEBUGREGS/KVM_SET_DEBUGREGS.
 *
 * <p>{@code OFFSET_*} are byte offsets from the start of the struct (members of nested anonymous
 * structs and unions are flattened, their path joined with {@code _}). Accessors are plain
 * (unsynchronized) reads and writes of the given segment; the caller owns the memory and its threading.
 * Unsigned C fields come back in the signed Java type of the same width.
 */
public final class kvm_debugregs {
    private kvm_debugregs() {}

    public static final long OFFSET_db = 0;
    public static final long OFFSET_dr6 = 32;
    public static final long OFFSET_dr7 = 40;
    public static final long OFFSET_flags = 48;
    public static final long OFFSET_reserved = 56;

    private static final GroupLayout LAYOUT = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(4, ValueLayout.JAVA_LONG).withName("db"),
            ValueLayout.JAVA_LONG.withName("dr6"),
            ValueLayout.JAVA_LONG.withName("dr7"),
            ValueLayout.JAVA_LONG.withName("flags"),
            MemoryLayout.sequenceLayout(9, ValueLayout.JAVA_LONG).withName("reserved")).withName("kvm_debugregs");

    /** The memory layout of {@code struct kvm_debugregs}. */
    public static GroupLayout layout() {
        return LAYOUT;
    }

    /** {@code sizeof(struct kvm_debugregs)}. */
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

    /** {@code db[4]} as a slice. */
    public static MemorySegment db(MemorySegment s) {
        return s.asSlice(OFFSET_db, 32);
    }

    public static long db(MemorySegment s, int index) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_db + (long) Objects.checkIndex(index, 4) * 8);
    }

    public static void db(MemorySegment s, int index, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_db + (long) Objects.checkIndex(index, 4) * 8, v);
    }

    public static long dr6(MemorySegment s) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_dr6);
    }

    public static void dr6(MemorySegment s, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_dr6, v);
    }

    public static long dr7(MemorySegment s) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_dr7);
    }

    public static void dr7(MemorySegment s, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_dr7, v);
    }

    public static long flags(MemorySegment s) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_flags);
    }

    public static void flags(MemorySegment s, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_flags, v);
    }

    /** {@code reserved[9]} as a slice. */
    public static MemorySegment reserved(MemorySegment s) {
        return s.asSlice(OFFSET_reserved, 72);
    }

    public static long reserved(MemorySegment s, int index) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_reserved + (long) Objects.checkIndex(index, 9) * 8);
    }

    public static void reserved(MemorySegment s, int index, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_reserved + (long) Objects.checkIndex(index, 9) * 8, v);
    }

}

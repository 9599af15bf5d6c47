package dev.partita.nativebindings.kvm;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * Mirrors {@code struct kvm_cpuid_entry2}.
 *
 * <p>{@code OFFSET_*} are byte offsets from the start of the struct (members of nested anonymous
 * structs and unions are flattened, their path joined with {@code _}). Accessors are plain
 * (unsynchronized) reads and writes of the given segment; the caller owns the memory and its threading.
 * Unsigned C fields come back in the signed Java type of the same width.
 */
public final class kvm_cpuid_entry2 {
    private kvm_cpuid_entry2() {}

    public static final long OFFSET_function = 0;
    public static final long OFFSET_index = 4;
    public static final long OFFSET_flags = 8;
    public static final long OFFSET_eax = 12;
    public static final long OFFSET_ebx = 16;
    public static final long OFFSET_ecx = 20;
    public static final long OFFSET_edx = 24;
    public static final long OFFSET_padding = 28;

    private static final GroupLayout LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withName("function"),
            ValueLayout.JAVA_INT.withName("index"),
            ValueLayout.JAVA_INT.withName("flags"),
            ValueLayout.JAVA_INT.withName("eax"),
            ValueLayout.JAVA_INT.withName("ebx"),
            ValueLayout.JAVA_INT.withName("ecx"),
            ValueLayout.JAVA_INT.withName("edx"),
            MemoryLayout.sequenceLayout(3, ValueLayout.JAVA_INT).withName("padding")).withName("kvm_cpuid_entry2");

    /** The memory layout of {@code struct kvm_cpuid_entry2}. */
    public static GroupLayout layout() {
        return LAYOUT;
    }

    /** {@code sizeof(struct kvm_cpuid_entry2)}. */
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

    public static int function(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_function);
    }

    public static void function(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_function, v);
    }

    public static int index(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_index);
    }

    public static void index(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_index, v);
    }

    public static int flags(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_flags);
    }

    public static void flags(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_flags, v);
    }

    public static int eax(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_eax);
    }

    public static void eax(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_eax, v);
    }

    public static int ebx(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_ebx);
    }

    public static void ebx(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_ebx, v);
    }

    public static int ecx(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_ecx);
    }

    public static void ecx(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_ecx, v);
    }

    public static int edx(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_edx);
    }

    public static void edx(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_edx, v);
    }

    /** {@code padding[3]} as a slice. */
    public static MemorySegment padding(MemorySegment s) {
        return s.asSlice(OFFSET_padding, 12);
    }

    public static int padding(MemorySegment s, int index) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_padding + (long) Objects.checkIndex(index, 3) * 4);
    }

    public static void padding(MemorySegment s, int index, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_padding + (long) Objects.checkIndex(index, 3) * 4, v);
    }

}

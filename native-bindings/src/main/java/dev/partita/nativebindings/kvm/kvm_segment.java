package dev.partita.nativebindings.kvm;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * Mirrors {@code struct kvm_segment}.
 *
 * <p>{@code OFFSET_*} are byte offsets from the start of the struct (members of nested anonymous
 * structs and unions are flattened, their path joined with {@code _}). Accessors are plain
 * (unsynchronized) reads and writes of the given segment; the caller owns the memory and its threading.
 * Unsigned C fields come back in the signed Java type of the same width.
 */
public final class kvm_segment {
    private kvm_segment() {}

    public static final long OFFSET_base = 0;
    public static final long OFFSET_limit = 8;
    public static final long OFFSET_selector = 12;
    public static final long OFFSET_type = 14;
    public static final long OFFSET_present = 15;
    public static final long OFFSET_dpl = 16;
    public static final long OFFSET_db = 17;
    public static final long OFFSET_s = 18;
    public static final long OFFSET_l = 19;
    public static final long OFFSET_g = 20;
    public static final long OFFSET_avl = 21;
    public static final long OFFSET_unusable = 22;
    public static final long OFFSET_padding = 23;

    private static final GroupLayout LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("base"),
            ValueLayout.JAVA_INT.withName("limit"),
            ValueLayout.JAVA_SHORT.withName("selector"),
            ValueLayout.JAVA_BYTE.withName("type"),
            ValueLayout.JAVA_BYTE.withName("present"),
            ValueLayout.JAVA_BYTE.withName("dpl"),
            ValueLayout.JAVA_BYTE.withName("db"),
            ValueLayout.JAVA_BYTE.withName("s"),
            ValueLayout.JAVA_BYTE.withName("l"),
            ValueLayout.JAVA_BYTE.withName("g"),
            ValueLayout.JAVA_BYTE.withName("avl"),
            ValueLayout.JAVA_BYTE.withName("unusable"),
            ValueLayout.JAVA_BYTE.withName("padding")).withName("kvm_segment");

    /** The memory layout of {@code struct kvm_segment}. */
    public static GroupLayout layout() {
        return LAYOUT;
    }

    /** {@code sizeof(struct kvm_segment)}. */
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

    public static long base(MemorySegment s) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_base);
    }

    public static void base(MemorySegment s, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_base, v);
    }

    public static int limit(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_limit);
    }

    public static void limit(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_limit, v);
    }

    public static short selector(MemorySegment s) {
        return s.get(ValueLayout.JAVA_SHORT, OFFSET_selector);
    }

    public static void selector(MemorySegment s, short v) {
        s.set(ValueLayout.JAVA_SHORT, OFFSET_selector, v);
    }

    public static byte type(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_type);
    }

    public static void type(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_type, v);
    }

    public static byte present(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_present);
    }

    public static void present(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_present, v);
    }

    public static byte dpl(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_dpl);
    }

    public static void dpl(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_dpl, v);
    }

    public static byte db(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_db);
    }

    public static void db(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_db, v);
    }

    public static byte s(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_s);
    }

    public static void s(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_s, v);
    }

    public static byte l(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_l);
    }

    public static void l(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_l, v);
    }

    public static byte g(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_g);
    }

    public static void g(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_g, v);
    }

    public static byte avl(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_avl);
    }

    public static void avl(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_avl, v);
    }

    public static byte unusable(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_unusable);
    }

    public static void unusable(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_unusable, v);
    }

    public static byte padding(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_padding);
    }

    public static void padding(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_padding, v);
    }

}

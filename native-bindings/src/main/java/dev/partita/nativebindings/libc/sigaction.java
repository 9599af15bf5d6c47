package dev.partita.nativebindings.libc;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * Mirrors {@code struct sigaction}: glibc's struct (signal.h), not the kernel's.
 *
 * <p>{@code OFFSET_*} are byte offsets from the start of the struct (members of nested anonymous
 * structs and unions are flattened, their path joined with {@code _}). Accessors are plain
 * (unsynchronized) reads and writes of the given segment; the caller owns the memory and its threading.
 * Unsigned C fields come back in the signed Java type of the same width.
 */
public final class sigaction {
    private sigaction() {}

    /** Handler address, or SIG_DFL/SIG_IGN; shares storage with {@code sa_sigaction}. */
    public static final long OFFSET_sa_handler = 0;
    public static final long OFFSET_sa_mask = 8;
    public static final long OFFSET_sa_flags = 136;
    /** Filled in by glibc itself; leave NULL. */
    public static final long OFFSET_sa_restorer = 144;

    private static final GroupLayout LAYOUT = MemoryLayout.structLayout(
            ValueLayout.ADDRESS.withName("sa_handler"),
            sigset_t.layout().withName("sa_mask"),
            ValueLayout.JAVA_INT.withName("sa_flags"),
            MemoryLayout.paddingLayout(4),
            ValueLayout.ADDRESS.withName("sa_restorer")).withName("sigaction");

    /** The memory layout of {@code struct sigaction}. */
    public static GroupLayout layout() {
        return LAYOUT;
    }

    /** {@code sizeof(struct sigaction)}. */
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

    public static MemorySegment sa_handler(MemorySegment s) {
        return s.get(ValueLayout.ADDRESS, OFFSET_sa_handler);
    }

    public static void sa_handler(MemorySegment s, MemorySegment v) {
        s.set(ValueLayout.ADDRESS, OFFSET_sa_handler, v);
    }

    /** The nested {@code sigset_t sa_mask} as a slice. */
    public static MemorySegment sa_mask(MemorySegment s) {
        return s.asSlice(OFFSET_sa_mask, 128);
    }

    public static int sa_flags(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_sa_flags);
    }

    public static void sa_flags(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_sa_flags, v);
    }

    public static MemorySegment sa_restorer(MemorySegment s) {
        return s.get(ValueLayout.ADDRESS, OFFSET_sa_restorer);
    }

    public static void sa_restorer(MemorySegment s, MemorySegment v) {
        s.set(ValueLayout.ADDRESS, OFFSET_sa_restorer, v);
    }

}

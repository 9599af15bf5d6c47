package dev.partita.nativebindings.kvm;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * Mirrors {@code struct kvm_clear_dirty_log}: KVM_CLEAR_DIRTY_LOG.
 *
 * <p>{@code OFFSET_*} are byte offsets from the start of the struct (members of nested anonymous
 * structs and unions are flattened, their path joined with {@code _}). Accessors are plain
 * (unsynchronized) reads and writes of the given segment; the caller owns the memory and its threading.
 * Unsigned C fields come back in the signed Java type of the same width.
 */
public final class kvm_clear_dirty_log {
    private kvm_clear_dirty_log() {}

    public static final long OFFSET_slot = 0;
    public static final long OFFSET_num_pages = 4;
    public static final long OFFSET_first_page = 8;
    public static final long OFFSET_dirty_bitmap = 16;

    private static final GroupLayout LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withName("slot"),
            ValueLayout.JAVA_INT.withName("num_pages"),
            ValueLayout.JAVA_LONG.withName("first_page"),
            ValueLayout.ADDRESS.withName("dirty_bitmap")).withName("kvm_clear_dirty_log");

    /** The memory layout of {@code struct kvm_clear_dirty_log}. */
    public static GroupLayout layout() {
        return LAYOUT;
    }

    /** {@code sizeof(struct kvm_clear_dirty_log)}. */
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

    public static int slot(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_slot);
    }

    public static void slot(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_slot, v);
    }

    public static int num_pages(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_num_pages);
    }

    public static void num_pages(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_num_pages, v);
    }

    public static long first_page(MemorySegment s) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_first_page);
    }

    public static void first_page(MemorySegment s, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_first_page, v);
    }

    public static MemorySegment dirty_bitmap(MemorySegment s) {
        return s.get(ValueLayout.ADDRESS, OFFSET_dirty_bitmap);
    }

    public static void dirty_bitmap(MemorySegment s, MemorySegment v) {
        s.set(ValueLayout.ADDRESS, OFFSET_dirty_bitmap, v);
    }

}

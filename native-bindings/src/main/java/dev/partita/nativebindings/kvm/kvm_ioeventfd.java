package dev.partita.nativebindings.kvm;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * Mirrors {@code struct kvm_ioeventfd}: KVM_IOEVENTFD.
 *
 * <p>{@code OFFSET_*} are byte offsets from the start of the struct (members of nested anonymous
 * structs and unions are flattened, their path joined with {@code _}). Accessors are plain
 * (unsynchronized) reads and writes of the given segment; the caller owns the memory and its threading.
 * Unsigned C fields come back in the signed Java type of the same width.
 */
public final class kvm_ioeventfd {
    private kvm_ioeventfd() {}

    public static final long OFFSET_datamatch = 0;
    public static final long OFFSET_addr = 8;
    public static final long OFFSET_len = 16;
    public static final long OFFSET_fd = 20;
    public static final long OFFSET_flags = 24;
    public static final long OFFSET_pad = 28;

    private static final GroupLayout LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("datamatch"),
            ValueLayout.JAVA_LONG.withName("addr"),
            ValueLayout.JAVA_INT.withName("len"),
            ValueLayout.JAVA_INT.withName("fd"),
            ValueLayout.JAVA_INT.withName("flags"),
            MemoryLayout.sequenceLayout(36, ValueLayout.JAVA_BYTE).withName("pad")).withName("kvm_ioeventfd");

    /** The memory layout of {@code struct kvm_ioeventfd}. */
    public static GroupLayout layout() {
        return LAYOUT;
    }

    /** {@code sizeof(struct kvm_ioeventfd)}. */
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

    public static long datamatch(MemorySegment s) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_datamatch);
    }

    public static void datamatch(MemorySegment s, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_datamatch, v);
    }

    public static long addr(MemorySegment s) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_addr);
    }

    public static void addr(MemorySegment s, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_addr, v);
    }

    public static int len(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_len);
    }

    public static void len(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_len, v);
    }

    public static int fd(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_fd);
    }

    public static void fd(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_fd, v);
    }

    public static int flags(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_flags);
    }

    public static void flags(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_flags, v);
    }

    /** {@code pad[36]} as a slice. */
    public static MemorySegment pad(MemorySegment s) {
        return s.asSlice(OFFSET_pad, 36);
    }

    public static byte pad(MemorySegment s, int index) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_pad + (long) Objects.checkIndex(index, 36) * 1);
    }

    public static void pad(MemorySegment s, int index, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_pad + (long) Objects.checkIndex(index, 36) * 1, v);
    }

}

package dev.partita.nativebindings.kvm;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * Mirrors {@code struct kvm_irqfd}: KVM_IRQFD.
 *
 * <p>{@code OFFSET_*} are byte offsets from the start of the struct (members of nested anonymous
 * structs and unions are flattened, their path joined with {@code _}). Accessors are plain
 * (unsynchronized) reads and writes of the given segment; the caller owns the memory and its threading.
 * Unsigned C fields come back in the signed Java type of the same width.
 */
public final class kvm_irqfd {
    private kvm_irqfd() {}

    public static final long OFFSET_fd = 0;
    public static final long OFFSET_gsi = 4;
    public static final long OFFSET_flags = 8;
    public static final long OFFSET_resamplefd = 12;
    public static final long OFFSET_pad = 16;

    private static final GroupLayout LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withName("fd"),
            ValueLayout.JAVA_INT.withName("gsi"),
            ValueLayout.JAVA_INT.withName("flags"),
            ValueLayout.JAVA_INT.withName("resamplefd"),
            MemoryLayout.sequenceLayout(16, ValueLayout.JAVA_BYTE).withName("pad")).withName("kvm_irqfd");

    /** The memory layout of {@code struct kvm_irqfd}. */
    public static GroupLayout layout() {
        return LAYOUT;
    }

    /** {@code sizeof(struct kvm_irqfd)}. */
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

    public static int fd(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_fd);
    }

    public static void fd(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_fd, v);
    }

    public static int gsi(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_gsi);
    }

    public static void gsi(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_gsi, v);
    }

    public static int flags(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_flags);
    }

    public static void flags(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_flags, v);
    }

    public static int resamplefd(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_resamplefd);
    }

    public static void resamplefd(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_resamplefd, v);
    }

    /** {@code pad[16]} as a slice. */
    public static MemorySegment pad(MemorySegment s) {
        return s.asSlice(OFFSET_pad, 16);
    }

    public static byte pad(MemorySegment s, int index) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_pad + (long) Objects.checkIndex(index, 16) * 1);
    }

    public static void pad(MemorySegment s, int index, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_pad + (long) Objects.checkIndex(index, 16) * 1, v);
    }

}

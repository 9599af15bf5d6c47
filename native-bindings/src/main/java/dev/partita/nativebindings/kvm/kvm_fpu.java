package dev.partita.nativebindings.kvm;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * Mirrors {@code struct kvm_fpu}: KVM_GET_FPU/KVM_SET_FPU.
 *
 * <p>{@code OFFSET_*} are byte offsets from the start of the struct (members of nested anonymous
 * structs and unions are flattened, their path joined with {@code _}). Accessors are plain
 * (unsynchronized) reads and writes of the given segment; the caller owns the memory and its threading.
 * Unsigned C fields come back in the signed Java type of the same width.
 */
public final class kvm_fpu {
    private kvm_fpu() {}

    /** {@code fpr[8][16]}: eight 16-byte x87 registers. */
    public static final long OFFSET_fpr = 0;
    public static final long OFFSET_fcw = 128;
    public static final long OFFSET_fsw = 130;
    /** Abridged tag word (FXSAVE format). */
    public static final long OFFSET_ftwx = 132;
    public static final long OFFSET_pad1 = 133;
    public static final long OFFSET_last_opcode = 134;
    public static final long OFFSET_last_ip = 136;
    public static final long OFFSET_last_dp = 144;
    /** {@code xmm[16][16]}. */
    public static final long OFFSET_xmm = 152;
    public static final long OFFSET_mxcsr = 408;
    public static final long OFFSET_pad2 = 412;

    private static final GroupLayout LAYOUT = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(128, ValueLayout.JAVA_BYTE).withName("fpr"),
            ValueLayout.JAVA_SHORT.withName("fcw"),
            ValueLayout.JAVA_SHORT.withName("fsw"),
            ValueLayout.JAVA_BYTE.withName("ftwx"),
            ValueLayout.JAVA_BYTE.withName("pad1"),
            ValueLayout.JAVA_SHORT.withName("last_opcode"),
            ValueLayout.JAVA_LONG.withName("last_ip"),
            ValueLayout.JAVA_LONG.withName("last_dp"),
            MemoryLayout.sequenceLayout(256, ValueLayout.JAVA_BYTE).withName("xmm"),
            ValueLayout.JAVA_INT.withName("mxcsr"),
            ValueLayout.JAVA_INT.withName("pad2")).withName("kvm_fpu");

    /** The memory layout of {@code struct kvm_fpu}. */
    public static GroupLayout layout() {
        return LAYOUT;
    }

    /** {@code sizeof(struct kvm_fpu)}. */
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

    /** {@code fpr[128]} as a slice. */
    public static MemorySegment fpr(MemorySegment s) {
        return s.asSlice(OFFSET_fpr, 128);
    }

    public static byte fpr(MemorySegment s, int index) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_fpr + (long) Objects.checkIndex(index, 128) * 1);
    }

    public static void fpr(MemorySegment s, int index, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_fpr + (long) Objects.checkIndex(index, 128) * 1, v);
    }

    public static short fcw(MemorySegment s) {
        return s.get(ValueLayout.JAVA_SHORT, OFFSET_fcw);
    }

    public static void fcw(MemorySegment s, short v) {
        s.set(ValueLayout.JAVA_SHORT, OFFSET_fcw, v);
    }

    public static short fsw(MemorySegment s) {
        return s.get(ValueLayout.JAVA_SHORT, OFFSET_fsw);
    }

    public static void fsw(MemorySegment s, short v) {
        s.set(ValueLayout.JAVA_SHORT, OFFSET_fsw, v);
    }

    public static byte ftwx(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_ftwx);
    }

    public static void ftwx(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_ftwx, v);
    }

    public static byte pad1(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_pad1);
    }

    public static void pad1(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_pad1, v);
    }

    public static short last_opcode(MemorySegment s) {
        return s.get(ValueLayout.JAVA_SHORT, OFFSET_last_opcode);
    }

    public static void last_opcode(MemorySegment s, short v) {
        s.set(ValueLayout.JAVA_SHORT, OFFSET_last_opcode, v);
    }

    public static long last_ip(MemorySegment s) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_last_ip);
    }

    public static void last_ip(MemorySegment s, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_last_ip, v);
    }

    public static long last_dp(MemorySegment s) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_last_dp);
    }

    public static void last_dp(MemorySegment s, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_last_dp, v);
    }

    /** {@code xmm[256]} as a slice. */
    public static MemorySegment xmm(MemorySegment s) {
        return s.asSlice(OFFSET_xmm, 256);
    }

    public static byte xmm(MemorySegment s, int index) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_xmm + (long) Objects.checkIndex(index, 256) * 1);
    }

    public static void xmm(MemorySegment s, int index, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_xmm + (long) Objects.checkIndex(index, 256) * 1, v);
    }

    public static int mxcsr(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_mxcsr);
    }

    public static void mxcsr(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_mxcsr, v);
    }

    public static int pad2(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_pad2);
    }

    public static void pad2(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_pad2, v);
    }

}

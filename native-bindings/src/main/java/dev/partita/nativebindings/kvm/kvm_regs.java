package dev.partita.nativebindings.kvm;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * Mirrors {@code struct kvm_regs}: KVM_GET_REGS/KVM_SET_REGS.
 *
 * <p>{@code OFFSET_*} are byte offsets from the start of the struct (members of nested anonymous
 * structs and unions are flattened, their path joined with {@code _}). Accessors are plain
 * (unsynchronized) reads and writes of the given segment; the caller owns the memory and its threading.
 * Unsigned C fields come back in the signed Java type of the same width.
 */
public final class kvm_regs {
    private kvm_regs() {}

    public static final long OFFSET_rax = 0;
    public static final long OFFSET_rbx = 8;
    public static final long OFFSET_rcx = 16;
    public static final long OFFSET_rdx = 24;
    public static final long OFFSET_rsi = 32;
    public static final long OFFSET_rdi = 40;
    public static final long OFFSET_rsp = 48;
    public static final long OFFSET_rbp = 56;
    public static final long OFFSET_r8 = 64;
    public static final long OFFSET_r9 = 72;
    public static final long OFFSET_r10 = 80;
    public static final long OFFSET_r11 = 88;
    public static final long OFFSET_r12 = 96;
    public static final long OFFSET_r13 = 104;
    public static final long OFFSET_r14 = 112;
    public static final long OFFSET_r15 = 120;
    public static final long OFFSET_rip = 128;
    public static final long OFFSET_rflags = 136;

    private static final GroupLayout LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("rax"),
            ValueLayout.JAVA_LONG.withName("rbx"),
            ValueLayout.JAVA_LONG.withName("rcx"),
            ValueLayout.JAVA_LONG.withName("rdx"),
            ValueLayout.JAVA_LONG.withName("rsi"),
            ValueLayout.JAVA_LONG.withName("rdi"),
            ValueLayout.JAVA_LONG.withName("rsp"),
            ValueLayout.JAVA_LONG.withName("rbp"),
            ValueLayout.JAVA_LONG.withName("r8"),
            ValueLayout.JAVA_LONG.withName("r9"),
            ValueLayout.JAVA_LONG.withName("r10"),
            ValueLayout.JAVA_LONG.withName("r11"),
            ValueLayout.JAVA_LONG.withName("r12"),
            ValueLayout.JAVA_LONG.withName("r13"),
            ValueLayout.JAVA_LONG.withName("r14"),
            ValueLayout.JAVA_LONG.withName("r15"),
            ValueLayout.JAVA_LONG.withName("rip"),
            ValueLayout.JAVA_LONG.withName("rflags")).withName("kvm_regs");

    /** The memory layout of {@code struct kvm_regs}. */
    public static GroupLayout layout() {
        return LAYOUT;
    }

    /** {@code sizeof(struct kvm_regs)}. */
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

    public static long rax(MemorySegment s) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_rax);
    }

    public static void rax(MemorySegment s, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_rax, v);
    }

    public static long rbx(MemorySegment s) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_rbx);
    }

    public static void rbx(MemorySegment s, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_rbx, v);
    }

    public static long rcx(MemorySegment s) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_rcx);
    }

    public static void rcx(MemorySegment s, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_rcx, v);
    }

    public static long rdx(MemorySegment s) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_rdx);
    }

    public static void rdx(MemorySegment s, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_rdx, v);
    }

    public static long rsi(MemorySegment s) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_rsi);
    }

    public static void rsi(MemorySegment s, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_rsi, v);
    }

    public static long rdi(MemorySegment s) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_rdi);
    }

    public static void rdi(MemorySegment s, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_rdi, v);
    }

    public static long rsp(MemorySegment s) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_rsp);
    }

    public static void rsp(MemorySegment s, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_rsp, v);
    }

    public static long rbp(MemorySegment s) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_rbp);
    }

    public static void rbp(MemorySegment s, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_rbp, v);
    }

    public static long r8(MemorySegment s) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_r8);
    }

    public static void r8(MemorySegment s, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_r8, v);
    }

    public static long r9(MemorySegment s) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_r9);
    }

    public static void r9(MemorySegment s, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_r9, v);
    }

    public static long r10(MemorySegment s) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_r10);
    }

    public static void r10(MemorySegment s, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_r10, v);
    }

    public static long r11(MemorySegment s) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_r11);
    }

    public static void r11(MemorySegment s, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_r11, v);
    }

    public static long r12(MemorySegment s) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_r12);
    }

    public static void r12(MemorySegment s, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_r12, v);
    }

    public static long r13(MemorySegment s) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_r13);
    }

    public static void r13(MemorySegment s, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_r13, v);
    }

    public static long r14(MemorySegment s) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_r14);
    }

    public static void r14(MemorySegment s, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_r14, v);
    }

    public static long r15(MemorySegment s) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_r15);
    }

    public static void r15(MemorySegment s, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_r15, v);
    }

    public static long rip(MemorySegment s) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_rip);
    }

    public static void rip(MemorySegment s, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_rip, v);
    }

    public static long rflags(MemorySegment s) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_rflags);
    }

    public static void rflags(MemorySegment s, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_rflags, v);
    }

}

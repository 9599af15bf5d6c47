package dev.partita.nativebindings.kvm;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * Mirrors {@code struct kvm_vcpu_events}: KVM_GET_VCPU_EVENTS/KVM_SET_VCPU_EVENTS.
 *
 * <p>{@code OFFSET_*} are byte offsets from the start of the struct (members of nested anonymous
 * structs and unions are flattened, their path joined with {@code _}). Accessors are plain
 * (unsynchronized) reads and writes of the given segment; the caller owns the memory and its threading.
 * Unsigned C fields come back in the signed Java type of the same width.
 */
public final class kvm_vcpu_events {
    private kvm_vcpu_events() {}

    /** C: {@code exception.injected}. */
    public static final long OFFSET_exception_injected = 0;
    /** C: {@code exception.nr}. */
    public static final long OFFSET_exception_nr = 1;
    /** C: {@code exception.has_error_code}. */
    public static final long OFFSET_exception_has_error_code = 2;
    /** C: {@code exception.pending}. */
    public static final long OFFSET_exception_pending = 3;
    /** C: {@code exception.error_code}. */
    public static final long OFFSET_exception_error_code = 4;
    /** C: {@code interrupt.injected}. */
    public static final long OFFSET_interrupt_injected = 8;
    /** C: {@code interrupt.nr}. */
    public static final long OFFSET_interrupt_nr = 9;
    /** C: {@code interrupt.soft}. */
    public static final long OFFSET_interrupt_soft = 10;
    /** C: {@code interrupt.shadow}. */
    public static final long OFFSET_interrupt_shadow = 11;
    /** C: {@code nmi.injected}. */
    public static final long OFFSET_nmi_injected = 12;
    /** C: {@code nmi.pending}. */
    public static final long OFFSET_nmi_pending = 13;
    /** C: {@code nmi.masked}. */
    public static final long OFFSET_nmi_masked = 14;
    /** C: {@code nmi.pad}. */
    public static final long OFFSET_nmi_pad = 15;
    public static final long OFFSET_sipi_vector = 16;
    public static final long OFFSET_flags = 20;
    /** C: {@code smi.smm}. */
    public static final long OFFSET_smi_smm = 24;
    /** C: {@code smi.pending}. */
    public static final long OFFSET_smi_pending = 25;
    /** C: {@code smi.smm_inside_nmi}. */
    public static final long OFFSET_smi_smm_inside_nmi = 26;
    /** C: {@code smi.latched_init}. */
    public static final long OFFSET_smi_latched_init = 27;
    /** C: {@code triple_fault.pending}. */
    public static final long OFFSET_triple_fault_pending = 28;
    public static final long OFFSET_reserved = 29;
    public static final long OFFSET_exception_has_payload = 55;
    public static final long OFFSET_exception_payload = 56;

    private static final GroupLayout LAYOUT = MemoryLayout.structLayout(
            MemoryLayout.structLayout(ValueLayout.JAVA_BYTE.withName("injected"), ValueLayout.JAVA_BYTE.withName("nr"), ValueLayout.JAVA_BYTE.withName("has_error_code"), ValueLayout.JAVA_BYTE.withName("pending"), ValueLayout.JAVA_INT.withName("error_code")).withName("exception"),
            MemoryLayout.structLayout(ValueLayout.JAVA_BYTE.withName("injected"), ValueLayout.JAVA_BYTE.withName("nr"), ValueLayout.JAVA_BYTE.withName("soft"), ValueLayout.JAVA_BYTE.withName("shadow")).withName("interrupt"),
            MemoryLayout.structLayout(ValueLayout.JAVA_BYTE.withName("injected"), ValueLayout.JAVA_BYTE.withName("pending"), ValueLayout.JAVA_BYTE.withName("masked"), ValueLayout.JAVA_BYTE.withName("pad")).withName("nmi"),
            ValueLayout.JAVA_INT.withName("sipi_vector"),
            ValueLayout.JAVA_INT.withName("flags"),
            MemoryLayout.structLayout(ValueLayout.JAVA_BYTE.withName("smm"), ValueLayout.JAVA_BYTE.withName("pending"), ValueLayout.JAVA_BYTE.withName("smm_inside_nmi"), ValueLayout.JAVA_BYTE.withName("latched_init")).withName("smi"),
            MemoryLayout.structLayout(ValueLayout.JAVA_BYTE.withName("pending")).withName("triple_fault"),
            MemoryLayout.sequenceLayout(26, ValueLayout.JAVA_BYTE).withName("reserved"),
            ValueLayout.JAVA_BYTE.withName("exception_has_payload"),
            ValueLayout.JAVA_LONG.withName("exception_payload")).withName("kvm_vcpu_events");

    /** The memory layout of {@code struct kvm_vcpu_events}. */
    public static GroupLayout layout() {
        return LAYOUT;
    }

    /** {@code sizeof(struct kvm_vcpu_events)}. */
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

    public static byte exception_injected(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_exception_injected);
    }

    public static void exception_injected(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_exception_injected, v);
    }

    public static byte exception_nr(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_exception_nr);
    }

    public static void exception_nr(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_exception_nr, v);
    }

    public static byte exception_has_error_code(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_exception_has_error_code);
    }

    public static void exception_has_error_code(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_exception_has_error_code, v);
    }

    public static byte exception_pending(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_exception_pending);
    }

    public static void exception_pending(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_exception_pending, v);
    }

    public static int exception_error_code(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_exception_error_code);
    }

    public static void exception_error_code(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_exception_error_code, v);
    }

    public static byte interrupt_injected(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_interrupt_injected);
    }

    public static void interrupt_injected(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_interrupt_injected, v);
    }

    public static byte interrupt_nr(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_interrupt_nr);
    }

    public static void interrupt_nr(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_interrupt_nr, v);
    }

    public static byte interrupt_soft(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_interrupt_soft);
    }

    public static void interrupt_soft(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_interrupt_soft, v);
    }

    public static byte interrupt_shadow(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_interrupt_shadow);
    }

    public static void interrupt_shadow(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_interrupt_shadow, v);
    }

    public static byte nmi_injected(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_nmi_injected);
    }

    public static void nmi_injected(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_nmi_injected, v);
    }

    public static byte nmi_pending(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_nmi_pending);
    }

    public static void nmi_pending(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_nmi_pending, v);
    }

    public static byte nmi_masked(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_nmi_masked);
    }

    public static void nmi_masked(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_nmi_masked, v);
    }

    public static byte nmi_pad(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_nmi_pad);
    }

    public static void nmi_pad(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_nmi_pad, v);
    }

    public static int sipi_vector(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_sipi_vector);
    }

    public static void sipi_vector(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_sipi_vector, v);
    }

    public static int flags(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_flags);
    }

    public static void flags(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_flags, v);
    }

    public static byte smi_smm(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_smi_smm);
    }

    public static void smi_smm(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_smi_smm, v);
    }

    public static byte smi_pending(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_smi_pending);
    }

    public static void smi_pending(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_smi_pending, v);
    }

    public static byte smi_smm_inside_nmi(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_smi_smm_inside_nmi);
    }

    public static void smi_smm_inside_nmi(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_smi_smm_inside_nmi, v);
    }

    public static byte smi_latched_init(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_smi_latched_init);
    }

    public static void smi_latched_init(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_smi_latched_init, v);
    }

    public static byte triple_fault_pending(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_triple_fault_pending);
    }

    public static void triple_fault_pending(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_triple_fault_pending, v);
    }

    /** {@code reserved[26]} as a slice. */
    public static MemorySegment reserved(MemorySegment s) {
        return s.asSlice(OFFSET_reserved, 26);
    }

    public static byte reserved(MemorySegment s, int index) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_reserved + (long) Objects.checkIndex(index, 26) * 1);
    }

    public static void reserved(MemorySegment s, int index, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_reserved + (long) Objects.checkIndex(index, 26) * 1, v);
    }

    public static byte exception_has_payload(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_exception_has_payload);
    }

    public static void exception_has_payload(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_exception_has_payload, v);
    }

    public static long exception_payload(MemorySegment s) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_exception_payload);
    }

    public static void exception_payload(MemorySegment s, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_exception_payload, v);
    }

}

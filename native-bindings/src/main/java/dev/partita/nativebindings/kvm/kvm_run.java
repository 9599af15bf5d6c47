package dev.partita.nativebindings.kvm;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * Mirrors {@code struct kvm_run}: the shared page(s) mmap'd from a vCPU fd. The io data follows at {@code io_data_offset}.
 *
 * <p>Why one class of this length: it has the shape jextract generates, one class per C struct,
 * and {@code struct kvm_run} has that many members (the exit unions included); the class holds no
 * logic and is checked member by member against the host header by the layout test.
 *
 * <p>{@code OFFSET_*} are byte offsets from the start of the struct (members of nested anonymous
 * structs and unions are flattened, their path joined with {@code _}). Accessors are plain
 * (unsynchronized) reads and writes of the given segment; the caller owns the memory and its threading.
 * Unsigned C fields come back in the signed Java type of the same width.
 */
public final class kvm_run {
    private kvm_run() {}

    public static final long OFFSET_request_interrupt_window = 0;
    /** Set to 1 (by any thread) to make KVM_RUN return EINTR at once or on the next entry. */
    public static final long OFFSET_immediate_exit = 1;
    public static final long OFFSET_padding1 = 2;
    public static final long OFFSET_exit_reason = 8;
    public static final long OFFSET_ready_for_interrupt_injection = 12;
    public static final long OFFSET_if_flag = 13;
    public static final long OFFSET_flags = 14;
    public static final long OFFSET_cr8 = 16;
    public static final long OFFSET_apic_base = 24;
    /** The exit-reason-specific union (256 bytes). */
    public static final long OFFSET_exit = 32;
    /** C: {@code hw.hardware_exit_reason}. */
    public static final long OFFSET_hw_hardware_exit_reason = 32;
    /** C: {@code fail_entry.hardware_entry_failure_reason}. */
    public static final long OFFSET_fail_entry_hardware_entry_failure_reason = 32;
    /** C: {@code fail_entry.cpu}. */
    public static final long OFFSET_fail_entry_cpu = 40;
    /** C: {@code ex.exception}. */
    public static final long OFFSET_ex_exception = 32;
    /** C: {@code ex.error_code}. */
    public static final long OFFSET_ex_error_code = 36;
    /** KVM_EXIT_IO_IN or KVM_EXIT_IO_OUT. C: {@code io.direction}. */
    public static final long OFFSET_io_direction = 32;
    /** Bytes per access. C: {@code io.size}. */
    public static final long OFFSET_io_size = 33;
    /** C: {@code io.port}. */
    public static final long OFFSET_io_port = 34;
    /** C: {@code io.count}. */
    public static final long OFFSET_io_count = 36;
    /** Offset of the data from the start of kvm_run. C: {@code io.data_offset}. */
    public static final long OFFSET_io_data_offset = 40;
    /** C: {@code debug.arch.exception}. */
    public static final long OFFSET_debug_exception = 32;
    /** C: {@code debug.arch.pad}. */
    public static final long OFFSET_debug_pad = 36;
    /** C: {@code debug.arch.pc}. */
    public static final long OFFSET_debug_pc = 40;
    /** C: {@code debug.arch.dr6}. */
    public static final long OFFSET_debug_dr6 = 48;
    /** C: {@code debug.arch.dr7}. */
    public static final long OFFSET_debug_dr7 = 56;
    /** C: {@code mmio.phys_addr}. */
    public static final long OFFSET_mmio_phys_addr = 32;
    /** C: {@code mmio.data}. */
    public static final long OFFSET_mmio_data = 40;
    /** C: {@code mmio.len}. */
    public static final long OFFSET_mmio_len = 48;
    /** C: {@code mmio.is_write}. */
    public static final long OFFSET_mmio_is_write = 52;
    /** C: {@code hypercall.nr}. */
    public static final long OFFSET_hypercall_nr = 32;
    /** C: {@code hypercall.args}. */
    public static final long OFFSET_hypercall_args = 40;
    /** C: {@code hypercall.ret}. */
    public static final long OFFSET_hypercall_ret = 88;
    /** C: {@code hypercall.longmode}. */
    public static final long OFFSET_hypercall_longmode = 96;
    /** C: {@code hypercall.pad}. */
    public static final long OFFSET_hypercall_pad = 100;
    /** C: {@code tpr_access.rip}. */
    public static final long OFFSET_tpr_access_rip = 32;
    /** C: {@code tpr_access.is_write}. */
    public static final long OFFSET_tpr_access_is_write = 40;
    /** C: {@code tpr_access.pad}. */
    public static final long OFFSET_tpr_access_pad = 44;
    /** C: {@code internal.suberror}. */
    public static final long OFFSET_internal_suberror = 32;
    /** C: {@code internal.ndata}. */
    public static final long OFFSET_internal_ndata = 36;
    /** C: {@code internal.data}. */
    public static final long OFFSET_internal_data = 40;
    /** C: {@code emulation_failure.suberror}. */
    public static final long OFFSET_emulation_failure_suberror = 32;
    /** C: {@code emulation_failure.ndata}. */
    public static final long OFFSET_emulation_failure_ndata = 36;
    /** C: {@code emulation_failure.flags}. */
    public static final long OFFSET_emulation_failure_flags = 40;
    /** C: {@code emulation_failure.insn_size}. */
    public static final long OFFSET_emulation_failure_insn_size = 48;
    /** C: {@code emulation_failure.insn_bytes}. */
    public static final long OFFSET_emulation_failure_insn_bytes = 49;
    /** C: {@code system_event.type}. */
    public static final long OFFSET_system_event_type = 32;
    /** C: {@code system_event.ndata}. */
    public static final long OFFSET_system_event_ndata = 36;
    /** Also read as {@code flags} (data[0]) on older kernels. C: {@code system_event.data}. */
    public static final long OFFSET_system_event_data = 40;
    /** C: {@code eoi.vector}. */
    public static final long OFFSET_eoi_vector = 32;
    /** C: {@code hyperv.type}. */
    public static final long OFFSET_hyperv_type = 32;
    /** C: {@code hyperv.pad1}. */
    public static final long OFFSET_hyperv_pad1 = 36;
    /** Raw union: synic {msr,pad2,control,evt_page,msg_page} / hcall {input,result,params[2]}. C: {@code hyperv.u}. */
    public static final long OFFSET_hyperv_u = 40;
    /** User to kernel: 1 makes the guest take #GP. C: {@code msr.error}. */
    public static final long OFFSET_msr_error = 32;
    /** C: {@code msr.pad}. */
    public static final long OFFSET_msr_pad = 33;
    /** KVM_MSR_EXIT_REASON_*. C: {@code msr.reason}. */
    public static final long OFFSET_msr_reason = 40;
    /** C: {@code msr.index}. */
    public static final long OFFSET_msr_index = 44;
    /** C: {@code msr.data}. */
    public static final long OFFSET_msr_data = 48;
    /** C: {@code notify.flags}. */
    public static final long OFFSET_notify_flags = 32;
    public static final long OFFSET_kvm_valid_regs = 288;
    public static final long OFFSET_kvm_dirty_regs = 296;
    /** Synchronized registers area (kvm_sync_regs), 2048 bytes. */
    public static final long OFFSET_s = 304;
    /** C: {@code s.regs}. */
    public static final long OFFSET_s_regs = 304;

    private static final GroupLayout LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_BYTE.withName("request_interrupt_window"),
            ValueLayout.JAVA_BYTE.withName("immediate_exit"),
            MemoryLayout.sequenceLayout(6, ValueLayout.JAVA_BYTE).withName("padding1"),
            ValueLayout.JAVA_INT.withName("exit_reason"),
            ValueLayout.JAVA_BYTE.withName("ready_for_interrupt_injection"),
            ValueLayout.JAVA_BYTE.withName("if_flag"),
            ValueLayout.JAVA_SHORT.withName("flags"),
            ValueLayout.JAVA_LONG.withName("cr8"),
            ValueLayout.JAVA_LONG.withName("apic_base"),
            MemoryLayout.unionLayout(MemoryLayout.structLayout(ValueLayout.JAVA_LONG.withName("hardware_exit_reason")).withName("hw"), MemoryLayout.structLayout(ValueLayout.JAVA_LONG.withName("hardware_entry_failure_reason"), ValueLayout.JAVA_INT.withName("cpu"), MemoryLayout.paddingLayout(4)).withName("fail_entry"), MemoryLayout.structLayout(ValueLayout.JAVA_INT.withName("exception"), ValueLayout.JAVA_INT.withName("error_code")).withName("ex"), MemoryLayout.structLayout(ValueLayout.JAVA_BYTE.withName("direction"), ValueLayout.JAVA_BYTE.withName("size"), ValueLayout.JAVA_SHORT.withName("port"), ValueLayout.JAVA_INT.withName("count"), ValueLayout.JAVA_LONG.withName("data_offset")).withName("io"), MemoryLayout.structLayout(ValueLayout.JAVA_INT.withName("exception"), ValueLayout.JAVA_INT.withName("pad"), ValueLayout.JAVA_LONG.withName("pc"), ValueLayout.JAVA_LONG.withName("dr6"), ValueLayout.JAVA_LONG.withName("dr7")).withName("debug"), MemoryLayout.structLayout(ValueLayout.JAVA_LONG.withName("phys_addr"), MemoryLayout.sequenceLayout(8, ValueLayout.JAVA_BYTE).withName("data"), ValueLayout.JAVA_INT.withName("len"), ValueLayout.JAVA_BYTE.withName("is_write"), MemoryLayout.paddingLayout(3)).withName("mmio"), MemoryLayout.structLayout(ValueLayout.JAVA_LONG.withName("nr"), MemoryLayout.sequenceLayout(6, ValueLayout.JAVA_LONG).withName("args"), ValueLayout.JAVA_LONG.withName("ret"), ValueLayout.JAVA_INT.withName("longmode"), ValueLayout.JAVA_INT.withName("pad")).withName("hypercall"), MemoryLayout.structLayout(ValueLayout.JAVA_LONG.withName("rip"), ValueLayout.JAVA_INT.withName("is_write"), ValueLayout.JAVA_INT.withName("pad")).withName("tpr_access"), MemoryLayout.structLayout(ValueLayout.JAVA_INT.withName("suberror"), ValueLayout.JAVA_INT.withName("ndata"), MemoryLayout.sequenceLayout(16, ValueLayout.JAVA_LONG).withName("data")).withName("internal"), MemoryLayout.structLayout(ValueLayout.JAVA_INT.withName("suberror"), ValueLayout.JAVA_INT.withName("ndata"), ValueLayout.JAVA_LONG.withName("flags"), ValueLayout.JAVA_BYTE.withName("insn_size"), MemoryLayout.sequenceLayout(15, ValueLayout.JAVA_BYTE).withName("insn_bytes")).withName("emulation_failure"), MemoryLayout.structLayout(ValueLayout.JAVA_INT.withName("type"), ValueLayout.JAVA_INT.withName("ndata"), MemoryLayout.sequenceLayout(16, ValueLayout.JAVA_LONG).withName("data")).withName("system_event"), MemoryLayout.structLayout(ValueLayout.JAVA_BYTE.withName("vector")).withName("eoi"), MemoryLayout.structLayout(ValueLayout.JAVA_INT.withName("type"), ValueLayout.JAVA_INT.withName("pad1"), MemoryLayout.sequenceLayout(48, ValueLayout.JAVA_BYTE).withName("u")).withName("hyperv"), MemoryLayout.structLayout(ValueLayout.JAVA_BYTE.withName("error"), MemoryLayout.sequenceLayout(7, ValueLayout.JAVA_BYTE).withName("pad"), ValueLayout.JAVA_INT.withName("reason"), ValueLayout.JAVA_INT.withName("index"), ValueLayout.JAVA_LONG.withName("data")).withName("msr"), MemoryLayout.structLayout(ValueLayout.JAVA_INT.withName("flags")).withName("notify"), MemoryLayout.sequenceLayout(256, ValueLayout.JAVA_BYTE).withName("$size")).withName("$anon$1"),
            ValueLayout.JAVA_LONG.withName("kvm_valid_regs"),
            ValueLayout.JAVA_LONG.withName("kvm_dirty_regs"),
            MemoryLayout.unionLayout(kvm_regs.layout().withName("regs"), MemoryLayout.sequenceLayout(2048, ValueLayout.JAVA_BYTE).withName("$size")).withName("s")).withName("kvm_run");

    /** The memory layout of {@code struct kvm_run}. */
    public static GroupLayout layout() {
        return LAYOUT;
    }

    /** {@code sizeof(struct kvm_run)}. */
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

    public static byte request_interrupt_window(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_request_interrupt_window);
    }

    public static void request_interrupt_window(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_request_interrupt_window, v);
    }

    public static byte immediate_exit(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_immediate_exit);
    }

    public static void immediate_exit(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_immediate_exit, v);
    }

    /** {@code padding1[6]} as a slice. */
    public static MemorySegment padding1(MemorySegment s) {
        return s.asSlice(OFFSET_padding1, 6);
    }

    public static byte padding1(MemorySegment s, int index) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_padding1 + (long) Objects.checkIndex(index, 6) * 1);
    }

    public static void padding1(MemorySegment s, int index, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_padding1 + (long) Objects.checkIndex(index, 6) * 1, v);
    }

    public static int exit_reason(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_exit_reason);
    }

    public static void exit_reason(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_exit_reason, v);
    }

    public static byte ready_for_interrupt_injection(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_ready_for_interrupt_injection);
    }

    public static void ready_for_interrupt_injection(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_ready_for_interrupt_injection, v);
    }

    public static byte if_flag(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_if_flag);
    }

    public static void if_flag(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_if_flag, v);
    }

    public static short flags(MemorySegment s) {
        return s.get(ValueLayout.JAVA_SHORT, OFFSET_flags);
    }

    public static void flags(MemorySegment s, short v) {
        s.set(ValueLayout.JAVA_SHORT, OFFSET_flags, v);
    }

    public static long cr8(MemorySegment s) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_cr8);
    }

    public static void cr8(MemorySegment s, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_cr8, v);
    }

    public static long apic_base(MemorySegment s) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_apic_base);
    }

    public static void apic_base(MemorySegment s, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_apic_base, v);
    }

    /** The union {@code exit} as a slice of 256 bytes. */
    public static MemorySegment exit(MemorySegment s) {
        return s.asSlice(OFFSET_exit, 256);
    }

    public static long hw_hardware_exit_reason(MemorySegment s) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_hw_hardware_exit_reason);
    }

    public static void hw_hardware_exit_reason(MemorySegment s, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_hw_hardware_exit_reason, v);
    }

    public static long fail_entry_hardware_entry_failure_reason(MemorySegment s) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_fail_entry_hardware_entry_failure_reason);
    }

    public static void fail_entry_hardware_entry_failure_reason(MemorySegment s, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_fail_entry_hardware_entry_failure_reason, v);
    }

    public static int fail_entry_cpu(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_fail_entry_cpu);
    }

    public static void fail_entry_cpu(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_fail_entry_cpu, v);
    }

    public static int ex_exception(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_ex_exception);
    }

    public static void ex_exception(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_ex_exception, v);
    }

    public static int ex_error_code(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_ex_error_code);
    }

    public static void ex_error_code(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_ex_error_code, v);
    }

    public static byte io_direction(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_io_direction);
    }

    public static void io_direction(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_io_direction, v);
    }

    public static byte io_size(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_io_size);
    }

    public static void io_size(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_io_size, v);
    }

    public static short io_port(MemorySegment s) {
        return s.get(ValueLayout.JAVA_SHORT, OFFSET_io_port);
    }

    public static void io_port(MemorySegment s, short v) {
        s.set(ValueLayout.JAVA_SHORT, OFFSET_io_port, v);
    }

    public static int io_count(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_io_count);
    }

    public static void io_count(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_io_count, v);
    }

    public static long io_data_offset(MemorySegment s) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_io_data_offset);
    }

    public static void io_data_offset(MemorySegment s, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_io_data_offset, v);
    }

    public static int debug_exception(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_debug_exception);
    }

    public static void debug_exception(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_debug_exception, v);
    }

    public static int debug_pad(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_debug_pad);
    }

    public static void debug_pad(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_debug_pad, v);
    }

    public static long debug_pc(MemorySegment s) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_debug_pc);
    }

    public static void debug_pc(MemorySegment s, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_debug_pc, v);
    }

    public static long debug_dr6(MemorySegment s) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_debug_dr6);
    }

    public static void debug_dr6(MemorySegment s, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_debug_dr6, v);
    }

    public static long debug_dr7(MemorySegment s) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_debug_dr7);
    }

    public static void debug_dr7(MemorySegment s, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_debug_dr7, v);
    }

    public static long mmio_phys_addr(MemorySegment s) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_mmio_phys_addr);
    }

    public static void mmio_phys_addr(MemorySegment s, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_mmio_phys_addr, v);
    }

    /** {@code mmio.data[8]} as a slice. */
    public static MemorySegment mmio_data(MemorySegment s) {
        return s.asSlice(OFFSET_mmio_data, 8);
    }

    public static byte mmio_data(MemorySegment s, int index) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_mmio_data + (long) Objects.checkIndex(index, 8) * 1);
    }

    public static void mmio_data(MemorySegment s, int index, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_mmio_data + (long) Objects.checkIndex(index, 8) * 1, v);
    }

    public static int mmio_len(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_mmio_len);
    }

    public static void mmio_len(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_mmio_len, v);
    }

    public static byte mmio_is_write(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_mmio_is_write);
    }

    public static void mmio_is_write(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_mmio_is_write, v);
    }

    public static long hypercall_nr(MemorySegment s) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_hypercall_nr);
    }

    public static void hypercall_nr(MemorySegment s, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_hypercall_nr, v);
    }

    /** {@code hypercall.args[6]} as a slice. */
    public static MemorySegment hypercall_args(MemorySegment s) {
        return s.asSlice(OFFSET_hypercall_args, 48);
    }

    public static long hypercall_args(MemorySegment s, int index) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_hypercall_args + (long) Objects.checkIndex(index, 6) * 8);
    }

    public static void hypercall_args(MemorySegment s, int index, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_hypercall_args + (long) Objects.checkIndex(index, 6) * 8, v);
    }

    public static long hypercall_ret(MemorySegment s) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_hypercall_ret);
    }

    public static void hypercall_ret(MemorySegment s, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_hypercall_ret, v);
    }

    public static int hypercall_longmode(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_hypercall_longmode);
    }

    public static void hypercall_longmode(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_hypercall_longmode, v);
    }

    public static int hypercall_pad(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_hypercall_pad);
    }

    public static void hypercall_pad(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_hypercall_pad, v);
    }

    public static long tpr_access_rip(MemorySegment s) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_tpr_access_rip);
    }

    public static void tpr_access_rip(MemorySegment s, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_tpr_access_rip, v);
    }

    public static int tpr_access_is_write(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_tpr_access_is_write);
    }

    public static void tpr_access_is_write(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_tpr_access_is_write, v);
    }

    public static int tpr_access_pad(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_tpr_access_pad);
    }

    public static void tpr_access_pad(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_tpr_access_pad, v);
    }

    public static int internal_suberror(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_internal_suberror);
    }

    public static void internal_suberror(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_internal_suberror, v);
    }

    public static int internal_ndata(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_internal_ndata);
    }

    public static void internal_ndata(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_internal_ndata, v);
    }

    /** {@code internal.data[16]} as a slice. */
    public static MemorySegment internal_data(MemorySegment s) {
        return s.asSlice(OFFSET_internal_data, 128);
    }

    public static long internal_data(MemorySegment s, int index) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_internal_data + (long) Objects.checkIndex(index, 16) * 8);
    }

    public static void internal_data(MemorySegment s, int index, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_internal_data + (long) Objects.checkIndex(index, 16) * 8, v);
    }

    public static int emulation_failure_suberror(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_emulation_failure_suberror);
    }

    public static void emulation_failure_suberror(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_emulation_failure_suberror, v);
    }

    public static int emulation_failure_ndata(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_emulation_failure_ndata);
    }

    public static void emulation_failure_ndata(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_emulation_failure_ndata, v);
    }

    public static long emulation_failure_flags(MemorySegment s) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_emulation_failure_flags);
    }

    public static void emulation_failure_flags(MemorySegment s, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_emulation_failure_flags, v);
    }

    public static byte emulation_failure_insn_size(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_emulation_failure_insn_size);
    }

    public static void emulation_failure_insn_size(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_emulation_failure_insn_size, v);
    }

    /** {@code emulation_failure.insn_bytes[15]} as a slice. */
    public static MemorySegment emulation_failure_insn_bytes(MemorySegment s) {
        return s.asSlice(OFFSET_emulation_failure_insn_bytes, 15);
    }

    public static byte emulation_failure_insn_bytes(MemorySegment s, int index) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_emulation_failure_insn_bytes + (long) Objects.checkIndex(index, 15) * 1);
    }

    public static void emulation_failure_insn_bytes(MemorySegment s, int index, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_emulation_failure_insn_bytes + (long) Objects.checkIndex(index, 15) * 1, v);
    }

    public static int system_event_type(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_system_event_type);
    }

    public static void system_event_type(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_system_event_type, v);
    }

    public static int system_event_ndata(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_system_event_ndata);
    }

    public static void system_event_ndata(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_system_event_ndata, v);
    }

    /** {@code system_event.data[16]} as a slice. */
    public static MemorySegment system_event_data(MemorySegment s) {
        return s.asSlice(OFFSET_system_event_data, 128);
    }

    public static long system_event_data(MemorySegment s, int index) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_system_event_data + (long) Objects.checkIndex(index, 16) * 8);
    }

    public static void system_event_data(MemorySegment s, int index, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_system_event_data + (long) Objects.checkIndex(index, 16) * 8, v);
    }

    public static byte eoi_vector(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_eoi_vector);
    }

    public static void eoi_vector(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_eoi_vector, v);
    }

    public static int hyperv_type(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_hyperv_type);
    }

    public static void hyperv_type(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_hyperv_type, v);
    }

    public static int hyperv_pad1(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_hyperv_pad1);
    }

    public static void hyperv_pad1(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_hyperv_pad1, v);
    }

    /** {@code hyperv.u[48]} as a slice. */
    public static MemorySegment hyperv_u(MemorySegment s) {
        return s.asSlice(OFFSET_hyperv_u, 48);
    }

    public static byte hyperv_u(MemorySegment s, int index) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_hyperv_u + (long) Objects.checkIndex(index, 48) * 1);
    }

    public static void hyperv_u(MemorySegment s, int index, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_hyperv_u + (long) Objects.checkIndex(index, 48) * 1, v);
    }

    public static byte msr_error(MemorySegment s) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_msr_error);
    }

    public static void msr_error(MemorySegment s, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_msr_error, v);
    }

    /** {@code msr.pad[7]} as a slice. */
    public static MemorySegment msr_pad(MemorySegment s) {
        return s.asSlice(OFFSET_msr_pad, 7);
    }

    public static byte msr_pad(MemorySegment s, int index) {
        return s.get(ValueLayout.JAVA_BYTE, OFFSET_msr_pad + (long) Objects.checkIndex(index, 7) * 1);
    }

    public static void msr_pad(MemorySegment s, int index, byte v) {
        s.set(ValueLayout.JAVA_BYTE, OFFSET_msr_pad + (long) Objects.checkIndex(index, 7) * 1, v);
    }

    public static int msr_reason(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_msr_reason);
    }

    public static void msr_reason(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_msr_reason, v);
    }

    public static int msr_index(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_msr_index);
    }

    public static void msr_index(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_msr_index, v);
    }

    public static long msr_data(MemorySegment s) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_msr_data);
    }

    public static void msr_data(MemorySegment s, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_msr_data, v);
    }

    public static int notify_flags(MemorySegment s) {
        return s.get(ValueLayout.JAVA_INT, OFFSET_notify_flags);
    }

    public static void notify_flags(MemorySegment s, int v) {
        s.set(ValueLayout.JAVA_INT, OFFSET_notify_flags, v);
    }

    public static long kvm_valid_regs(MemorySegment s) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_kvm_valid_regs);
    }

    public static void kvm_valid_regs(MemorySegment s, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_kvm_valid_regs, v);
    }

    public static long kvm_dirty_regs(MemorySegment s) {
        return s.get(ValueLayout.JAVA_LONG, OFFSET_kvm_dirty_regs);
    }

    public static void kvm_dirty_regs(MemorySegment s, long v) {
        s.set(ValueLayout.JAVA_LONG, OFFSET_kvm_dirty_regs, v);
    }

    /** The union {@code s} as a slice of 2048 bytes. */
    public static MemorySegment s(MemorySegment s) {
        return s.asSlice(OFFSET_s, 2048);
    }

    /** The nested {@code struct kvm_regs s.regs} as a slice. */
    public static MemorySegment s_regs(MemorySegment s) {
        return s.asSlice(OFFSET_s_regs, 144);
    }

}

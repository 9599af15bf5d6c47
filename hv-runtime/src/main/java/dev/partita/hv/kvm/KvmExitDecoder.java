package dev.partita.hv.kvm;

import dev.partita.hv.exit.VcpuExit;
import dev.partita.hv.hyperv.HypercallPage;
import dev.partita.hv.kvm.sys.KvmVcpu;
import dev.partita.nativebindings.kvm.Kvm_h;
import dev.partita.nativebindings.kvm.kvm_run;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Turns the exit KVM left in a vCPU's {@code kvm_run} area into a {@link VcpuExit}, and writes the
 * value the run loop answers (an IN, an MMIO read, an RDMSR) back into that area in place. Every
 * size, count and offset read from {@code kvm_run} is checked against the mapping before use: a
 * value outside what KVM documents yields a {@link VcpuExit.InternalError}, never an access
 * outside the area.
 *
 * <p>Holds the per-vCPU decoding state: a string/REP I/O exit handed out one element per
 * {@link #nextIoElement()}, the read awaiting its value, whether KVM must be re-entered to
 * complete the last exit, and the last I/O and MMIO records, reused when the next exit is the
 * same (a polling loop then allocates nothing).
 *
 * <p><b>Threads.</b> Confined to the vCPU thread.
 */
final class KvmExitDecoder {
    /** What decoding needs from the vCPU beyond {@code kvm_run}. */
    interface Registers {
        /**
         * The trapped hypercall: completes the OUT in the kernel and reads RCX (control), R11
         * (input) and R8 (output).
         */
        VcpuExit.Hypercall trappedHypercall();

        /** The register state as text for an error report, or why it is unavailable. */
        String report();
    }

    private static final int PENDING_NONE = 0;
    private static final int PENDING_IO_IN = 1;
    private static final int PENDING_MMIO_READ = 2;
    private static final int PENDING_MSR_READ = 3;
    private static final int PENDING_MSR_WRITE = 4;
    /** A Hyper-V hypercall trapped through {@link HypercallPage#TRAP_PORT}: the result goes to RAX. */
    private static final int PENDING_HYPERCALL = 5;

    private final MemorySegment run;
    private final long runSize;
    private final Registers registers;

    private int pending = PENDING_NONE;
    private long pendingOffset;
    private int pendingSize;
    /** The last exit needs a KVM_RUN to be completed by the kernel. */
    private boolean needsReentry;
    // string I/O being handed out element by element
    private int ioRemaining;
    private long ioNextOffset;
    private int ioPort;
    private int ioSize;
    private boolean ioWrite;
    // the last I/O and MMIO exits handed out: reused when the next one is identical (polling loops)
    private VcpuExit.PortIo lastIn = new VcpuExit.PortIo(-1, 0, false, 0);
    private VcpuExit.PortIo lastOut = new VcpuExit.PortIo(-1, 0, true, 0);
    private VcpuExit.Mmio lastMmioRead = new VcpuExit.Mmio(-1, 0, false, 0);

    /**
     * @param run       the vCPU's {@code kvm_run} mapping (its whole size: I/O data may follow the struct)
     * @param registers register access for hypercall traps and error reports
     */
    KvmExitDecoder(MemorySegment run, Registers registers) {
        this.run = run;
        this.runSize = run.byteSize();
        this.registers = registers;
    }

    /** Whether elements of a string I/O exit remain to be handed out (no KVM_RUN until they are). */
    boolean ioInProgress() {
        return ioRemaining > 0;
    }

    /** Whether KVM must be re-entered (with immediate_exit) to complete the last exit. */
    boolean needsReentry() {
        return needsReentry && ioRemaining == 0;
    }

    /** KVM was re-entered: the last exit is complete. */
    void reentered() {
        needsReentry = false;
    }

    /** Drops a partly handed-out string I/O and any read awaiting its value (the state is being replaced). */
    void abandon() {
        ioRemaining = 0;
        pending = PENDING_NONE;
    }

    /** Clears the read awaiting its value; called before KVM_RUN. */
    void beforeRun() {
        pending = PENDING_NONE;
    }

    /** Decodes the exit KVM_RUN returned ({@code reason}: a {@code KVM_EXIT_*} or {@link KvmVcpu#RUN_INTERRUPTED}). */
    VcpuExit decode(int reason) {
        needsReentry = false;
        return switch (reason) {
            case KvmVcpu.RUN_INTERRUPTED, Kvm_h.KVM_EXIT_INTR -> VcpuExit.Interrupted.INSTANCE;
            case Kvm_h.KVM_EXIT_IO -> startIo();
            case Kvm_h.KVM_EXIT_MMIO -> mmio();
            case Kvm_h.KVM_EXIT_HLT -> VcpuExit.Halt.INSTANCE;
            case Kvm_h.KVM_EXIT_X86_RDMSR -> {
                needsReentry = true;
                pending = PENDING_MSR_READ;
                run.set(ValueLayout.JAVA_BYTE, kvm_run.OFFSET_msr_error, (byte) 1); // #GP unless completed
                yield new VcpuExit.MsrRead(run.get(ValueLayout.JAVA_INT, kvm_run.OFFSET_msr_index));
            }
            case Kvm_h.KVM_EXIT_X86_WRMSR -> {
                needsReentry = true;
                pending = PENDING_MSR_WRITE;
                run.set(ValueLayout.JAVA_BYTE, kvm_run.OFFSET_msr_error, (byte) 0);
                yield new VcpuExit.MsrWrite(run.get(ValueLayout.JAVA_INT, kvm_run.OFFSET_msr_index),
                        run.get(ValueLayout.JAVA_LONG, kvm_run.OFFSET_msr_data));
            }
            case Kvm_h.KVM_EXIT_SHUTDOWN -> new VcpuExit.Shutdown("KVM_EXIT_SHUTDOWN");
            case Kvm_h.KVM_EXIT_FAIL_ENTRY -> {
                long hw = run.get(ValueLayout.JAVA_LONG, kvm_run.OFFSET_fail_entry_hardware_entry_failure_reason);
                yield new VcpuExit.EntryFailure(hw, "KVM_EXIT_FAIL_ENTRY hardware_entry_failure_reason=0x" + Long.toHexString(hw)
                        + " cpu=" + run.get(ValueLayout.JAVA_INT, kvm_run.OFFSET_fail_entry_cpu) + "\n" + registers.report());
            }
            case Kvm_h.KVM_EXIT_INTERNAL_ERROR -> internalError();
            case Kvm_h.KVM_EXIT_SYSTEM_EVENT -> systemEvent();
            default -> new VcpuExit.InternalError(reason, "unexpected exit " + Kvm_h.exitReasonName(reason) + " (" + reason + ")\n"
                    + registers.report());
        };
    }

    private VcpuExit startIo() {
        int size = Byte.toUnsignedInt(run.get(ValueLayout.JAVA_BYTE, kvm_run.OFFSET_io_size));
        long count = Integer.toUnsignedLong(run.get(ValueLayout.JAVA_INT, kvm_run.OFFSET_io_count));
        long offset = run.get(ValueLayout.JAVA_LONG, kvm_run.OFFSET_io_data_offset);
        if ((size != 1 && size != 2 && size != 4) || count == 0 || count > runSize
                || offset < kvm_run.sizeof() || offset > runSize - size * count) {
            return new VcpuExit.InternalError(Kvm_h.KVM_EXIT_IO, "KVM_EXIT_IO with size " + size + " count " + count
                    + " data at " + offset + " outside the " + runSize + "-byte kvm_run mapping");
        }
        ioSize = size;
        ioRemaining = (int) count;
        ioNextOffset = offset;
        ioPort = Short.toUnsignedInt(run.get(ValueLayout.JAVA_SHORT, kvm_run.OFFSET_io_port));
        ioWrite = run.get(ValueLayout.JAVA_BYTE, kvm_run.OFFSET_io_direction) == Kvm_h.KVM_EXIT_IO_OUT;
        if (ioWrite && ioPort == HypercallPage.TRAP_PORT && size == 1 && count == 1) {
            return hypercallTrap();
        }
        return nextIoElement();
    }

    /** The next element of the string I/O exit in progress (call only while {@link #ioInProgress()}). */
    VcpuExit nextIoElement() {
        long offset = ioNextOffset;
        ioNextOffset += ioSize;
        ioRemaining--;
        needsReentry = true;
        if (ioWrite) {
            pending = PENDING_NONE;
            int value = (int) getLe(offset, ioSize);
            VcpuExit.PortIo last = lastOut;
            if (last.port() != ioPort || last.size() != ioSize || last.value() != value) {
                last = lastOut = new VcpuExit.PortIo(ioPort, ioSize, true, value);
            }
            return last;
        }
        pending = PENDING_IO_IN;
        pendingOffset = offset;
        pendingSize = ioSize;
        VcpuExit.PortIo last = lastIn;
        if (last.port() != ioPort || last.size() != ioSize) {
            last = lastIn = new VcpuExit.PortIo(ioPort, ioSize, false, 0);
        }
        return last;
    }

    /** The Hyper-V hypercall page's OUT to {@link HypercallPage#TRAP_PORT}; {@link #completeRead} then answers in RAX. */
    private VcpuExit hypercallTrap() {
        ioRemaining = 0;
        needsReentry = true;
        VcpuExit.Hypercall call = registers.trappedHypercall();
        pending = PENDING_HYPERCALL;
        return call;
    }

    private VcpuExit mmio() {
        long gpa = run.get(ValueLayout.JAVA_LONG, kvm_run.OFFSET_mmio_phys_addr);
        int len = run.get(ValueLayout.JAVA_INT, kvm_run.OFFSET_mmio_len);
        boolean write = run.get(ValueLayout.JAVA_BYTE, kvm_run.OFFSET_mmio_is_write) != 0;
        if (len < 1 || len > 8) {
            return new VcpuExit.InternalError(Kvm_h.KVM_EXIT_MMIO, "KVM_EXIT_MMIO with length " + len + " at 0x" + Long.toHexString(gpa));
        }
        needsReentry = true;
        if (write) {
            return new VcpuExit.Mmio(gpa, len, true, getLe(kvm_run.OFFSET_mmio_data, len));
        }
        pending = PENDING_MMIO_READ;
        pendingOffset = kvm_run.OFFSET_mmio_data;
        pendingSize = len;
        VcpuExit.Mmio last = lastMmioRead;
        if (last.gpa() != gpa || last.size() != len) {
            last = lastMmioRead = new VcpuExit.Mmio(gpa, len, false, 0);
        }
        return last;
    }

    private VcpuExit internalError() {
        int suberror = run.get(ValueLayout.JAVA_INT, kvm_run.OFFSET_internal_suberror);
        int ndata = Math.min(run.get(ValueLayout.JAVA_INT, kvm_run.OFFSET_internal_ndata), 16);
        StringBuilder sb = new StringBuilder("KVM_EXIT_INTERNAL_ERROR suberror ").append(suberror).append(switch (suberror) {
            case Kvm_h.KVM_INTERNAL_ERROR_EMULATION -> " (emulation failed)";
            case Kvm_h.KVM_INTERNAL_ERROR_SIMUL_EX -> " (exception while delivering an exception)";
            case Kvm_h.KVM_INTERNAL_ERROR_DELIVERY_EV -> " (event delivery failed)";
            case Kvm_h.KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON -> " (unexpected hardware exit)";
            default -> "";
        });
        for (int i = 0; i < Math.max(ndata, 0); i++) {
            sb.append(i == 0 ? " data:" : "").append(" 0x").append(Long.toHexString(
                    run.get(ValueLayout.JAVA_LONG, kvm_run.OFFSET_internal_data + 8L * i)));
        }
        return new VcpuExit.InternalError(suberror, sb.append('\n').append(registers.report()).toString());
    }

    private VcpuExit systemEvent() {
        int type = run.get(ValueLayout.JAVA_INT, kvm_run.OFFSET_system_event_type);
        return switch (type) {
            case Kvm_h.KVM_SYSTEM_EVENT_SHUTDOWN -> new VcpuExit.SystemEvent(VcpuExit.SystemEventType.SHUTDOWN);
            case Kvm_h.KVM_SYSTEM_EVENT_RESET -> new VcpuExit.SystemEvent(VcpuExit.SystemEventType.RESET);
            case Kvm_h.KVM_SYSTEM_EVENT_CRASH -> new VcpuExit.SystemEvent(VcpuExit.SystemEventType.CRASH);
            default -> new VcpuExit.InternalError(Kvm_h.KVM_EXIT_SYSTEM_EVENT, "KVM_EXIT_SYSTEM_EVENT type " + type);
        };
    }

    private long getLe(long offset, int size) {
        return switch (size) {
            case 1 -> Byte.toUnsignedLong(run.get(ValueLayout.JAVA_BYTE, offset));
            case 2 -> Short.toUnsignedLong(run.get(ValueLayout.JAVA_SHORT_UNALIGNED, offset));
            case 4 -> Integer.toUnsignedLong(run.get(ValueLayout.JAVA_INT_UNALIGNED, offset));
            case 8 -> run.get(ValueLayout.JAVA_LONG_UNALIGNED, offset);
            default -> {
                long v = 0;
                for (int i = size - 1; i >= 0; i--) {
                    v = (v << 8) | Byte.toUnsignedLong(run.get(ValueLayout.JAVA_BYTE, offset + i));
                }
                yield v;
            }
        };
    }

    private void putLe(long offset, int size, long value) {
        switch (size) {
            case 1 -> run.set(ValueLayout.JAVA_BYTE, offset, (byte) value);
            case 2 -> run.set(ValueLayout.JAVA_SHORT_UNALIGNED, offset, (short) value);
            case 4 -> run.set(ValueLayout.JAVA_INT_UNALIGNED, offset, (int) value);
            case 8 -> run.set(ValueLayout.JAVA_LONG_UNALIGNED, offset, value);
            default -> {
                for (int i = 0; i < size; i++) {
                    run.set(ValueLayout.JAVA_BYTE, offset + i, (byte) (value >>> (8 * i)));
                }
            }
        }
    }

    /**
     * Answers the read the last exit asked for: an IN or MMIO read into {@code kvm_run}'s data, an
     * RDMSR into {@code msr.data} (clearing the #GP flag). Returns true when the value is the
     * result of a trapped hypercall, which the caller writes to RAX; for writes and other exits
     * nothing is written.
     */
    boolean completeRead(long value) {
        int was = pending;
        pending = PENDING_NONE;
        switch (was) {
            case PENDING_IO_IN, PENDING_MMIO_READ -> putLe(pendingOffset, pendingSize, value);
            case PENDING_MSR_READ -> {
                run.set(ValueLayout.JAVA_LONG, kvm_run.OFFSET_msr_data, value);
                run.set(ValueLayout.JAVA_BYTE, kvm_run.OFFSET_msr_error, (byte) 0);
            }
            default -> {
                // writes and other exits need no value
            }
        }
        return was == PENDING_HYPERCALL;
    }

    /** Makes the last RDMSR / WRMSR exit raise #GP in the guest. */
    void failMsrAccess() {
        if (pending == PENDING_MSR_READ || pending == PENDING_MSR_WRITE) {
            run.set(ValueLayout.JAVA_BYTE, kvm_run.OFFSET_msr_error, (byte) 1);
        }
        pending = PENDING_NONE;
    }
}

package dev.partita.hv.kvm;

import dev.partita.hv.cpuid.CpuidEntry;
import dev.partita.hv.exit.VcpuExit;
import dev.partita.hv.hyperv.HypercallPage;
import dev.partita.hv.kvm.sys.KvmException;
import dev.partita.hv.kvm.sys.KvmVcpu;
import dev.partita.hv.spi.BackendException;
import dev.partita.hv.spi.BackendVcpu;
import dev.partita.hv.vp.LapicState;
import dev.partita.hv.vp.VpState;
import dev.partita.hv.vp.XsaveArea;
import dev.partita.nativebindings.kvm.Kvm_h;
import dev.partita.nativebindings.kvm.kvm_lapic_state;
import dev.partita.nativebindings.kvm.kvm_regs;
import dev.partita.nativebindings.kvm.kvm_run;
import dev.partita.nativebindings.kvm.kvm_sregs;
import dev.partita.nativebindings.kvm.kvm_vcpu_events;
import dev.partita.nativebindings.kvm.kvm_xcrs;
import dev.partita.nativebindings.kvm.kvm_xsave;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Map;

/**
 * One KVM vCPU behind the neutral {@link BackendVcpu}: the run loop over the mapped
 * {@code kvm_run} area, exit decoding, completion of reads in place, and {@link VpState}
 * conversion.
 *
 * <p><b>Run loop.</b> {@link #run()} enters KVM_RUN and decodes the exit straight from the one
 * kvm_run mapping; port-I/O data is read from and written to kvm_run's data area in place, and a
 * string/REP I/O exit with {@code count > 1} is handed out one element per {@code run()} call
 * without re-entering the kernel. Halt and Interrupted exits are shared constants; an I/O or MMIO
 * exit identical to the previous one of its kind (a polling loop) reuses that record, so repeated
 * accesses allocate nothing; other exits allocate one small record (measured: 32 bytes per exit
 * when every exit differs; the JIT does not scalar-replace it across the interface call).
 *
 * <p><b>Completion.</b> KVM finishes an I/O, MMIO or MSR exit only on the next KVM_RUN. Before
 * reading or writing state after such an exit, this class re-enters once with
 * {@code immediate_exit} set, which completes the access without running guest code. A state read
 * while a string I/O is only partly handed out reports the state before that instruction.
 *
 * <p><b>Threads.</b> Everything except {@link #kick()} runs on the vCPU thread, which also
 * created this object (the scratch structures live in a confined arena of that thread).
 */
final class KvmVcpuBackend implements BackendVcpu {
    private static final int PENDING_NONE = 0;
    private static final int PENDING_IO_IN = 1;
    private static final int PENDING_MMIO_READ = 2;
    private static final int PENDING_MSR_READ = 3;
    private static final int PENDING_MSR_WRITE = 4;
    /** A Hyper-V hypercall trapped through {@link HypercallPage#TRAP_PORT}: the result goes to RAX. */
    private static final int PENDING_HYPERCALL = 5;

    private final int index;
    private final KvmVcpu vcpu;
    private final MemorySegment run;
    private final long runSize;
    private final KvmMsrSet msrSet;
    private final Arena scratch = Arena.ofConfined();
    private final MemorySegment regs = kvm_regs.allocate(scratch);
    private final MemorySegment sregs = kvm_sregs.allocate(scratch);
    private final MemorySegment events = kvm_vcpu_events.allocate(scratch);
    private final MemorySegment xcrs = kvm_xcrs.allocate(scratch);
    private final MemorySegment xsave = kvm_xsave.allocate(scratch);
    private final MemorySegment lapic = kvm_lapic_state.allocate(scratch);

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

    KvmVcpuBackend(int index, KvmVcpu vcpu, KvmMsrSet msrSet) {
        this.index = index;
        this.vcpu = vcpu;
        this.run = vcpu.kvmRun();
        this.runSize = run.byteSize();
        this.msrSet = msrSet;
    }

    @Override
    public int index() {
        return index;
    }

    // ---------------------------------------------------------------- run loop

    @Override
    public VcpuExit run() {
        if (ioRemaining > 0) {
            return nextIoElement();
        }
        pending = PENDING_NONE;
        int reason;
        try {
            reason = vcpu.run();
        } catch (KvmException e) {
            throw new BackendException("KVM_RUN on vCPU " + index + " failed: " + e.getMessage(), e);
        }
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
                        + " cpu=" + run.get(ValueLayout.JAVA_INT, kvm_run.OFFSET_fail_entry_cpu) + "\n" + registersOrWhy());
            }
            case Kvm_h.KVM_EXIT_INTERNAL_ERROR -> internalError();
            case Kvm_h.KVM_EXIT_SYSTEM_EVENT -> systemEvent();
            default -> new VcpuExit.InternalError(reason, "unexpected exit " + Kvm_h.exitReasonName(reason) + " (" + reason + ")\n"
                    + registersOrWhy());
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

    private VcpuExit nextIoElement() {
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

    /**
     * The Hyper-V hypercall page's OUT to {@link HypercallPage#TRAP_PORT}: completes the OUT in the
     * kernel (RIP moves past it), reads RCX (control), R11 (input, moved there from RDX by the page)
     * and R8 (output); {@link #completeRead} then writes RAX with KVM_SET_REGS.
     */
    private VcpuExit hypercallTrap() {
        ioRemaining = 0;
        needsReentry = true;
        try {
            completeInKernel();
            vcpu.getRegs(regs);
        } catch (KvmException e) {
            throw new BackendException("reading hypercall registers of vCPU " + index + " failed: " + e.getMessage(), e);
        }
        pending = PENDING_HYPERCALL;
        return new VcpuExit.Hypercall(kvm_regs.rcx(regs), kvm_regs.r11(regs), kvm_regs.r8(regs));
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
        return new VcpuExit.InternalError(suberror, sb.append('\n').append(registersOrWhy()).toString());
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

    @Override
    public void completeRead(long value) {
        switch (pending) {
            case PENDING_IO_IN, PENDING_MMIO_READ -> putLe(pendingOffset, pendingSize, value);
            case PENDING_MSR_READ -> {
                run.set(ValueLayout.JAVA_LONG, kvm_run.OFFSET_msr_data, value);
                run.set(ValueLayout.JAVA_BYTE, kvm_run.OFFSET_msr_error, (byte) 0);
            }
            case PENDING_HYPERCALL -> {
                kvm_regs.rax(regs, value);
                try {
                    vcpu.setRegs(regs);
                } catch (KvmException e) {
                    throw new BackendException("writing the hypercall result to vCPU " + index + " failed: " + e.getMessage(), e);
                }
            }
            default -> {
                // writes and other exits need no value
            }
        }
        pending = PENDING_NONE;
    }

    @Override
    public void failMsrAccess() {
        if (pending == PENDING_MSR_READ || pending == PENDING_MSR_WRITE) {
            run.set(ValueLayout.JAVA_BYTE, kvm_run.OFFSET_msr_error, (byte) 1);
        }
        pending = PENDING_NONE;
    }

    @Override
    public void kick() {
        vcpu.kick();
    }

    // ---------------------------------------------------------------- state

    /** Re-enters KVM with immediate_exit so the kernel completes the last exit without running the guest. */
    private void completeInKernel() {
        if (!needsReentry || ioRemaining > 0) {
            return;
        }
        vcpu.kick(); // same thread: only sets immediate_exit
        int r = vcpu.run();
        needsReentry = false;
        if (r != KvmVcpu.RUN_INTERRUPTED) {
            throw new BackendException("completing the last exit of vCPU " + index + " ran the guest (exit "
                    + Kvm_h.exitReasonName(r) + ")");
        }
    }

    private String registersOrWhy() {
        try {
            return readState().report();
        } catch (RuntimeException e) {
            return "(registers unavailable: " + e.getMessage() + ")";
        }
    }

    @Override
    public VpState getState() {
        try {
            completeInKernel();
            return readState();
        } catch (KvmException e) {
            throw new BackendException("reading the state of vCPU " + index + " failed: " + e.getMessage(), e);
        }
    }

    private VpState readState() {
        VpState.Builder b = VpState.builder();
        vcpu.getRegs(regs);
        KvmStateCodec.readRegs(regs, b);
        vcpu.getSregs(sregs);
        KvmStateCodec.readSregs(sregs, b);
        int[] indices = new int[msrSet.size()];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = msrSet.index(i);
        }
        long[] values = vcpu.getMsrs(indices);
        for (int i = 0; i < indices.length; i++) {
            b.msr(indices[i], values[i]);
        }
        vcpu.getXcrs(xcrs);
        long xcr0 = 1;
        int nr = Math.min(kvm_xcrs.nr_xcrs(xcrs), 16);
        for (int i = 0; i < nr; i++) {
            long at = kvm_xcrs.OFFSET_xcrs + 16L * i;
            if (xcrs.get(ValueLayout.JAVA_INT, at) == 0) {
                xcr0 = xcrs.get(ValueLayout.JAVA_LONG, at + 8);
            }
        }
        vcpu.getXsave(xsave);
        b.xsave(new XsaveArea(xsave.asSlice(0, kvm_xsave.sizeof()).toArray(ValueLayout.JAVA_BYTE), xcr0));
        vcpu.getLapic(lapic);
        b.lapic(new LapicState(lapic.asSlice(0, LapicState.SIZE).toArray(ValueLayout.JAVA_BYTE)));
        vcpu.getVcpuEvents(events);
        b.events(KvmStateCodec.readEvents(events));
        b.mpState(KvmStateCodec.fromKvmMpState(vcpu.getMpState()));
        return b.build();
    }

    /**
     * Writes {@code s} into the vCPU, in the order KVM needs: XCRs before XSAVE, sregs (mode) before
     * regs, then MSRs, LAPIC, MP state and events. MSRs this KVM does not save are skipped.
     */
    @Override
    public void setState(VpState s) {
        try {
            ioRemaining = 0;
            completeInKernel();
            pending = PENDING_NONE;
            if (s.xsave() != null) {
                XsaveArea x = s.xsave();
                xcrs.fill((byte) 0);
                kvm_xcrs.nr_xcrs(xcrs, 1);
                xcrs.set(ValueLayout.JAVA_INT, kvm_xcrs.OFFSET_xcrs, 0);
                xcrs.set(ValueLayout.JAVA_LONG, kvm_xcrs.OFFSET_xcrs + 8, x.xcr0());
                vcpu.setXcrs(xcrs);
                byte[] bytes = x.bytes();
                if (bytes.length > kvm_xsave.sizeof()) {
                    for (int i = (int) kvm_xsave.sizeof(); i < bytes.length; i++) {
                        if (bytes[i] != 0) {
                            throw new IllegalArgumentException("XSAVE area of " + bytes.length + " bytes has state beyond the "
                                    + kvm_xsave.sizeof() + " bytes KVM_SET_XSAVE takes");
                        }
                    }
                }
                xsave.fill((byte) 0);
                MemorySegment.copy(bytes, 0, xsave, ValueLayout.JAVA_BYTE, 0, (int) Math.min(bytes.length, kvm_xsave.sizeof()));
                vcpu.setXsave(xsave);
            }
            sregs.fill((byte) 0);
            KvmStateCodec.writeSregs(s, sregs);
            vcpu.setSregs(sregs);
            regs.fill((byte) 0);
            KvmStateCodec.writeRegs(s, regs);
            vcpu.setRegs(regs);
            writeMsrs(s.msrs());
            if (s.lapic() != null) {
                MemorySegment.copy(s.lapic().page(), 0, lapic, ValueLayout.JAVA_BYTE, 0, LapicState.SIZE);
                vcpu.setLapic(lapic);
            }
            vcpu.setMpState(KvmStateCodec.toKvmMpState(s.mpState()));
            events.fill((byte) 0);
            KvmStateCodec.writeEvents(s.events(), events);
            vcpu.setVcpuEvents(events);
        } catch (KvmException e) {
            throw new BackendException("setting the state of vCPU " + index + " failed: " + e.getMessage(), e);
        }
    }

    private void writeMsrs(Map<Integer, Long> msrs) {
        int n = 0;
        for (int index : msrs.keySet()) {
            if (msrSet.contains(index)) {
                n++;
            }
        }
        if (n == 0) {
            return;
        }
        int[] indices = new int[n];
        long[] values = new long[n];
        int i = 0;
        for (var e : msrs.entrySet()) {
            if (msrSet.contains(e.getKey())) {
                indices[i] = e.getKey();
                values[i++] = e.getValue();
            }
        }
        vcpu.setMsrs(indices, values);
    }

    @Override
    public void installCpuid(List<CpuidEntry> entries) {
        try {
            vcpu.setCpuid2(entries);
        } catch (KvmException e) {
            throw new BackendException("KVM_SET_CPUID2 on vCPU " + index + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            vcpu.close();
        } finally {
            scratch.close();
        }
    }
}

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
 * kvm_run mapping with a {@link KvmExitDecoder}; port-I/O data is read from and written to
 * kvm_run's data area in place, and a string/REP I/O exit with {@code count > 1} is handed out one
 * element per {@code run()} call without re-entering the kernel. Halt and Interrupted exits are
 * shared constants; an I/O or MMIO
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
    private final int index;
    private final KvmVcpu vcpu;
    private final KvmMsrSet msrSet;
    private final Arena scratch = Arena.ofConfined();
    private final MemorySegment regs = kvm_regs.allocate(scratch);
    private final MemorySegment sregs = kvm_sregs.allocate(scratch);
    private final MemorySegment events = kvm_vcpu_events.allocate(scratch);
    private final MemorySegment xcrs = kvm_xcrs.allocate(scratch);
    private final MemorySegment xsave = kvm_xsave.allocate(scratch);
    private final MemorySegment lapic = kvm_lapic_state.allocate(scratch);

    private final KvmExitDecoder exits;

    KvmVcpuBackend(int index, KvmVcpu vcpu, KvmMsrSet msrSet) {
        this.index = index;
        this.vcpu = vcpu;
        this.msrSet = msrSet;
        this.exits = new KvmExitDecoder(vcpu.kvmRun(), new KvmExitDecoder.Registers() {
            @Override
            public VcpuExit.Hypercall trappedHypercall() {
                return readHypercall();
            }

            @Override
            public String report() {
                return registersOrWhy();
            }
        });
    }

    @Override
    public int index() {
        return index;
    }

    // ---------------------------------------------------------------- run loop

    @Override
    public VcpuExit run() {
        if (exits.ioInProgress()) {
            return exits.nextIoElement();
        }
        exits.beforeRun();
        int reason;
        try {
            reason = vcpu.run();
        } catch (KvmException e) {
            throw new BackendException("KVM_RUN on vCPU " + index + " failed: " + e.getMessage(), e);
        }
        return exits.decode(reason);
    }

    /**
     * The Hyper-V hypercall page's OUT to {@link HypercallPage#TRAP_PORT}: completes the OUT in the
     * kernel (RIP moves past it), reads RCX (control), R11 (input, moved there from RDX by the page)
     * and R8 (output); {@link #completeRead} then writes RAX with KVM_SET_REGS.
     */
    private VcpuExit.Hypercall readHypercall() {
        try {
            completeInKernel();
            vcpu.getRegs(regs);
        } catch (KvmException e) {
            throw new BackendException("reading hypercall registers of vCPU " + index + " failed: " + e.getMessage(), e);
        }
        return new VcpuExit.Hypercall(kvm_regs.rcx(regs), kvm_regs.r11(regs), kvm_regs.r8(regs));
    }

    @Override
    public void completeRead(long value) {
        if (exits.completeRead(value)) {
            kvm_regs.rax(regs, value);
            try {
                vcpu.setRegs(regs);
            } catch (KvmException e) {
                throw new BackendException("writing the hypercall result to vCPU " + index + " failed: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void failMsrAccess() {
        exits.failMsrAccess();
    }

    @Override
    public void kick() {
        vcpu.kick();
    }

    // ---------------------------------------------------------------- state

    /** Re-enters KVM with immediate_exit so the kernel completes the last exit without running the guest. */
    private void completeInKernel() {
        if (!exits.needsReentry()) {
            return;
        }
        vcpu.kick(); // same thread: only sets immediate_exit
        int r = vcpu.run();
        exits.reentered();
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
            exits.abandon();
            completeInKernel();
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

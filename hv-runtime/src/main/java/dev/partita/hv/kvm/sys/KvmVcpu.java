package dev.partita.hv.kvm.sys;

import dev.partita.hv.cpuid.CpuidEntry;
import dev.partita.nativebindings.kvm.Kvm_h;
import dev.partita.nativebindings.kvm.kvm_fpu;
import dev.partita.nativebindings.kvm.kvm_guest_debug;
import dev.partita.nativebindings.kvm.kvm_interrupt;
import dev.partita.nativebindings.kvm.kvm_lapic_state;
import dev.partita.nativebindings.kvm.kvm_mp_state;
import dev.partita.nativebindings.kvm.kvm_msr_entry;
import dev.partita.nativebindings.kvm.kvm_msrs;
import dev.partita.nativebindings.kvm.kvm_regs;
import dev.partita.nativebindings.kvm.kvm_run;
import dev.partita.nativebindings.kvm.kvm_sregs;
import dev.partita.nativebindings.kvm.kvm_vcpu_events;
import dev.partita.nativebindings.kvm.kvm_xcrs;
import dev.partita.nativebindings.kvm.kvm_xsave;
import dev.partita.nativebindings.libc.Libc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.List;

/**
 * Owner of a KVM vCPU descriptor and of its mapped {@code kvm_run} area.
 *
 * <h2>Threading</h2>
 * One thread at a time runs the vCPU: {@link #run()} and the register accessors belong to the vCPU
 * thread (a platform thread). {@link #kick()} is the only method meant for other threads. The
 * {@link #kvmRun()} segment is shared with the kernel: read it on the vCPU thread between runs;
 * {@code kick()} writes only {@code immediate_exit}, with a volatile store.
 *
 * <h2>Kick</h2>
 * {@code kick()} stores 1 into {@code kvm_run.immediate_exit} and sends real-time signal 40
 * (SIGRTMIN+6, see {@link KickSignal}) to the thread that last called {@code run()}; that signal has a
 * do-nothing handler installed once per process without SA_RESTART. A KVM_RUN in progress (even
 * halted in the kernel) returns EINTR; a KVM_RUN not yet entered returns EINTR at once because of
 * {@code immediate_exit}. Either way {@code run()} returns {@link #RUN_INTERRUPTED} and clears
 * {@code immediate_exit}. Guarantee: after {@code kick()} starts, the run() call in progress or the
 * next one returns RUN_INTERRUPTED (check your mailbox then). The signal may also interrupt a
 * slow system call of the vCPU thread outside KVM_RUN with EINTR; the JDK retries those. The signal
 * goes to the kernel thread id recorded by the last run(); once the vCPU thread has ended, stop
 * kicking (close the vCPU), since a recycled thread id would receive a harmless but useless signal.
 *
 * <h2>State arguments</h2>
 * Methods named after a kernel struct take a caller-owned native segment of at least that struct's
 * size ({@code kvm_regs.allocate(arena)}), used only during the call. {@link #close()} unmaps
 * kvm_run and closes the descriptor exactly once; call it after the vCPU thread stopped running.
 */
public final class KvmVcpu implements AutoCloseable {
    /** {@link #run()} result when KVM_RUN returned EINTR (a kick or another signal). */
    public static final int RUN_INTERRUPTED = -1;
    /** The signal {@link #kick()} sends: real-time signal 40 (glibc SIGRTMIN+6). */
    public static final int KICK_SIGNAL = KickSignal.SIGNAL;

    private static final VarHandle BYTE = ValueLayout.JAVA_BYTE.varHandle();

    private final int id;
    private final OwnedFd fd;
    private final Arena runArena;
    private final MemorySegment run;
    private final int mmapSize;
    private volatile Thread runner;
    private volatile int runnerTid;

    private KvmVcpu(int id, int fd, Arena runArena, MemorySegment run, int mmapSize) {
        this.id = id;
        this.fd = new OwnedFd("KVM vCPU " + id, fd);
        this.runArena = runArena;
        this.run = run;
        this.mmapSize = mmapSize;
    }

    /** Maps kvm_run from a fresh vCPU descriptor; closes the descriptor if that fails. */
    @SuppressWarnings("restricted")
    static KvmVcpu map(int id, int vcpuFd, int mmapSize) {
        try {
            if (mmapSize < kvm_run.sizeof()) {
                throw new KvmException("KVM_GET_VCPU_MMAP_SIZE", "size " + mmapSize + " is smaller than kvm_run");
            }
            KickSignal.ensureInstalled();
            MemorySegment raw = Libc.mmap(MemorySegment.NULL, mmapSize, Libc.PROT_READ | Libc.PROT_WRITE,
                    Libc.MAP_SHARED, vcpuFd, 0);
            if (raw.address() == Libc.MAP_FAILED_ADDRESS) {
                throw new KvmException("mmap(kvm_run)", Libc.errno());
            }
            long address = raw.address();
            Arena arena = Arena.ofShared();
            MemorySegment run = raw.reinterpret(mmapSize, arena,
                    ignored -> Libc.munmap(MemorySegment.ofAddress(address), mmapSize));
            return new KvmVcpu(id, vcpuFd, arena, run, mmapSize);
        } catch (RuntimeException e) {
            Libc.close(vcpuFd);
            throw e;
        }
    }

    /** The vCPU id given to KVM_CREATE_VCPU. */
    public int id() {
        return id;
    }

    /** The raw descriptor (do not close it). */
    public int fd() {
        return fd.get();
    }

    /**
     * The mapped kvm_run area ({@code KVM_GET_VCPU_MMAP_SIZE} bytes, starting with {@code struct kvm_run};
     * read it with the {@link kvm_run} accessors). Invalid after {@link #close()}.
     */
    public MemorySegment kvmRun() {
        return run;
    }

    /** Size of the mapping behind {@link #kvmRun()}. */
    public int mmapSize() {
        return mmapSize;
    }

    /**
     * After a {@code KVM_EXIT_IO} exit: the data area, {@code io.size * io.count} bytes at
     * {@code io.data_offset} within the mapping (bounds-checked against the mapping).
     */
    public MemorySegment ioData() {
        long offset = kvm_run.io_data_offset(run);
        long length = (long) (kvm_run.io_size(run) & 0xFF) * Integer.toUnsignedLong(kvm_run.io_count(run));
        if (offset < kvm_run.sizeof() || length < 0 || offset + length > mmapSize) {
            throw new KvmException("KVM_EXIT_IO", "data at " + offset + "+" + length + " outside the " + mmapSize + "-byte kvm_run mapping");
        }
        return run.asSlice(offset, length);
    }

    /**
     * {@code KVM_RUN}: runs the guest until an exit. Returns {@code kvm_run.exit_reason}
     * ({@code Kvm_h.KVM_EXIT_*}) or {@link #RUN_INTERRUPTED} when the call returned EINTR (after a
     * {@link #kick()}); in that case {@code immediate_exit} has been cleared. Call from the vCPU thread.
     *
     * @throws KvmException         for any other failure
     * @throws IllegalStateException when called from a virtual thread (kicks target kernel threads)
     */
    public int run() {
        Thread current = Thread.currentThread();
        if (runner != current) {
            adoptRunner(current);
        }
        int rc = Libc.ioctlLong(fd.get(), Kvm_h.KVM_RUN, 0L);
        if (rc < 0) {
            int errno = Libc.errno();
            if (errno == Libc.EINTR) {
                BYTE.setVolatile(run, kvm_run.OFFSET_immediate_exit, (byte) 0);
                return RUN_INTERRUPTED;
            }
            throw new KvmException("KVM_RUN", errno);
        }
        return kvm_run.exit_reason(run);
    }

    private void adoptRunner(Thread current) {
        if (current.isVirtual()) {
            throw new IllegalStateException("KVM_RUN must be called from a platform thread, not " + current);
        }
        KickSignal.unblockInCurrentThread();
        runnerTid = Libc.gettid();
        runner = current;
    }

    /**
     * Makes the vCPU thread's current or next {@link #run()} return {@link #RUN_INTERRUPTED}. Safe from
     * any thread, including while the vCPU sits halted inside KVM_RUN; does nothing after close.
     */
    public void kick() {
        if (!fd.isOpen()) {
            return;
        }
        try {
            BYTE.setVolatile(run, kvm_run.OFFSET_immediate_exit, (byte) 1);
        } catch (IllegalStateException closed) {
            return;
        }
        int tid = runnerTid;
        if (tid != 0 && Thread.currentThread() != runner) {
            KickSignal.send(tid);
        }
    }

    // ---- register and state access (vCPU thread) ----

    /** {@code KVM_GET_REGS} into a {@code kvm_regs} segment. */
    public void getRegs(MemorySegment regs) {
        Sys.ioctl(fd.get(), Kvm_h.KVM_GET_REGS, Structs.require("KVM_GET_REGS", regs, kvm_regs.sizeof()));
    }

    /** {@code KVM_SET_REGS} from a {@code kvm_regs} segment. */
    public void setRegs(MemorySegment regs) {
        Sys.ioctl(fd.get(), Kvm_h.KVM_SET_REGS, Structs.require("KVM_SET_REGS", regs, kvm_regs.sizeof()));
    }

    /** {@code KVM_GET_SREGS} into a {@code kvm_sregs} segment. */
    public void getSregs(MemorySegment sregs) {
        Sys.ioctl(fd.get(), Kvm_h.KVM_GET_SREGS, Structs.require("KVM_GET_SREGS", sregs, kvm_sregs.sizeof()));
    }

    /** {@code KVM_SET_SREGS} from a {@code kvm_sregs} segment. */
    public void setSregs(MemorySegment sregs) {
        Sys.ioctl(fd.get(), Kvm_h.KVM_SET_SREGS, Structs.require("KVM_SET_SREGS", sregs, kvm_sregs.sizeof()));
    }

    /** {@code KVM_GET_FPU} into a {@code kvm_fpu} segment. */
    public void getFpu(MemorySegment fpu) {
        Sys.ioctl(fd.get(), Kvm_h.KVM_GET_FPU, Structs.require("KVM_GET_FPU", fpu, kvm_fpu.sizeof()));
    }

    /** {@code KVM_SET_FPU} from a {@code kvm_fpu} segment. */
    public void setFpu(MemorySegment fpu) {
        Sys.ioctl(fd.get(), Kvm_h.KVM_SET_FPU, Structs.require("KVM_SET_FPU", fpu, kvm_fpu.sizeof()));
    }

    /** {@code KVM_GET_XSAVE} into a {@code kvm_xsave} segment (4096 bytes). */
    public void getXsave(MemorySegment xsave) {
        Sys.ioctl(fd.get(), Kvm_h.KVM_GET_XSAVE, Structs.require("KVM_GET_XSAVE", xsave, kvm_xsave.sizeof()));
    }

    /** {@code KVM_SET_XSAVE} from a {@code kvm_xsave} segment. */
    public void setXsave(MemorySegment xsave) {
        Sys.ioctl(fd.get(), Kvm_h.KVM_SET_XSAVE, Structs.require("KVM_SET_XSAVE", xsave, kvm_xsave.sizeof()));
    }

    /** {@code KVM_GET_XCRS} into a {@code kvm_xcrs} segment. */
    public void getXcrs(MemorySegment xcrs) {
        Sys.ioctl(fd.get(), Kvm_h.KVM_GET_XCRS, Structs.require("KVM_GET_XCRS", xcrs, kvm_xcrs.sizeof()));
    }

    /** {@code KVM_SET_XCRS} from a {@code kvm_xcrs} segment. */
    public void setXcrs(MemorySegment xcrs) {
        Sys.ioctl(fd.get(), Kvm_h.KVM_SET_XCRS, Structs.require("KVM_SET_XCRS", xcrs, kvm_xcrs.sizeof()));
    }

    /** {@code KVM_GET_LAPIC} into a {@code kvm_lapic_state} segment (needs the in-kernel irqchip). */
    public void getLapic(MemorySegment lapic) {
        Sys.ioctl(fd.get(), Kvm_h.KVM_GET_LAPIC, Structs.require("KVM_GET_LAPIC", lapic, kvm_lapic_state.sizeof()));
    }

    /** {@code KVM_SET_LAPIC} from a {@code kvm_lapic_state} segment. */
    public void setLapic(MemorySegment lapic) {
        Sys.ioctl(fd.get(), Kvm_h.KVM_SET_LAPIC, Structs.require("KVM_SET_LAPIC", lapic, kvm_lapic_state.sizeof()));
    }

    /** {@code KVM_GET_VCPU_EVENTS} into a {@code kvm_vcpu_events} segment. */
    public void getVcpuEvents(MemorySegment events) {
        Sys.ioctl(fd.get(), Kvm_h.KVM_GET_VCPU_EVENTS, Structs.require("KVM_GET_VCPU_EVENTS", events, kvm_vcpu_events.sizeof()));
    }

    /** {@code KVM_SET_VCPU_EVENTS} from a {@code kvm_vcpu_events} segment. */
    public void setVcpuEvents(MemorySegment events) {
        Sys.ioctl(fd.get(), Kvm_h.KVM_SET_VCPU_EVENTS, Structs.require("KVM_SET_VCPU_EVENTS", events, kvm_vcpu_events.sizeof()));
    }

    /** {@code KVM_GET_MP_STATE}: a {@code KVM_MP_STATE_*} value. */
    public int getMpState() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = kvm_mp_state.allocate(arena);
            Sys.ioctl(fd.get(), Kvm_h.KVM_GET_MP_STATE, s);
            return kvm_mp_state.mp_state(s);
        }
    }

    /** {@code KVM_SET_MP_STATE}. */
    public void setMpState(int mpState) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = kvm_mp_state.allocate(arena);
            kvm_mp_state.mp_state(s, mpState);
            Sys.ioctl(fd.get(), Kvm_h.KVM_SET_MP_STATE, s);
        }
    }

    /**
     * {@code KVM_GET_MSRS} for {@code indices}; returns the values in the same order.
     *
     * @throws KvmException when the kernel could read only a prefix (names the first MSR it refused)
     */
    public long[] getMsrs(int... indices) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment msrs = msrBuffer(arena, indices);
            int done = Sys.ioctl(fd.get(), Kvm_h.KVM_GET_MSRS, msrs);
            if (done != indices.length) {
                throw new KvmException("KVM_GET_MSRS", "MSR 0x" + Integer.toHexString(indices[done]) + " not readable ("
                        + done + " of " + indices.length + " read)");
            }
            long[] values = new long[indices.length];
            for (int i = 0; i < values.length; i++) {
                values[i] = kvm_msr_entry.data(kvm_msrs.entries(msrs, i));
            }
            return values;
        }
    }

    /** {@code KVM_SET_MSRS}: writes {@code values[i]} to MSR {@code indices[i]}, all or an exception. */
    public void setMsrs(int[] indices, long[] values) {
        if (indices.length != values.length) {
            throw new IllegalArgumentException("KVM_SET_MSRS: " + indices.length + " indices but " + values.length + " values");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment msrs = msrBuffer(arena, indices);
            for (int i = 0; i < values.length; i++) {
                kvm_msr_entry.data(kvm_msrs.entries(msrs, i), values[i]);
            }
            int done = Sys.ioctl(fd.get(), Kvm_h.KVM_SET_MSRS, msrs);
            if (done != indices.length) {
                throw new KvmException("KVM_SET_MSRS", "MSR 0x" + Integer.toHexString(indices[done]) + " refused value 0x"
                        + Long.toHexString(values[done]) + " (" + done + " of " + indices.length + " written)");
            }
        }
    }

    private static MemorySegment msrBuffer(Arena arena, int[] indices) {
        MemorySegment msrs = arena.allocate(kvm_msrs.sizeof() + kvm_msr_entry.sizeof() * indices.length, 8);
        kvm_msrs.nmsrs(msrs, indices.length);
        for (int i = 0; i < indices.length; i++) {
            kvm_msr_entry.index(kvm_msrs.entries(msrs, i), indices[i]);
        }
        return msrs;
    }

    /** {@code KVM_SET_CPUID2}: the CPUID table the guest sees (before the first run). */
    public void setCpuid2(List<CpuidEntry> entries) {
        try (Arena arena = Arena.ofConfined()) {
            Sys.ioctl(fd.get(), Kvm_h.KVM_SET_CPUID2, CpuidCodec.encode(arena, entries));
        }
    }

    /** {@code KVM_GET_CPUID2}: the table set with {@link #setCpuid2} (as the kernel adjusted it). */
    public List<CpuidEntry> getCpuid2() {
        for (int n = 64; ; n *= 2) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment cpuid = CpuidCodec.allocate(arena, n);
                int rc = Libc.ioctlPtr(fd.get(), Kvm_h.KVM_GET_CPUID2, cpuid);
                if (rc >= 0) {
                    return CpuidCodec.decode(cpuid);
                }
                int errno = Libc.errno();
                if (errno != Libc.E2BIG || n >= 4096) {
                    throw new KvmException("KVM_GET_CPUID2", errno);
                }
            }
        }
    }

    /** {@code KVM_INTERRUPT}: queues external interrupt {@code vector} (only without an in-kernel irqchip). */
    public void interrupt(int vector) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = kvm_interrupt.allocate(arena);
            kvm_interrupt.irq(s, vector);
            Sys.ioctl(fd.get(), Kvm_h.KVM_INTERRUPT, s);
        }
    }

    /** {@code KVM_NMI}: queues an NMI. */
    public void nmi() {
        Sys.ioctl(fd.get(), Kvm_h.KVM_NMI, 0L);
    }

    /** {@code KVM_SET_GUEST_DEBUG} from a {@code kvm_guest_debug} segment. */
    public void setGuestDebug(MemorySegment guestDebug) {
        Sys.ioctl(fd.get(), Kvm_h.KVM_SET_GUEST_DEBUG, Structs.require("KVM_SET_GUEST_DEBUG", guestDebug, kvm_guest_debug.sizeof()));
    }

    /** {@code KVM_GET_TSC_KHZ}: the guest TSC frequency. */
    public int getTscKhz() {
        return Sys.ioctl(fd.get(), Kvm_h.KVM_GET_TSC_KHZ, 0L);
    }

    /** {@code KVM_SET_TSC_KHZ} (needs KVM_CAP_TSC_CONTROL). */
    public void setTscKhz(int khz) {
        Sys.ioctl(fd.get(), Kvm_h.KVM_SET_TSC_KHZ, Integer.toUnsignedLong(khz));
    }

    /** {@code KVM_ENABLE_CAP} on the vCPU with up to four arguments. */
    public int enableCap(int cap, long... args) {
        return EnableCap.call(fd.get(), cap, args);
    }

    /** Any other vCPU ioctl with a pointer argument, checked like the rest. */
    public int ioctl(long request, MemorySegment arg) {
        return Sys.ioctl(fd.get(), request, arg);
    }

    /** Unmaps kvm_run and closes the descriptor, once; later calls do nothing. */
    @Override
    public void close() {
        if (!fd.isOpen()) {
            return;
        }
        runnerTid = 0;
        try {
            runArena.close();
        } catch (IllegalStateException alreadyClosed) {
            // concurrent close: the arena's cleanup (munmap) still runs exactly once
        }
        fd.close();
    }
}

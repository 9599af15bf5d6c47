package dev.partita.emulator.backend;

import dev.partita.emulator.cpu.CpuException;
import dev.partita.emulator.cpu.CpuState;
import dev.partita.emulator.exec.Interpreter;
import dev.partita.emulator.mmu.Mmu;
import dev.partita.emulator.mmu.PhysicalMemory;
import dev.partita.emulator.system.EventKind;
import dev.partita.emulator.system.ExitReplay;
import dev.partita.emulator.system.ExitSignal;
import dev.partita.emulator.system.LocalInterruptController;
import dev.partita.emulator.system.SystemInstructions;
import dev.partita.emulator.system.SystemUnit;
import dev.partita.emulator.system.TscClock;
import dev.partita.hv.cpuid.CpuFeature;
import dev.partita.hv.cpuid.CpuidEntry;
import dev.partita.hv.exit.VcpuExit;
import dev.partita.hv.spi.BackendVcpu;
import dev.partita.hv.vp.PendingEvents;
import dev.partita.hv.vp.VpState;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * One emulated virtual processor: CPU state, MMU over the partition's RAM, the system unit and
 * the interpreter, and the run loop that turns guest activity into {@link VcpuExit}s.
 *
 * <p>The loop runs the interpreter in slices of {@link #SLICE} instructions; between slices (and
 * whenever an instruction asks for attention: STI, HLT, MOV SS, flag or mode changes) it checks
 * kicks, triple faults and pending interrupts. HLT with interrupts enabled waits here (parked)
 * until the interrupt controller wakes the vCPU or a kick arrives; HLT with IF=0 and nothing
 * pending returns {@link VcpuExit.Halt}.
 *
 * <p>Threading: as {@link BackendVcpu} says — everything on the vCPU thread except {@link #kick()}.
 */
final class EmulatorVcpu implements BackendVcpu {

    /** Instructions per slice between event checks. */
    static final long SLICE = 10_000;
    /** Longest single park while halted (the loop re-checks after it). */
    private static final long MAX_HALT_PARK_NANOS = 10_000_000L;

    private final int index;
    private final EmulatorPartition partition;
    private final CpuState cpu = new CpuState();
    private final PhysicalMemory memory;
    private final Mmu mmu;
    private final SystemUnit unit;
    private final Interpreter interpreter;
    private final MmioExits mmio;
    private final AtomicBoolean kicked = new AtomicBoolean();
    private final TlbShootdown shootdown;
    private volatile Thread runner;
    private CpuException pendingException;
    private int pendingInterrupt = -1;
    private boolean shutdownReported;
    /** An application processor after INIT (or creation) waiting for a startup IPI. */
    private boolean waitingForSipi;
    private final LocalInterruptController interrupts;

    EmulatorVcpu(int index, EmulatorPartition partition, PhysicalMemory memory, TscClock clock,
                 LocalInterruptController interrupts, dev.partita.emulator.system.InternalDevices devices) {
        this.index = index;
        this.partition = partition;
        this.memory = memory;
        this.mmu = new Mmu(cpu, memory);
        this.shootdown = new TlbShootdown(mmu::flushAll);
        this.unit = new SystemUnit(cpu, mmu, clock, interrupts);
        this.mmio = new MmioExits(unit.replay);
        memory.setMmioHandler(mmio);
        mmio.setDevices(devices);
        unit.setInternalDevices(devices);
        this.interpreter = new Interpreter(cpu, mmu, new SystemInstructions(unit));
        cpu.apicBase = index == 0 ? VpState.APIC_BASE_BSP_RESET : VpState.APIC_BASE_AP_RESET;
        this.interrupts = interrupts;
        interrupts.setWakeup(this::wake);
        VpStateCodec.write(VpState.builder().apicBase(cpu.apicBase).build(), cpu, unit.msrs);
        interrupts.apicBaseWritten(cpu.apicBase);
        if (index != 0) {
            interrupts.waitForStartup();
            waitingForSipi = true;
        }
        mmu.flushAll();
    }

    @Override
    public int index() {
        return index;
    }

    /** The system unit (tests, the platform). */
    SystemUnit unit() {
        return unit;
    }

    /** The physical layer of this vCPU. */
    PhysicalMemory physicalMemory() {
        return memory;
    }

    /** The CPU state (tests). */
    CpuState cpu() {
        return cpu;
    }

    private void wake() {
        interpreter.requestStop();
        Thread t = runner;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** Remote TLB flush requests for this vCPU. */
    TlbShootdown shootdown() {
        return shootdown;
    }

    /** Makes the vCPU reach an instruction boundary soon (and leave a halt park). Any thread. */
    void interruptSlice() {
        wake();
    }

    @Override
    public VcpuExit run() {
        runner = Thread.currentThread();
        shootdown.enter();
        try {
            return loop();
        } catch (ExitSignal s) {
            return unit.replay.pending();
        } catch (RuntimeException e) {
            if (e instanceof CpuException ce) {
                return new VcpuExit.InternalError(2, "unhandled " + ce.getMessage() + " at rip=" + Long.toHexString(cpu.rip));
            }
            return new VcpuExit.InternalError(1, "emulator failure: " + e + "\n" + cpu);
        } finally {
            shootdown.leave();
        }
    }

    private VcpuExit loop() {
        ExitReplay replay = unit.replay;
        if (replay.pending() != null) {
            if (replay.resume()) {
                unit.deliverException(CpuException.gp(0));
            } else {
                interpreter.run(1);
                replay.clear();
            }
        }
        if (pendingException != null) {
            CpuException e = pendingException;
            pendingException = null;
            unit.deliverException(e);
        }
        if (pendingInterrupt >= 0) {
            int v = pendingInterrupt;
            pendingInterrupt = -1;
            unit.delivery.deliver(v, CpuException.NO_ERROR_CODE, EventKind.EXTERNAL_INTERRUPT, cpu.rip, 0);
        }
        while (true) {
            if (unit.shutdownRequested()) {
                shutdownReported = true;
                return new VcpuExit.Shutdown(unit.delivery.shutdownReason());
            }
            if (kicked.getAndSet(false)) {
                return VcpuExit.Interrupted.INSTANCE;
            }
            mmu.syncSharedState();
            shootdown.apply();
            cpu.attention = false;
            if (interrupts.takeInit()) {
                initState();
                waitingForSipi = index != 0;
            }
            if (waitingForSipi) {
                int vector = interrupts.takeStartupVector();
                if (vector < 0) {
                    shootdown.leave();
                    LockSupport.parkNanos(this, MAX_HALT_PARK_NANOS);
                    shootdown.enter();
                    continue;
                }
                startAt(vector);
                waitingForSipi = false;
            }
            if (cpu.halted) {
                if (unit.serviceEvents()) {
                    continue;
                }
                if (!cpu.interruptsEnabled()) {
                    return VcpuExit.Halt.INSTANCE;
                }
                long wait = Math.min(MAX_HALT_PARK_NANOS, Math.max(1000, unit.interruptController().nanosToNextEvent()));
                shootdown.leave();
                LockSupport.parkNanos(this, wait);
                shootdown.enter();
                continue;
            }
            if (cpu.interruptShadow) {
                interpreter.run(1);
                cpu.interruptShadow = false;
                continue;
            }
            unit.serviceEvents();
            if ((cpu.rflagsSystem & dev.partita.emulator.cpu.ControlBits.RFlags.TF) != 0) {
                long before = unit.delivery.deliveryCount();
                long retired = interpreter.run(1);
                if (retired == 1 && unit.delivery.deliveryCount() == before && !cpu.interruptShadow) {
                    unit.singleStepTrap();
                }
                continue;
            }
            interpreter.run(SLICE);
        }
    }

    /** The INIT state (SDM vol. 3 table 9-1): like reset, keeping the APIC base; the BSP restarts at F000:FFF0. */
    private void initState() {
        long apicBase = cpu.apicBase;
        cpu.reset();
        cpu.apicBase = apicBase;
        unit.replay.clear();
        pendingException = null;
        pendingInterrupt = -1;
        mmu.flushAll();
    }

    /** Starts an application processor at the startup IPI's vector: real mode, CS = vector << 8, IP = 0. */
    private void startAt(int vector) {
        int sel = (vector & 0xFF) << 8;
        cpu.seg[dev.partita.emulator.cpu.SegReg.CS].load(sel, (long) sel << 4, 0xFFFF,
                dev.partita.emulator.cpu.Segment.ATTR_P | dev.partita.emulator.cpu.Segment.ATTR_S
                        | dev.partita.emulator.cpu.Segment.ATTR_CODE | dev.partita.emulator.cpu.Segment.ATTR_RW
                        | dev.partita.emulator.cpu.Segment.ATTR_ACCESSED);
        cpu.rip = 0;
        cpu.halted = false;
        cpu.updateMode();
        mmu.flushAll();
    }

    @Override
    public void completeRead(long value) {
        unit.replay.complete(value);
    }

    @Override
    public void failMsrAccess() {
        unit.replay.fail();
    }

    @Override
    public void installCpuid(List<CpuidEntry> entries) {
        unit.cpuid.install(entries);
        interrupts.setTscDeadlineAdvertised(CpuFeature.TSC_DEADLINE_TIMER.isSetIn(unit.cpuid.lookup(1, 0)));
        int eax = unit.cpuid.lookup(0x8000_0000, 0).eax();
        if (Integer.compareUnsigned(eax, 0x8000_0008) >= 0) {
            int bits = unit.cpuid.lookup(0x8000_0008, 0).eax() & 0xFF;
            if (bits >= 32 && bits <= 52) {
                mmu.walker().setPhysAddrBits(bits);
            }
        }
    }

    @Override
    public VpState getState() {
        int tpr = interrupts.taskPriorityClass();
        if (tpr >= 0) {
            cpu.cr8 = tpr;
        }
        dev.partita.hv.vp.LapicState page = interrupts.toLapicState();
        VpState s = VpStateCodec.read(cpu, unit.msrs, page != null ? page : VpStateCodec.emptyLapic());
        if (waitingForSipi) {
            s = s.toBuilder().mpState(interrupts.mpState() == dev.partita.hv.vp.MpState.SIPI_RECEIVED
                    ? dev.partita.hv.vp.MpState.SIPI_RECEIVED : dev.partita.hv.vp.MpState.INIT_RECEIVED).build();
        }
        return s;
    }

    @Override
    public void setState(VpState state) {
        VpStateCodec.write(state, cpu, unit.msrs);
        interrupts.apicBaseWritten(cpu.apicBase);
        if (state.lapic() != null) {
            interrupts.loadLapicState(state.lapic());
        } else {
            interrupts.setTaskPriority((int) cpu.cr8 & 0xF);
        }
        waitingForSipi = state.mpState() == dev.partita.hv.vp.MpState.INIT_RECEIVED
                || state.mpState() == dev.partita.hv.vp.MpState.SIPI_RECEIVED;
        if (waitingForSipi) {
            interrupts.waitForStartup();
            if (state.mpState() == dev.partita.hv.vp.MpState.SIPI_RECEIVED) {
                waitingForSipi = false;
                startAt(state.events().sipiVector());
            }
        }
        PendingEvents ev = state.events();
        pendingException = null;
        pendingInterrupt = -1;
        if (ev.exceptionInjected() || ev.exceptionPending()) {
            pendingException = ev.exceptionHasErrorCode()
                    ? CpuException.withCode(ev.exceptionVector(), ev.exceptionErrorCode())
                    : CpuException.of(ev.exceptionVector());
        } else if (ev.interruptInjected() && !ev.interruptSoft()) {
            pendingInterrupt = ev.interruptVector();
        }
        unit.replay.clear();
        unit.delivery.clearShutdown();
        shutdownReported = false;
        mmu.flushAll();
    }

    @Override
    public void kick() {
        kicked.set(true);
        wake();
    }

    @Override
    public void close() {
        runner = null;
        memory.leaveCodePages();
    }
}

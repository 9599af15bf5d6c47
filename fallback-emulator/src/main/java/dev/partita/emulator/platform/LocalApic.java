package dev.partita.emulator.platform;

import dev.partita.emulator.cpu.CpuException;
import dev.partita.emulator.system.LocalInterruptController;
import dev.partita.emulator.system.TscClock;
import dev.partita.hv.vp.LapicState;
import dev.partita.hv.vp.MpState;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One vCPU's local APIC: xAPIC registers (MMIO page at the APIC base, 0xFEE00000 after reset) and
 * x2APIC MSRs 0x800-0x8FF, TPR/PPR, EOI (a level-triggered vector's EOI is broadcast to the I/O
 * APIC), LDR/DFR, SVR, 256-bit IRR/ISR/TMR, ESR, ICR (fixed, lowest priority, NMI, INIT, startup;
 * shorthands; physical and logical destinations), the LVT timer (one-shot, periodic and
 * TSC-deadline through IA32_TSC_DEADLINE when enabled), LINT0 as ExtINT for the 8259 (the boot
 * processor's reset state, as KVM sets it) and the error LVT. Version 0x14 with six LVT entries; the
 * timer counts a 1 GHz bus clock.
 *
 * <p>INIT and startup IPIs change the processor's run state; the vCPU's run loop collects them
 * with {@link #takeInit()} and {@link #takeStartupVector()} (see {@link #mpState()}).
 *
 * <p>Why one class: all of this state is guarded by one monitor, and the parts are coupled
 * through the interrupt priority logic (IRR, ISR and TPR decide what PPR is, what EOI clears and
 * what is delivered next, for timer, LINT0, IPIs and external vectors alike) and through one
 * register switch shared by MMIO, x2APIC MSRs and the saved register page. Splitting it would mean
 * sharing the lock and that switch across classes.
 *
 * <p>Threading: the {@link LocalInterruptController} methods, MMIO and MSR accesses run on the
 * vCPU thread; {@link #accept} (interrupts from the I/O APIC, MSIs and other vCPUs' IPIs) runs on
 * any thread. All state is guarded by this object's monitor; the wake-up callback runs after the
 * state change is published (monitor release). This lock is never held while calling the
 * {@link ApicHost} (whose device lock comes first in the lock order).
 */
public final class LocalApic implements LocalInterruptController {

    /** Saved state for checkpoints (the register page plus what it cannot hold). */
    public record State(int id, int tpr, int ldr, int dfr, int svr, int[] irr, int[] isr, int[] tmr, int esr,
                        int pendingEsr, int icrLow, int icrHigh, int[] lvt, ApicTimer.State timer, long apicBase,
                        boolean nmiPending, boolean extIntPending, boolean initPending, boolean waitingForSipi,
                        int sipiVector) {
    }

    private static final long APIC_BASE_ENABLE = 1L << 11;
    private static final long APIC_BASE_X2APIC = 1L << 10;
    private static final long APIC_BASE_BSP = 1L << 8;
    private static final int SVR_ENABLE = 1 << 8;

    private static final int ESR_SEND_ILLEGAL_VECTOR = 1 << 5;
    private static final int ESR_RECEIVE_ILLEGAL_VECTOR = 1 << 6;
    private static final int ESR_ILLEGAL_REGISTER = 1 << 7;

    private final int index;
    private final ApicHost host;
    private final PlatformClock clock;
    private volatile boolean tscDeadlineSupported;
    private final ApicTimer timer;
    private volatile Runnable wakeup = () -> { };

    // Guarded by this. The fields read by destination matching are volatile so that senders on
    // other threads need no lock to decide who receives a message.
    private volatile int id;
    private volatile int ldr;
    private volatile int dfr = 0xFFFF_FFFF;
    private volatile long apicBase;
    private int tpr;
    private int svr = 0xFF;
    private final VectorBitmap irr = new VectorBitmap();
    private final VectorBitmap isr = new VectorBitmap();
    private final VectorBitmap tmr = new VectorBitmap();
    private int esr;
    private int pendingEsr;
    private int icrLow;
    private int icrHigh;
    private final int[] lvt = new int[LapicRegister.LVT_COUNT];
    private boolean nmiPending;
    private volatile boolean extIntPending;
    private boolean initPending;
    private boolean waitingForSipi;
    private int sipiVector = -1;

    /**
     * @param index      the vCPU index; also the initial APIC ID
     * @param apicBase   IA32_APIC_BASE after reset (decides BSP and enable)
     * @param tsc        the partition's TSC (for IA32_TSC_DEADLINE)
     * @param tscDeadlineSupported whether TSC-deadline mode exists (CPUID.1:ECX[24] advertised)
     */
    LocalApic(int index, long apicBase, ApicHost host, PlatformClock clock, TscClock tsc, boolean tscDeadlineSupported) {
        this.index = index;
        this.host = host;
        this.clock = clock;
        this.tscDeadlineSupported = tscDeadlineSupported;
        this.timer = new ApicTimer(clock, tsc);
        this.apicBase = apicBase;
        this.id = index;
        resetRegisters();
    }

    /** Power-up/INIT register values; keeps the ID and the APIC base. Caller holds the lock (or constructs). */
    private void resetRegisters() {
        tpr = 0;
        ldr = 0;
        dfr = 0xFFFF_FFFF;
        svr = 0xFF;
        irr.clearAll();
        isr.clearAll();
        tmr.clearAll();
        esr = 0;
        pendingEsr = 0;
        icrLow = 0;
        icrHigh = 0;
        for (int i = 0; i < lvt.length; i++) {
            lvt[i] = LapicRegister.LVT_MASKED;
        }
        if (isBsp()) {
            lvt[3] = ApicDelivery.EXTINT << 8; // LINT0: virtual wire to the 8259, unmasked (PC BIOS / KVM reset state)
        }
        timer.reset();
        nmiPending = false;
        extIntPending = false;
    }

    /**
     * Whether IA32_TSC_DEADLINE and the LVT timer's TSC-deadline mode exist: follows CPUID.1:ECX[24]
     * of the table installed in the vCPU (called when the CPUID table is installed). vCPU thread.
     */
    @Override
    public void setTscDeadlineAdvertised(boolean advertised) {
        tscDeadlineSupported = advertised;
    }

    /** The vCPU index this APIC belongs to. */
    public int index() {
        return index;
    }

    private boolean isBsp() {
        return (apicBase & APIC_BASE_BSP) != 0;
    }

    private boolean hardwareEnabled() {
        return (apicBase & APIC_BASE_ENABLE) != 0;
    }

    /** Whether the APIC is in x2APIC mode (IA32_APIC_BASE EXTD and EN). */
    public boolean x2apicMode() {
        long b = apicBase;
        return (b & (APIC_BASE_ENABLE | APIC_BASE_X2APIC)) == (APIC_BASE_ENABLE | APIC_BASE_X2APIC);
    }

    private boolean softwareEnabled() {
        return (svr & SVR_ENABLE) != 0;
    }

    /** The guest-physical base of the xAPIC page, or -1 when the page is not decoded (disabled or x2APIC). */
    public long mmioBase() {
        long b = apicBase;
        if ((b & APIC_BASE_ENABLE) == 0 || (b & APIC_BASE_X2APIC) != 0) {
            return -1;
        }
        return b & 0x000F_FFFF_FFFF_F000L;
    }

    // ------------------------------------------------------------------ receiving (any thread)

    /** Whether this APIC is a target of a message addressed to {@code destination}. Lock-free. */
    boolean matches(boolean logical, int destination) {
        if (!hardwareEnabled()) {
            return false;
        }
        if (x2apicMode()) {
            if (destination == 0xFFFF_FFFF) {
                return true;
            }
            if (!logical) {
                return destination == id;
            }
            int l = ldr;
            return (destination >>> 16) == (l >>> 16) && (destination & l & 0xFFFF) != 0;
        }
        int d = destination & 0xFF;
        if (d == 0xFF) {
            return true;
        }
        if (!logical) {
            return d == (id & 0xFF);
        }
        int logicalId = ldr >>> 24;
        if ((dfr >>> 28) == 0xF) {
            return (logicalId & d) != 0; // flat model
        }
        return (d >>> 4) == (logicalId >>> 4) && (d & logicalId & 0xF) != 0; // cluster model
    }

    /** The arbitration priority used by lowest-priority delivery (the PPR). */
    synchronized int arbitrationPriority() {
        return ppr();
    }

    /** Accepts a message from the APIC bus (I/O APIC, MSI, IPI). Any thread. */
    void accept(int mode, int vector, boolean levelTriggered) {
        boolean wake;
        synchronized (this) {
            wake = acceptLocked(mode, vector, levelTriggered);
        }
        if (wake) {
            wakeup.run();
        }
    }

    private boolean acceptLocked(int mode, int vector, boolean levelTriggered) {
        switch (mode) {
            case ApicDelivery.FIXED, ApicDelivery.LOWEST_PRIORITY -> {
                if (!softwareEnabled()) {
                    return false;
                }
                if (vector < 16) {
                    return raiseError(ESR_RECEIVE_ILLEGAL_VECTOR);
                }
                irr.set(vector);
                if (levelTriggered) {
                    tmr.set(vector);
                } else {
                    tmr.clear(vector);
                }
                return true;
            }
            case ApicDelivery.NMI -> {
                nmiPending = true;
                return true;
            }
            case ApicDelivery.INIT -> {
                resetRegisters();
                initPending = true;
                sipiVector = -1;
                return true;
            }
            case ApicDelivery.STARTUP -> {
                if (waitingForSipi && sipiVector < 0) {
                    sipiVector = vector;
                    return true;
                }
                return false;
            }
            case ApicDelivery.EXTINT -> {
                extIntPending = true;
                return true;
            }
            default -> {
                return false; // SMI and reserved modes: not emulated
            }
        }
    }

    /** Records an error in the pending ESR bits and raises the error LVT; returns whether the vCPU must look. */
    private boolean raiseError(int bit) {
        pendingEsr |= bit;
        return fireLvt(5);
    }

    /** Raises the interrupt an LVT entry describes (unless masked); returns whether something became pending. */
    private boolean fireLvt(int slot) {
        int entry = lvt[slot];
        if ((entry & LapicRegister.LVT_MASKED) != 0) {
            return false;
        }
        int mode = slot == 0 || slot == 5 ? ApicDelivery.FIXED : (entry >>> 8) & 7;
        int vector = entry & 0xFF;
        return switch (mode) {
            case ApicDelivery.FIXED -> {
                if (!softwareEnabled() || vector < 16) {
                    yield false;
                }
                irr.set(vector);
                tmr.clear(vector);
                yield true;
            }
            case ApicDelivery.NMI -> {
                nmiPending = true;
                yield true;
            }
            case ApicDelivery.EXTINT -> {
                extIntPending = true;
                yield true;
            }
            default -> false;
        };
    }

    /** The 8259's output went high: wakes this vCPU if it takes PIC interrupts. Any thread. */
    void wakeIfPicAccepted() {
        boolean wake;
        synchronized (this) {
            wake = acceptsPic();
        }
        if (wake) {
            wakeup.run();
        }
    }

    // ------------------------------------------------------------------ priorities

    private int ppr() {
        int isrv = isr.highest();
        int isrClass = isrv < 0 ? 0 : isrv & 0xF0;
        return (tpr & 0xF0) >= isrClass ? tpr & 0xFF : isrClass;
    }

    /** The highest IRR vector that outranks the PPR, or -1. Caller holds the lock. */
    private int deliverableVector() {
        int v = irr.highest();
        if (v < 0 || (v & 0xF0) <= (ppr() & 0xF0)) {
            return -1;
        }
        return v;
    }

    /** Whether the 8259 may interrupt through this APIC: LINT0 unmasked ExtINT, or the APIC hardware-disabled. */
    private boolean acceptsPic() {
        if (!hardwareEnabled()) {
            return isBsp();
        }
        int lint0 = lvt[3];
        return (lint0 & LapicRegister.LVT_MASKED) == 0 && ((lint0 >>> 8) & 7) == ApicDelivery.EXTINT;
    }

    // ------------------------------------------------------------------ LocalInterruptController (vCPU thread)

    /** Fires this APIC's timer if due. Must not hold the lock while waking (it does not need to: own thread). */
    private void pollTimers() {
        host.pollSharedTimers();
        long now = clock.nanoTime();
        synchronized (this) {
            if (timer.expire(now)) {
                fireLvt(0);
            }
        }
    }

    @Override
    public boolean hasInterrupt() {
        pollTimers();
        synchronized (this) {
            if (extIntPending || (acceptsPic() && host.picOutput())) {
                return true;
            }
            return hardwareEnabled() && deliverableVector() >= 0;
        }
    }

    @Override
    public int acknowledgeInterrupt() {
        boolean fromPic;
        synchronized (this) {
            fromPic = extIntPending || (acceptsPic() && host.picOutput());
            extIntPending = false;
            if (!fromPic) {
                if (!hardwareEnabled()) {
                    return -1;
                }
                int v = deliverableVector();
                if (v < 0) {
                    return -1;
                }
                irr.clear(v);
                isr.set(v);
                return v;
            }
        }
        return host.acknowledgePic();
    }

    @Override
    public boolean takeNmi() {
        synchronized (this) {
            if (!nmiPending) {
                return false;
            }
            nmiPending = false;
            return true;
        }
    }

    @Override
    public void setWakeup(Runnable wakeup) {
        this.wakeup = wakeup == null ? () -> { } : wakeup;
    }

    @Override
    public long nanosToNextEvent() {
        long now = clock.nanoTime();
        long own;
        synchronized (this) {
            long d = timer.deadline();
            own = d == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(0, d - now);
        }
        return Math.min(own, host.nanosToSharedEvent());
    }

    @Override
    public boolean claimsMsr(int msr) {
        return (msr >= LapicRegister.MSR_X2APIC_FIRST && msr <= LapicRegister.MSR_X2APIC_LAST)
                || (msr == LapicRegister.MSR_TSC_DEADLINE && tscDeadlineSupported);
    }

    @Override
    public long readMsr(int msr) {
        if (msr == LapicRegister.MSR_TSC_DEADLINE) {
            synchronized (this) {
                return timer.tscDeadline();
            }
        }
        if (!x2apicMode()) {
            throw CpuException.gp(0);
        }
        int offset = (msr - LapicRegister.MSR_X2APIC_FIRST) << 4;
        if (offset == LapicRegister.ICR_LOW) {
            synchronized (this) {
                return (icrHigh & 0xFFFF_FFFFL) << 32 | (icrLow & 0xFFFF_FFFFL);
            }
        }
        if (offset == LapicRegister.DFR || offset == LapicRegister.ICR_HIGH || offset == LapicRegister.EOI
                || offset == LapicRegister.SELF_IPI || !readable(offset)) {
            throw CpuException.gp(0);
        }
        return read(offset) & 0xFFFF_FFFFL;
    }

    @Override
    public void writeMsr(int msr, long value) {
        if (msr == LapicRegister.MSR_TSC_DEADLINE) {
            synchronized (this) {
                timer.setTscDeadline(value);
            }
            return;
        }
        if (!x2apicMode()) {
            throw CpuException.gp(0);
        }
        int offset = (msr - LapicRegister.MSR_X2APIC_FIRST) << 4;
        switch (offset) {
            case LapicRegister.ICR_LOW -> {
                synchronized (this) {
                    icrHigh = (int) (value >>> 32);
                }
                writeRegister(LapicRegister.ICR_LOW, (int) value);
            }
            case LapicRegister.SELF_IPI -> {
                if ((value >>> 8) != 0) {
                    throw CpuException.gp(0);
                }
                accept(ApicDelivery.FIXED, (int) value & 0xFF, false);
            }
            case LapicRegister.EOI, LapicRegister.TPR, LapicRegister.SVR, LapicRegister.ESR, LapicRegister.LVT_TIMER,
                 LapicRegister.LVT_THERMAL, LapicRegister.LVT_PERF, LapicRegister.LVT_LINT0,
                 LapicRegister.LVT_LINT1, LapicRegister.LVT_ERROR, LapicRegister.TIMER_INITIAL,
                 LapicRegister.TIMER_DIVIDE -> {
                if ((value >>> 32) != 0 || (offset == LapicRegister.EOI && value != 0)
                        || (offset == LapicRegister.ESR && value != 0)) {
                    throw CpuException.gp(0);
                }
                writeRegister(offset, (int) value);
            }
            default -> throw CpuException.gp(0); // read-only or reserved in x2APIC mode
        }
    }

    @Override
    public void setTaskPriority(int priorityClass) {
        writeRegister(LapicRegister.TPR, (priorityClass & 0xF) << 4);
    }

    /** The task-priority class (TPR bits 7:4), what a CR8 read returns. */
    public synchronized int taskPriorityClass() {
        return (tpr >>> 4) & 0xF;
    }

    @Override
    public void apicBaseWritten(long value) {
        synchronized (this) {
            boolean wasEnabled = hardwareEnabled();
            boolean wasX2 = x2apicMode();
            apicBase = value;
            if (wasEnabled && !hardwareEnabled()) {
                resetRegisters(); // hardware disable: power-up state, software-disabled
            }
            if (!wasX2 && x2apicMode()) {
                id = index;
                ldr = ((index >>> 4) << 16) | (1 << (index & 0xF));
            }
        }
    }

    // ------------------------------------------------------------------ INIT / startup (vCPU thread)

    /**
     * Returns true, once, after an INIT IPI: the vCPU must reset itself to the INIT state (real
     * mode at F000:FFF0 for the boot processor; application processors then wait for a startup
     * IPI, see {@link #takeStartupVector()}). The APIC's own registers are already reset.
     */
    public boolean takeInit() {
        synchronized (this) {
            if (!initPending) {
                return false;
            }
            initPending = false;
            waitingForSipi = !isBsp();
            return true;
        }
    }

    /**
     * While waiting for a startup IPI: returns its vector, once (the vCPU starts in real mode at
     * CS = vector << 8, IP = 0), or -1 while none has arrived.
     */
    public int takeStartupVector() {
        synchronized (this) {
            if (!waitingForSipi || sipiVector < 0) {
                return -1;
            }
            int v = sipiVector;
            sipiVector = -1;
            waitingForSipi = false;
            return v;
        }
    }

    /** Puts an application processor in the wait-for-SIPI state (how APs start before the BSP wakes them). */
    public synchronized void waitForStartup() {
        waitingForSipi = true;
        sipiVector = -1;
    }

    /** The run state this APIC implies: INIT received (waiting for SIPI), SIPI received, or RUNNABLE. */
    public synchronized MpState mpState() {
        if (initPending || (waitingForSipi && sipiVector < 0)) {
            return MpState.INIT_RECEIVED;
        }
        if (waitingForSipi) {
            return MpState.SIPI_RECEIVED;
        }
        return MpState.RUNNABLE;
    }

    // ------------------------------------------------------------------ registers

    private static boolean readable(int offset) {
        return switch (offset) {
            case LapicRegister.ID, LapicRegister.VERSION, LapicRegister.TPR, LapicRegister.PPR, LapicRegister.LDR,
                 LapicRegister.DFR, LapicRegister.SVR, LapicRegister.ESR, LapicRegister.ICR_LOW,
                 LapicRegister.ICR_HIGH, LapicRegister.TIMER_INITIAL, LapicRegister.TIMER_CURRENT,
                 LapicRegister.TIMER_DIVIDE, LapicRegister.APR -> true;
            default -> (offset >= LapicRegister.ISR0 && offset < LapicRegister.ESR)
                    || LapicRegister.lvtSlot(offset) >= 0;
        };
    }

    /** Reads the 32-bit register at page offset {@code offset} (a multiple of 16); unknown registers read 0. */
    int read(int offset) {
        if (offset == LapicRegister.TIMER_CURRENT || offset == LapicRegister.IRR0
                || (offset > LapicRegister.IRR0 && offset < LapicRegister.ESR)) {
            pollTimers();
        }
        synchronized (this) {
            return registerValue(offset, x2apicMode());
        }
    }

    /**
     * The 32-bit register at page offset {@code offset}; unknown registers read 0. The ID register is
     * in x2APIC form (the bare id) when {@code x2apicId}, else in xAPIC form (id in bits 24-31).
     * Caller holds this object's lock.
     */
    private int registerValue(int offset, boolean x2apicId) {
        return switch (offset) {
            case LapicRegister.ID -> x2apicId ? id : id << 24;
            case LapicRegister.VERSION -> LapicRegister.VERSION_VALUE;
            case LapicRegister.TPR -> tpr;
            case LapicRegister.APR -> 0;
            case LapicRegister.PPR -> ppr();
            case LapicRegister.LDR -> ldr;
            case LapicRegister.DFR -> dfr;
            case LapicRegister.SVR -> svr;
            case LapicRegister.ESR -> esr;
            case LapicRegister.ICR_LOW -> icrLow;
            case LapicRegister.ICR_HIGH -> icrHigh;
            case LapicRegister.TIMER_INITIAL -> timer.initialCount();
            case LapicRegister.TIMER_CURRENT -> timer.currentCount();
            case LapicRegister.TIMER_DIVIDE -> timer.divideConfig();
            default -> {
                if (offset >= LapicRegister.ISR0 && offset < LapicRegister.TMR0) {
                    yield isr.word((offset - LapicRegister.ISR0) >>> 4);
                }
                if (offset >= LapicRegister.TMR0 && offset < LapicRegister.IRR0) {
                    yield tmr.word((offset - LapicRegister.TMR0) >>> 4);
                }
                if (offset >= LapicRegister.IRR0 && offset < LapicRegister.ESR) {
                    yield irr.word((offset - LapicRegister.IRR0) >>> 4);
                }
                int slot = LapicRegister.lvtSlot(offset);
                yield slot >= 0 ? lvt[slot] : 0;
            }
        };
    }

    /** Writes the 32-bit register at page offset {@code offset}; read-only and unknown registers ignore writes. */
    void writeRegister(int offset, int value) {
        int eoiVector = -1;
        ApicDelivery.Message ipi = null;
        int shorthand = 0;
        boolean wake = false;
        synchronized (this) {
            switch (offset) {
                case LapicRegister.ID -> {
                    if (!x2apicMode()) {
                        id = value >>> 24;
                    }
                }
                case LapicRegister.TPR -> {
                    tpr = value & 0xFF;
                    wake = deliverableVector() >= 0;
                }
                case LapicRegister.EOI -> {
                    int v = isr.highest();
                    if (v >= 0) {
                        isr.clear(v);
                        if (tmr.test(v)) {
                            eoiVector = v;
                        }
                        wake = deliverableVector() >= 0;
                    }
                }
                case LapicRegister.LDR -> {
                    if (!x2apicMode()) {
                        ldr = value & 0xFF00_0000;
                    }
                }
                case LapicRegister.DFR -> {
                    if (!x2apicMode()) {
                        dfr = value | 0x0FFF_FFFF;
                    }
                }
                case LapicRegister.SVR -> {
                    svr = value & 0x3FF;
                    if (!softwareEnabled()) {
                        for (int i = 0; i < lvt.length; i++) {
                            lvt[i] |= LapicRegister.LVT_MASKED;
                        }
                    }
                }
                case LapicRegister.ESR -> {
                    esr = pendingEsr;
                    pendingEsr = 0;
                }
                case LapicRegister.ICR_LOW -> {
                    icrLow = value & ~(1 << 12);
                    int mode = (value >>> 8) & 7;
                    int vector = value & 0xFF;
                    boolean assert_ = (value & (1 << 14)) != 0;
                    boolean level = (value & (1 << 15)) != 0;
                    shorthand = (value >>> 18) & 3;
                    int dest = x2apicMode() ? icrHigh : icrHigh >>> 24;
                    if (mode == ApicDelivery.INIT && level && !assert_) {
                        break; // INIT level de-assert: no effect on modern processors
                    }
                    if ((mode == ApicDelivery.FIXED || mode == ApicDelivery.LOWEST_PRIORITY) && vector < 16) {
                        wake = raiseError(ESR_SEND_ILLEGAL_VECTOR);
                        break;
                    }
                    ipi = new ApicDelivery.Message(mode, vector, (value & (1 << 11)) != 0, dest, false);
                }
                case LapicRegister.ICR_HIGH -> {
                    if (!x2apicMode()) {
                        icrHigh = value & 0xFF00_0000;
                    }
                }
                case LapicRegister.TIMER_INITIAL -> timer.setInitialCount(value);
                case LapicRegister.TIMER_DIVIDE -> timer.setDivideConfig(value);
                default -> {
                    int slot = LapicRegister.lvtSlot(offset);
                    if (slot >= 0) {
                        int v = value & LapicRegister.lvtWritable(slot, tscDeadlineSupported);
                        if (!softwareEnabled()) {
                            v |= LapicRegister.LVT_MASKED;
                        }
                        lvt[slot] = v | (lvt[slot] & ~LapicRegister.lvtWritable(slot, tscDeadlineSupported)
                                & ~(1 << 12) & ~(1 << 14));
                        if (slot == 0) {
                            timer.setMode((v >>> 17) & 3);
                        }
                        if (slot == 3) {
                            wake = acceptsPic() && host.picOutput();
                        }
                    }
                }
            }
        }
        if (eoiVector >= 0) {
            host.broadcastEoi(eoiVector);
        }
        if (ipi != null) {
            host.sendIpi(this, ipi, shorthand);
        }
        if (wake) {
            wakeup.run();
        }
    }

    // ------------------------------------------------------------------ MMIO (vCPU thread)

    /** MMIO read of {@code size} bytes at page offset {@code offset} (0-0xFFF). */
    public long readMmio(int offset, int size) {
        int reg = offset & 0xFF0;
        int within = offset & 0xF;
        if (within + size > 4) {
            return 0;
        }
        long v = read(reg) & 0xFFFF_FFFFL;
        v >>>= within * 8;
        return size >= 4 ? v : v & ((1L << (size * 8)) - 1);
    }

    /** MMIO write at page offset {@code offset}: only aligned 32-bit (or wider, low half used) writes have effect. */
    public void writeMmio(int offset, int size, long value) {
        if ((offset & 0xF) != 0 || size < 4) {
            return;
        }
        writeRegister(offset & 0xFF0, (int) value);
    }

    // ------------------------------------------------------------------ checkpoints

    public synchronized State save() {
        return new State(id, tpr, ldr, dfr, svr, irr.toArray(), isr.toArray(), tmr.toArray(), esr, pendingEsr,
                icrLow, icrHigh, lvt.clone(), timer.save(), apicBase, nmiPending, extIntPending, initPending,
                waitingForSipi, sipiVector);
    }

    public void restore(State s) {
        if (s.lvt().length != LapicRegister.LVT_COUNT) {
            throw new IllegalArgumentException("local APIC restore: " + s.lvt().length + " LVT entries, expected "
                    + LapicRegister.LVT_COUNT);
        }
        synchronized (this) {
            id = s.id();
            tpr = s.tpr() & 0xFF;
            ldr = s.ldr();
            dfr = s.dfr();
            svr = s.svr() & 0x3FF;
            irr.load(s.irr());
            isr.load(s.isr());
            tmr.load(s.tmr());
            esr = s.esr();
            pendingEsr = s.pendingEsr();
            icrLow = s.icrLow();
            icrHigh = s.icrHigh();
            System.arraycopy(s.lvt(), 0, lvt, 0, lvt.length);
            timer.restore(s.timer());
            apicBase = s.apicBase();
            nmiPending = s.nmiPending();
            extIntPending = s.extIntPending();
            initPending = s.initPending();
            waitingForSipi = s.waitingForSipi();
            sipiVector = s.sipiVector();
        }
        wakeup.run();
    }

    /** The registers as the backend-neutral xAPIC page ({@link LapicState}, what KVM's KVM_GET_LAPIC gives). */
    public LapicState toLapicState() {
        pollTimers();
        ByteBuffer b = ByteBuffer.allocate(LapicState.SIZE).order(ByteOrder.LITTLE_ENDIAN);
        synchronized (this) {
            for (int offset = 0; offset < LapicState.SIZE; offset += 16) {
                int v = registerValue(offset, false);
                b.putInt(offset, v);
            }
        }
        return new LapicState(b.array());
    }

    /**
     * Loads registers from a backend-neutral page (a checkpoint, possibly from KVM). The APIC base
     * is taken from the vCPU state separately ({@link #apicBaseWritten}). A TSC-deadline timer
     * is re-armed by writing IA32_TSC_DEADLINE afterwards; a one-shot/periodic count continues from
     * the saved current count. A page whose version register is 0 (an empty placeholder) is ignored.
     */
    public void loadLapicState(LapicState page) {
        if (page.register(LapicRegister.VERSION) == 0) {
            return; // an all-zero page is "no LAPIC state" (every APIC reports a version), not a reset to zeros
        }
        synchronized (this) {
            int rawId = page.register(LapicState.ID);
            id = x2apicMode() ? index : rawId >>> 24;
            tpr = page.register(LapicRegister.TPR) & 0xFF;
            ldr = page.register(LapicRegister.LDR);
            dfr = page.register(LapicRegister.DFR) | 0x0FFF_FFFF;
            svr = page.register(LapicRegister.SVR) & 0x3FF;
            for (int i = 0; i < 8; i++) {
                isr.setWord(i, page.register(LapicRegister.ISR0 + 16 * i));
                tmr.setWord(i, page.register(LapicRegister.TMR0 + 16 * i));
                irr.setWord(i, page.register(LapicRegister.IRR0 + 16 * i));
            }
            esr = page.register(LapicRegister.ESR);
            pendingEsr = 0;
            icrLow = page.register(LapicRegister.ICR_LOW);
            icrHigh = page.register(LapicRegister.ICR_HIGH);
            for (int slot = 0; slot < lvt.length; slot++) {
                lvt[slot] = page.register(LapicRegister.LVT_TIMER + 16 * slot);
            }
            timer.reset();
            timer.setMode((lvt[0] >>> 17) & 3);
            timer.setDivideConfig(page.register(LapicRegister.TIMER_DIVIDE));
            timer.resume(page.register(LapicRegister.TIMER_INITIAL), page.register(LapicRegister.TIMER_CURRENT));
        }
        wakeup.run();
    }

    @Override
    public String toString() {
        return "LocalApic[vcpu " + index + ", id " + id + "]";
    }
}

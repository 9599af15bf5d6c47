package dev.partita.emulator.system;

import dev.partita.emulator.cpu.ControlBits.Cr4;
import dev.partita.emulator.cpu.ControlBits.RFlags;
import dev.partita.emulator.cpu.CpuException;
import dev.partita.emulator.cpu.CpuState;
import dev.partita.emulator.cpu.SegReg;
import dev.partita.emulator.cpu.Segment;
import dev.partita.emulator.cpu.Vectors;
import dev.partita.emulator.mmu.Mmu;
import dev.partita.hv.exit.VcpuExit;

/**
 * The system side of one emulated processor: the entry points the interpreter calls for
 * privileged, mode-changing and I/O instructions, exception delivery, and the event check the
 * backend runs between instructions.
 *
 * <p>Why one class of this length: it is the facade the interpreter sees, one short method per
 * privileged instruction that checks mode and privilege and hands the work to the class that owns
 * it ({@link FarTransfers}, {@link InterruptDelivery}, {@link FastSystemCalls},
 * {@link ControlRegisters}, {@link ModelSpecificRegisters}, {@link SystemTables}, {@link PortIo},
 * {@link CpuidUnit}). Keeping every entry point in one place keeps the contract below checkable in
 * one file; the work itself is already split.
 *
 * <h2>Contract with the interpreter</h2>
 * <ul>
 * <li>Methods named for control transfers take {@code nextRip} (the address after the
 *     instruction) and set {@code cpu.rip} themselves: {@link #intN}, {@link #int3}, {@link #into},
 *     {@link #int1}, {@link #iret}, {@link #farJump}, {@link #farCall}, {@link #farReturn},
 *     {@link #syscall}, {@link #sysret}, {@link #sysenter}, {@link #sysexit}. The interpreter must
 *     not touch RIP after them. Every other method leaves RIP alone; the interpreter advances it
 *     when the method returns normally.</li>
 * <li>Faults are thrown as {@link CpuException} before any state changes; the interpreter catches
 *     them (RIP still at the faulting instruction) and calls {@link #deliverException}.</li>
 * <li>{@link ExitSignal} must propagate out of the interpreter untouched (catch only
 *     CpuException); the instruction is executed again later. REP INS/OUTS (and any REP string
 *     instruction touching MMIO) call {@link #stringElementDone()} after committing each element.</li>
 * <li>After any instruction, the interpreter returns to its caller if {@code cpu.attention} is set
 *     (this class sets it for STI, HLT, POPF/IRET that set IF, MOV/POP SS, mode changes).</li>
 * <li>The decoded-instruction cache must key on the code mode ({@code cpu.codeBits}) as well as
 *     the physical page: far transfers and CR0/EFER writes change the mode without touching memory.</li>
 * </ul>
 *
 * <p>Owned by the vCPU thread.
 */
public final class SystemUnit {

    public final CpuState cpu;
    public final Mmu mmu;
    public final SystemTables tables;
    public final InterruptDelivery delivery;
    public final FarTransfers far;
    public final ControlRegisters control;
    public final ModelSpecificRegisters msrs;
    public final FastSystemCalls fastCalls;
    public final CpuidUnit cpuid;
    public final ExitReplay replay;
    public final PortIo io;
    private LocalInterruptController interrupts;

    public SystemUnit(CpuState cpu, Mmu mmu, TscClock clock, LocalInterruptController interrupts) {
        this.cpu = cpu;
        this.mmu = mmu;
        this.interrupts = interrupts;
        this.tables = new SystemTables(cpu, mmu);
        this.delivery = new InterruptDelivery(cpu, mmu, tables);
        this.far = new FarTransfers(cpu, mmu, tables);
        this.control = new ControlRegisters(cpu, mmu);
        this.replay = new ExitReplay();
        this.msrs = new ModelSpecificRegisters(cpu, control, clock, replay, interrupts);
        this.fastCalls = new FastSystemCalls(cpu);
        this.cpuid = new CpuidUnit(cpu);
        this.io = new PortIo(cpu, mmu, replay);
        control.setTprListener(p -> this.interrupts.setTaskPriority(p));
    }

    /** Replaces the interrupt controller (the platform plugs in here). */
    public void setInterruptController(LocalInterruptController controller) {
        this.interrupts = controller;
        msrs.setInterruptController(controller);
    }

    /** The interrupt controller in use. */
    public LocalInterruptController interruptController() {
        return interrupts;
    }

    /** Sets the emulator-internal devices (ports and MMIO handled without exits). */
    public void setInternalDevices(InternalDevices devices) {
        io.setDevices(devices);
    }

    // ------------------------------------------------------------------ exceptions and events

    /** Delivers a fault raised by the instruction at {@code cpu.rip}. */
    public void deliverException(CpuException e) {
        replay.clear();
        delivery.deliverException(e);
    }

    /**
     * The check between instructions: delivers a pending NMI or, when IF=1 and no interrupt
     * shadow is active, a pending maskable interrupt. Wakes the processor from HLT.
     *
     * @return true when an event was delivered
     */
    public boolean serviceEvents() {
        if (cpu.interruptShadow) {
            return false;
        }
        if (!cpu.nmiBlocked && interrupts.takeNmi()) {
            delivery.deliver(Vectors.NMI, CpuException.NO_ERROR_CODE, EventKind.NMI, cpu.rip, 0);
            return true;
        }
        if (cpu.interruptsEnabled() && interrupts.hasInterrupt()) {
            int vector = interrupts.acknowledgeInterrupt();
            if (vector >= 0) {
                delivery.deliver(vector, CpuException.NO_ERROR_CODE, EventKind.EXTERNAL_INTERRUPT, cpu.rip, 0);
                return true;
            }
        }
        return false;
    }

    /**
     * The single-step trap: after an instruction that started with RFLAGS.TF set and raised no
     * event of its own, #DB is delivered with DR6.BS set, returning to the next instruction.
     */
    public void singleStepTrap() {
        cpu.dr[6] |= 0x4000L;
        delivery.deliver(Vectors.DB, CpuException.NO_ERROR_CODE, EventKind.EXCEPTION, cpu.rip, 0);
    }

    // ------------------------------------------------------------------ flags

    /** CLI. */
    public void cli() {
        checkIfChange();
        cpu.rflagsSystem &= ~RFlags.IF;
    }

    /** STI: sets IF; when IF was clear, interrupts stay blocked for one more instruction. */
    public void sti() {
        checkIfChange();
        if (!cpu.interruptsEnabled()) {
            cpu.rflagsSystem |= RFlags.IF;
            cpu.interruptShadow = true;
            cpu.attention = true;
        }
    }

    private void checkIfChange() {
        if (!cpu.realMode() && cpu.cpl > cpu.iopl()) {
            throw CpuException.gp(0);
        }
    }

    // ------------------------------------------------------------------ software interrupts

    /** INT n. */
    public void intN(int vector, long nextRip) {
        if (cpu.v86Mode() && cpu.iopl() < 3) {
            throw CpuException.gp(0);
        }
        delivery.deliver(vector & 0xFF, CpuException.NO_ERROR_CODE, EventKind.SOFTWARE_INTERRUPT, nextRip, 0);
        afterTransfer();
    }

    /** INT3. */
    public void int3(long nextRip) {
        delivery.deliver(Vectors.BP, CpuException.NO_ERROR_CODE, EventKind.SOFTWARE_EXCEPTION, nextRip, 0);
        afterTransfer();
    }

    /** INTO: #OF when OF is set, else continues at {@code nextRip}. #UD in 64-bit mode is the decoder's. */
    public void into(long nextRip) {
        if (cpu.flags.of()) {
            delivery.deliver(Vectors.OF, CpuException.NO_ERROR_CODE, EventKind.SOFTWARE_EXCEPTION, nextRip, 0);
            afterTransfer();
        } else {
            cpu.rip = nextRip;
        }
    }

    /** INT1 (ICEBP). */
    public void int1(long nextRip) {
        delivery.deliver(Vectors.DB, CpuException.NO_ERROR_CODE, EventKind.PRIVILEGED_SOFTWARE_EXCEPTION, nextRip, 0);
        afterTransfer();
    }

    private void afterTransfer() {
        if (delivery.shutdownRequested()) {
            cpu.attention = true;
        }
    }

    /** IRET/IRETD/IRETQ ({@code opSize} 2, 4 or 8). */
    public void iret(int opSize) {
        boolean ifWas = cpu.interruptsEnabled();
        far.iret(opSize);
        if (!ifWas && cpu.interruptsEnabled()) {
            cpu.attention = true;
        }
    }

    // ------------------------------------------------------------------ far transfers

    /** JMP ptr16:16/32 or JMP m16:16/32/64. */
    public void farJump(int selector, long offset, int opSize) {
        far.jump(selector & 0xFFFF, offset, opSize);
        cpu.attention = true;
    }

    /** CALL far; pushes CS:nextRip. */
    public void farCall(int selector, long offset, int opSize, long nextRip) {
        far.call(selector & 0xFFFF, offset, opSize, nextRip);
        cpu.attention = true;
    }

    /** RETF [imm16]. */
    public void farReturn(int opSize, int popBytes) {
        far.farReturn(opSize, popBytes & 0xFFFF);
        cpu.attention = true;
    }

    // ------------------------------------------------------------------ segment and table registers

    /**
     * MOV Sreg / POP Sreg / LDS-LSS: loads ES, SS, DS, FS or GS (CS is #UD in the decoder).
     * Loading SS inhibits interrupts for the next instruction.
     */
    public void loadSegment(int segIndex, int selector) {
        tables.loadDataSegment(segIndex, selector);
        if (segIndex == SegReg.SS) {
            cpu.interruptShadow = true;
            cpu.attention = true;
        }
    }

    private void requireProtected() {
        if (!cpu.protectedMode()) {
            throw CpuException.ud();
        }
    }

    private void requireCpl0() {
        if (cpu.cpl != 0) {
            throw CpuException.gp(0);
        }
    }

    /** SLDT: the LDTR selector. */
    public int sldt() {
        requireProtected();
        return cpu.seg[SegReg.LDTR].selector;
    }

    /** STR: the TR selector. */
    public int str() {
        requireProtected();
        return cpu.seg[SegReg.TR].selector;
    }

    /** LLDT. */
    public void lldt(int selector) {
        requireProtected();
        requireCpl0();
        tables.loadLdt(selector);
    }

    /** LTR. */
    public void ltr(int selector) {
        requireProtected();
        requireCpl0();
        tables.loadTaskRegister(selector);
    }

    /** LGDT m16&32 / m16&64 at {@code seg:offset}; {@code opSize} 2 or 4 keeps 24/32 base bits, 8 in 64-bit mode. */
    public void lgdt(int seg, long offset, int opSize) {
        requireCpl0();
        int limit = mmu.readU16(seg, offset);
        long base = cpu.longMode64 ? mmu.readU64(seg, offset + 2) : mmu.readU32(seg, offset + 2) & 0xFFFF_FFFFL;
        if (!cpu.longMode64 && opSize == 2) {
            base &= 0xFF_FFFFL;
        }
        if (cpu.longMode64 && ((base << 16) >> 16) != base) {
            throw CpuException.gp(0);
        }
        cpu.gdtrBase = base;
        cpu.gdtrLimit = limit;
    }

    /** LIDT, as {@link #lgdt}. */
    public void lidt(int seg, long offset, int opSize) {
        requireCpl0();
        int limit = mmu.readU16(seg, offset);
        long base = cpu.longMode64 ? mmu.readU64(seg, offset + 2) : mmu.readU32(seg, offset + 2) & 0xFFFF_FFFFL;
        if (!cpu.longMode64 && opSize == 2) {
            base &= 0xFF_FFFFL;
        }
        if (cpu.longMode64 && ((base << 16) >> 16) != base) {
            throw CpuException.gp(0);
        }
        cpu.idtrBase = base;
        cpu.idtrLimit = limit;
    }

    /** SGDT: stores limit and base (8 bytes of base in 64-bit mode, else 4). */
    public void sgdt(int seg, long offset) {
        storeTable(seg, offset, cpu.gdtrLimit, cpu.gdtrBase);
    }

    /** SIDT. */
    public void sidt(int seg, long offset) {
        storeTable(seg, offset, cpu.idtrLimit, cpu.idtrBase);
    }

    private void storeTable(int seg, long offset, int limit, long base) {
        if (cpu.longMode64) {
            mmu.probeWrite(seg, offset, 10);
            mmu.writeU16(seg, offset, limit);
            mmu.writeU64(seg, offset + 2, base);
        } else {
            mmu.probeWrite(seg, offset, 6);
            mmu.writeU16(seg, offset, limit);
            mmu.writeU32(seg, offset + 2, (int) base);
        }
    }

    /** SMSW: CR0 (the caller stores 16 bits to memory, or the operand size to a register). */
    public long smsw() {
        return control.smsw();
    }

    /** LMSW. */
    public void lmsw(int value) {
        control.lmsw(value);
        cpu.attention = true;
    }

    /** LAR: access rights (high dword layout, bits 8-23) or -1 with ZF cleared when not accessible. */
    public long lar(int selector) {
        requireProtected();
        Descriptor d = tables.probe(selector);
        boolean ok = d != null;
        if (ok && d.system()) {
            int t = d.type();
            ok = cpu.longModeActive() ? (t == 2 || t == 9 || t == 0xB || t == 0xC)
                    : (t != 0 && t != 8 && t != 0xA && t != 0xD);
        }
        if (ok && !(d.code() && d.conforming()) && (d.dpl() < cpu.cpl || d.dpl() < (selector & 3))) {
            ok = false;
        }
        setZf(ok);
        return ok ? d.high & 0x00F0_FF00L : -1;
    }

    /** LSL: the byte-granular limit, or -1 with ZF cleared. */
    public long lsl(int selector) {
        requireProtected();
        Descriptor d = tables.probe(selector);
        boolean ok = d != null;
        if (ok && d.system()) {
            int t = d.type();
            ok = cpu.longModeActive() ? (t == 2 || t == 9 || t == 0xB) : (t == 1 || t == 2 || t == 3 || t == 9 || t == 0xB);
        }
        if (ok && !(d.code() && d.conforming()) && (d.dpl() < cpu.cpl || d.dpl() < (selector & 3))) {
            ok = false;
        }
        setZf(ok);
        return ok ? d.limit() : -1;
    }

    /** VERR: ZF = segment readable at the current privilege. */
    public void verr(int selector) {
        requireProtected();
        Descriptor d = tables.probe(selector);
        boolean ok = d != null && !d.system() && d.readable()
                && ((d.code() && d.conforming()) || (d.dpl() >= cpu.cpl && d.dpl() >= (selector & 3)));
        setZf(ok);
    }

    /** VERW: ZF = segment writable at the current privilege. */
    public void verw(int selector) {
        requireProtected();
        Descriptor d = tables.probe(selector);
        boolean ok = d != null && d.writableData() && d.dpl() >= cpu.cpl && d.dpl() >= (selector & 3);
        setZf(ok);
    }

    private void setZf(boolean value) {
        long f = cpu.rflags();
        cpu.flags.load(value ? f | RFlags.ZF : f & ~RFlags.ZF);
    }

    /** ARPL (legacy modes): raises the RPL of {@code dest} to that of {@code src}; returns the new value and sets ZF. */
    public int arpl(int dest, int src) {
        requireProtected();
        boolean adjust = (dest & 3) < (src & 3);
        setZf(adjust);
        return adjust ? (dest & ~3) | (src & 3) : dest;
    }

    // ------------------------------------------------------------------ control and debug registers

    /** MOV CRn, reg. */
    public void movToCr(int cr, long value) {
        control.write(cr, value);
        cpu.attention = true;
    }

    /** MOV reg, CRn (CR8 reads the interrupt controller's task priority when it keeps one). */
    public long movFromCr(int cr) {
        if (cr == 8 && cpu.cpl == 0) {
            int tpr = interrupts.taskPriorityClass();
            if (tpr >= 0) {
                cpu.cr8 = tpr;
            }
        }
        return control.read(cr);
    }

    /** MOV DRn, reg. */
    public void movToDr(int dr, long value) {
        control.writeDebug(dr, value);
    }

    /** MOV reg, DRn. */
    public long movFromDr(int dr) {
        return control.readDebug(dr);
    }

    /** CLTS. */
    public void clts() {
        control.clts();
    }

    /** INVLPG m: drops the translation of {@code seg:offset} (no fault for any address). */
    public void invlpg(int seg, long offset) {
        requireCpl0();
        long lin = cpu.longMode64
                ? (seg >= SegReg.FS ? cpu.seg[seg].base + offset : offset)
                : (cpu.seg[seg].base + offset) & 0xFFFF_FFFFL;
        mmu.invalidatePage(lin);
    }

    /** INVD / WBINVD: no caches to manage; CPL 0 only. */
    public void invalidateCaches() {
        requireCpl0();
    }

    // ------------------------------------------------------------------ MSRs, TSC, CPUID

    /** RDMSR. */
    public void rdmsr() {
        msrs.rdmsr();
    }

    /** WRMSR. */
    public void wrmsr() {
        msrs.wrmsr();
        cpu.attention = true;
    }

    /** RDTSC: EDX:EAX = TSC. #GP(0) at CPL > 0 with CR4.TSD. */
    public void rdtsc() {
        if ((cpu.cr4 & Cr4.TSD) != 0 && cpu.cpl != 0 && !cpu.realMode()) {
            throw CpuException.gp(0);
        }
        long t = msrs.tsc();
        cpu.gpr[0] = t & 0xFFFF_FFFFL;
        cpu.gpr[2] = t >>> 32;
    }

    /** RDTSCP: RDTSC plus ECX = TSC_AUX. */
    public void rdtscp() {
        rdtsc();
        cpu.gpr[1] = cpu.tscAux & 0xFFFF_FFFFL;
    }

    /** RDPID: TSC_AUX (the caller writes it to the destination register). */
    public long rdpid() {
        return cpu.tscAux;
    }

    /** RDPMC: no performance counters are implemented: #GP(0). */
    public void rdpmc() {
        throw CpuException.gp(0);
    }

    /** CPUID. */
    public void cpuid() {
        cpuid.execute();
    }

    /** XGETBV (ECX=0: XCR0). #UD without CR4.OSXSAVE. */
    public void xgetbv() {
        if ((cpu.cr4 & Cr4.OSXSAVE) == 0) {
            throw CpuException.ud();
        }
        if ((int) cpu.gpr[1] != 0) {
            throw CpuException.gp(0);
        }
        cpu.gpr[0] = cpu.xcr0 & 0xFFFF_FFFFL;
        cpu.gpr[2] = cpu.xcr0 >>> 32;
    }

    /** XSETBV: only x87 and SSE state components are supported. */
    public void xsetbv() {
        if ((cpu.cr4 & Cr4.OSXSAVE) == 0) {
            throw CpuException.ud();
        }
        requireCpl0();
        long v = (cpu.gpr[0] & 0xFFFF_FFFFL) | (cpu.gpr[2] << 32);
        if ((int) cpu.gpr[1] != 0 || (v & 1) == 0 || (v & ~3L) != 0) {
            throw CpuException.gp(0);
        }
        cpu.xcr0 = v;
    }

    /** RDFSBASE/RDGSBASE ({@code segIndex} FS or GS). #UD without CR4.FSGSBASE or outside 64-bit mode. */
    public long readSegmentBase(int segIndex) {
        if (!cpu.longMode64 || (cpu.cr4 & Cr4.FSGSBASE) == 0) {
            throw CpuException.ud();
        }
        return cpu.seg[segIndex].base;
    }

    /** WRFSBASE/WRGSBASE. */
    public void writeSegmentBase(int segIndex, long value) {
        if (!cpu.longMode64 || (cpu.cr4 & Cr4.FSGSBASE) == 0) {
            throw CpuException.ud();
        }
        if (((value << 16) >> 16) != value) {
            throw CpuException.gp(0);
        }
        cpu.seg[segIndex].base = value;
    }

    // ------------------------------------------------------------------ fast system calls

    /** SYSCALL. */
    public void syscall(long nextRip) {
        fastCalls.syscall(nextRip);
        cpu.attention = true;
    }

    /** SYSRET (opSize 4 or 8). */
    public void sysret(int opSize) {
        fastCalls.sysret(opSize);
        cpu.attention = true;
    }

    /** SYSENTER. */
    public void sysenter() {
        fastCalls.sysenter();
        cpu.attention = true;
    }

    /** SYSEXIT (opSize 4 or 8). */
    public void sysexit(int opSize) {
        fastCalls.sysexit(opSize);
        cpu.attention = true;
    }

    /** SWAPGS. */
    public void swapgs() {
        fastCalls.swapgs();
    }

    // ------------------------------------------------------------------ HLT, I/O, hypercalls

    /** HLT: CPL 0 only; the processor sleeps until an interrupt (the caller advances RIP first or after: either works). */
    public void hlt() {
        if (!cpu.realMode() && cpu.cpl != 0) {
            throw CpuException.gp(0);
        }
        cpu.halted = true;
        cpu.attention = true;
    }

    /** IN: returns the value (zero-extended). */
    public int in(int port, int size) {
        return io.in(port, size);
    }

    /** OUT. */
    public void out(int port, int size, int value) {
        io.out(port, size, value);
    }

    /** One element of a REP string instruction is committed (see the class comment). */
    public void stringElementDone() {
        replay.elementDone();
    }

    /**
     * VMCALL: a Hyper-V hypercall (RCX control, RDX input, R8 output) answered by the runtime;
     * the result goes to RAX. #UD at CPL > 0 is the guest's problem: Hyper-V returns an error code,
     * so CPL is not checked here; the runtime sees every call.
     */
    public void vmcall() {
        long result = replay.access(ExitReplay.HYPERCALL, cpu.gpr[1], 8, 0,
                new VcpuExit.Hypercall(cpu.gpr[1], cpu.gpr[2], cpu.gpr[8]));
        cpu.gpr[0] = result;
    }

    /** Whether a triple fault happened (the backend reports Shutdown). */
    public boolean shutdownRequested() {
        return delivery.shutdownRequested();
    }

    /** Gives a freshly reset processor's segment registers the real-mode attributes (for tests and INIT). */
    static void realModeSegments(CpuState cpu) {
        int data = Segment.ATTR_P | Segment.ATTR_S | Segment.ATTR_RW | Segment.ATTR_ACCESSED;
        for (int i = 0; i < 6; i++) {
            cpu.seg[i].load(0, 0, 0xFFFF, i == SegReg.CS ? data | Segment.ATTR_CODE : data);
        }
    }
}

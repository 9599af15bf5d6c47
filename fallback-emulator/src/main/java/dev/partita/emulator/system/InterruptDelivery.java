package dev.partita.emulator.system;

import dev.partita.emulator.cpu.ControlBits.RFlags;
import dev.partita.emulator.cpu.CpuException;
import dev.partita.emulator.cpu.CpuState;
import dev.partita.emulator.cpu.SegReg;
import dev.partita.emulator.cpu.StackWidth;
import dev.partita.emulator.cpu.Segment;
import dev.partita.emulator.cpu.Vectors;
import dev.partita.emulator.mmu.Mmu;

/**
 * Delivers exceptions and interrupts: through the IVT in real mode, through 8-byte interrupt and
 * trap gates in protected mode (with the stack switch from the TSS on a privilege change), and
 * through 16-byte gates in long mode (RSP0-2 from the 64-bit TSS, IST stacks, SS set to a null
 * selector on a privilege change, 16-byte stack alignment). A fault during delivery follows the
 * double-fault rules (SDM vol. 3 table 6-5); a fault while delivering #DF is a triple fault and
 * sets {@link #shutdownRequested()}.
 *
 * <p>Not supported (raise #GP with the gate's error code and log once): task gates in the IDT,
 * and delivery to or from virtual-8086 mode.
 *
 * <p>Every check and every push happens before any register is changed, so a nested fault sees
 * the state of the interrupted instruction. Owned by the vCPU thread.
 */
public final class InterruptDelivery {

    private static final System.Logger LOG = System.getLogger(InterruptDelivery.class.getName());

    private final CpuState cpu;
    private final Mmu mmu;
    private final SystemTables tables;
    private final StackWriter stack;
    private final Descriptor gate = new Descriptor();
    private final Descriptor code = new Descriptor();
    private final Descriptor stackDesc = new Descriptor();
    private boolean shutdown;
    private long deliveries;
    private String shutdownReason = "";
    private boolean loggedUnsupported;

    public InterruptDelivery(CpuState cpu, Mmu mmu, SystemTables tables) {
        this.cpu = cpu;
        this.mmu = mmu;
        this.tables = tables;
        this.stack = new StackWriter(mmu);
    }

    /** Number of events delivered so far (lets the single-step logic tell whether an instruction raised one). */
    public long deliveryCount() {
        return deliveries;
    }

    /** A triple fault happened; the vCPU must stop with a Shutdown exit. */
    public boolean shutdownRequested() {
        return shutdown;
    }

    /** What caused the shutdown (for the exit report). */
    public String shutdownReason() {
        return shutdownReason;
    }

    /** Clears the shutdown flag (after the backend reported it, or on reset). */
    public void clearShutdown() {
        shutdown = false;
        shutdownReason = "";
    }

    /**
     * Delivers an exception raised by the instruction at {@code cpu.rip} (faults return to it).
     * Traps that must return after the instruction (INT n, INT3, INTO) use {@link #deliver}.
     */
    public void deliverException(CpuException e) {
        deliver(e.vector(), e.errorCode(), EventKind.EXCEPTION, cpu.rip, e.faultAddress());
    }

    /**
     * Delivers one event.
     *
     * @param vector    0-255
     * @param errorCode the error code or {@link CpuException#NO_ERROR_CODE}
     * @param kind      how the event arose
     * @param returnRip the RIP pushed as the return address
     * @param cr2       the #PF linear address (ignored for other vectors)
     */
    public void deliver(int vector, int errorCode, EventKind kind, long returnRip, long cr2) {
        int v = vector;
        int err = errorCode;
        EventKind k = kind;
        long ret = returnRip;
        long addr = cr2;
        cpu.halted = false;
        cpu.interruptShadow = false;
        deliveries++;
        for (int depth = 0; depth < 4; depth++) {
            try {
                if (v == Vectors.PF && k == EventKind.EXCEPTION) {
                    cpu.cr2 = addr;
                }
                deliverOnce(v, k == EventKind.EXCEPTION && Vectors.hasErrorCode(v) ? err : CpuException.NO_ERROR_CODE, k, ret);
                if (k == EventKind.NMI) {
                    cpu.nmiBlocked = true;
                }
                return;
            } catch (CpuException nested) {
                if (k == EventKind.EXCEPTION && v == Vectors.DF) {
                    triple("fault " + nested.getMessage() + " while delivering #DF");
                    return;
                }
                int nv = nested.vector();
                boolean firstContributory = k == EventKind.EXCEPTION && Vectors.isContributory(v);
                boolean firstPageFault = k == EventKind.EXCEPTION && v == Vectors.PF;
                boolean secondContributory = Vectors.isContributory(nv);
                if ((firstContributory && secondContributory)
                        || (firstPageFault && (secondContributory || nv == Vectors.PF))) {
                    v = Vectors.DF;
                    err = 0;
                } else {
                    v = nv;
                    err = nested.errorCode();
                    addr = nested.faultAddress();
                }
                k = EventKind.EXCEPTION;
                ret = cpu.rip;
            }
        }
        triple("nested faults during event delivery");
    }

    private void triple(String why) {
        shutdown = true;
        shutdownReason = "triple fault: " + why;
        LOG.log(System.Logger.Level.DEBUG, () -> shutdownReason);
    }

    private void deliverOnce(int vector, int errorCode, EventKind kind, long returnRip) {
        if (cpu.realMode()) {
            deliverReal(vector, returnRip);
        } else if (cpu.longModeActive()) {
            deliverLong(vector, errorCode, kind, returnRip);
        } else {
            deliverProtected(vector, errorCode, kind, returnRip);
        }
    }

    private void deliverReal(int vector, long returnRip) {
        long entry = vector * 4L;
        if (entry + 3 > cpu.idtrLimit) {
            throw CpuException.gp(vector * 8 + 2);
        }
        long lin = (cpu.idtrBase + entry) & 0xFFFF_FFFFL;
        int ip = mmu.readSystemU16(lin);
        int cs = mmu.readSystemU16(lin + 2);
        Segment ss = cpu.seg[SegReg.SS];
        stack.startLegacy(ss.base, cpu.gpr[4], cpu.stackBits == 32 ? 32 : 16, ss.lowLimit, ss.highLimit, false, 0);
        stack.push(cpu.rflags(), 2);
        stack.push(cpu.seg[SegReg.CS].selector, 2);
        stack.push(returnRip, 2);
        setStackPointer(stack.pointer(), cpu.stackBits == 32 ? 32 : 16);
        cpu.seg[SegReg.CS].loadReal(cs);
        cpu.rip = ip;
        cpu.rflagsSystem &= ~(RFlags.IF | RFlags.TF | RFlags.AC | RFlags.RF);
    }

    private void readGate(int vector, int entrySize, int ext) {
        long offset = (long) vector * entrySize;
        int gateError = vector * 8 + 2 + ext;
        if (offset + entrySize - 1 > cpu.idtrLimit) {
            throw CpuException.gp(gateError);
        }
        long lin = cpu.idtrBase + offset;
        if (!cpu.longModeActive()) {
            lin &= 0xFFFF_FFFFL;
        }
        gate.address = lin;
        gate.low = mmu.readSystemU32(lin);
        gate.high = mmu.readSystemU32(lin + 4);
        gate.upper = entrySize == 16 ? mmu.readSystemU32(lin + 8) : 0;
    }

    private void deliverProtected(int vector, int errorCode, EventKind kind, long returnRip) {
        int ext = kind.ext();
        int gateError = vector * 8 + 2 + ext;
        readGate(vector, 8, ext);
        int type = gate.type();
        boolean s = !gate.system();
        if (s || !(type == 6 || type == 7 || type == 0xE || type == 0xF || type == 5)) {
            throw CpuException.gp(gateError);
        }
        if (kind.checksGateDpl() && gate.dpl() < cpu.cpl) {
            throw CpuException.gp(vector * 8 + 2);
        }
        if (!gate.present()) {
            throw CpuException.np(gateError);
        }
        if (type == 5) {
            unsupported("task gate in the IDT (vector " + vector + ")");
            throw CpuException.gp(gateError);
        }
        if (cpu.v86Mode()) {
            unsupported("interrupt delivery from virtual-8086 mode");
            throw CpuException.gp(0);
        }
        boolean gate32 = (type & 8) != 0;
        int size = gate32 ? 4 : 2;
        int selector = gate.gateSelector();
        long target = gate32 ? gate.gateOffset(false) : gate.gateOffset(false) & 0xFFFF;
        int newCpl = checkTargetCode(selector, ext, false);
        Segment ss = cpu.seg[SegReg.SS];
        long oldSp = cpu.gpr[4];
        int oldSs = ss.selector;
        boolean switchStack = newCpl < cpu.cpl;
        int newSsSel = 0;
        if (switchStack) {
            Segment tr = cpu.seg[SegReg.TR];
            boolean tss32 = (tr.type() & 8) != 0;
            long spOff = tss32 ? 4 + 8L * newCpl : 2 + 4L * newCpl;
            long ssOff = tss32 ? spOff + 4 : spOff + 2;
            if (ssOff + 1 > tr.limit) {
                throw CpuException.ts((tr.selector & 0xFFFC) | ext);
            }
            long newSp = tss32 ? mmu.readSystemU32((tr.base + spOff) & 0xFFFF_FFFFL) & 0xFFFF_FFFFL
                    : mmu.readSystemU16((tr.base + spOff) & 0xFFFF_FFFFL);
            newSsSel = mmu.readSystemU16((tr.base + ssOff) & 0xFFFF_FFFFL);
            int sErr = (newSsSel & 0xFFFC) | ext;
            if ((newSsSel & 0xFFFC) == 0) {
                throw CpuException.ts(ext);
            }
            tables.read(newSsSel, stackDesc, Vectors.TS, ext);
            if ((newSsSel & 3) != newCpl || stackDesc.dpl() != newCpl || !stackDesc.writableData()) {
                throw CpuException.ts(sErr);
            }
            if (!stackDesc.present()) {
                throw CpuException.ss(sErr);
            }
            long base = stackDesc.base();
            long limit = stackDesc.limit();
            boolean expandDown = (stackDesc.type() & 4) != 0;
            int bits = stackDesc.big() ? 32 : 16;
            stack.startLegacy(base, newSp, bits, expandDown ? limit + 1 : 0,
                    expandDown ? (bits == 32 ? 0xFFFF_FFFFL : 0xFFFF) : limit, newCpl == 3, sErr);
            stack.push(oldSs, size);
            stack.push(oldSp, size);
        } else {
            stack.startLegacy(ss.base, oldSp, cpu.stackBits == 32 ? 32 : 16, ss.lowLimit, ss.highLimit, cpu.cpl == 3, 0);
        }
        stack.push(cpu.rflags(), size);
        stack.push(cpu.seg[SegReg.CS].selector, size);
        stack.push(returnRip, size);
        if (errorCode != CpuException.NO_ERROR_CODE) {
            stack.push(errorCode, size);
        }
        // Commit.
        if (switchStack) {
            tables.markAccessed(stackDesc);
            stackDesc.loadInto(cpu.seg[SegReg.SS], newSsSel);
        }
        tables.markAccessed(code);
        code.loadInto(cpu.seg[SegReg.CS], (selector & 0xFFFC) | newCpl);
        cpu.cpl = newCpl;
        cpu.updateMode();
        setStackPointer(stack.pointer(), cpu.stackBits);
        cpu.rip = target;
        cpu.rflagsSystem &= ~(RFlags.TF | RFlags.NT | RFlags.RF | RFlags.VM);
        if ((type & 1) == 0) {
            cpu.rflagsSystem &= ~RFlags.IF;
        }
    }

    private void deliverLong(int vector, int errorCode, EventKind kind, long returnRip) {
        int ext = kind.ext();
        int gateError = vector * 8 + 2 + ext;
        readGate(vector, 16, ext);
        int type = gate.type();
        if (!gate.system() || !(type == 0xE || type == 0xF)) {
            throw CpuException.gp(gateError);
        }
        if (kind.checksGateDpl() && gate.dpl() < cpu.cpl) {
            throw CpuException.gp(vector * 8 + 2);
        }
        if (!gate.present()) {
            throw CpuException.np(gateError);
        }
        int selector = gate.gateSelector();
        long target = gate.gateOffset(true);
        int newCpl = checkTargetCode(selector, ext, true);
        long oldRsp = cpu.gpr[4];
        int oldSs = cpu.seg[SegReg.SS].selector;
        int ist = gate.ist();
        long rsp;
        if (ist != 0) {
            rsp = readTss64(36 + 8L * (ist - 1), ext);
        } else if (newCpl < cpu.cpl) {
            rsp = readTss64(4 + 8L * newCpl, ext);
        } else {
            rsp = cpu.longMode64 ? oldRsp : oldRsp & 0xFFFF_FFFFL;
        }
        rsp &= ~0xFL;
        stack.start64(rsp, newCpl == 3);
        stack.push(oldSs, 8);
        stack.push(oldRsp, 8);
        stack.push(cpu.rflags(), 8);
        stack.push(cpu.seg[SegReg.CS].selector, 8);
        stack.push(returnRip, 8);
        if (errorCode != CpuException.NO_ERROR_CODE) {
            stack.push(errorCode & 0xFFFF_FFFFL, 8);
        }
        if (newCpl < cpu.cpl) {
            cpu.seg[SegReg.SS].load(newCpl, 0, 0, Segment.ATTR_UNUSABLE | Segment.ATTR_S | Segment.ATTR_RW
                    | Segment.ATTR_P | (newCpl << Segment.ATTR_DPL_SHIFT));
        }
        tables.markAccessed(code);
        code.loadInto(cpu.seg[SegReg.CS], (selector & 0xFFFC) | newCpl);
        cpu.cpl = newCpl;
        cpu.updateMode();
        cpu.gpr[4] = stack.pointer();
        cpu.rip = target;
        cpu.rflagsSystem &= ~(RFlags.TF | RFlags.NT | RFlags.RF | RFlags.VM);
        if ((type & 1) == 0) {
            cpu.rflagsSystem &= ~RFlags.IF;
        }
    }

    /** Checks the gate's target code segment into {@link #code} and returns the new CPL. */
    private int checkTargetCode(int selector, int ext, boolean long64) {
        if ((selector & 0xFFFC) == 0) {
            throw CpuException.gp(ext);
        }
        int err = (selector & 0xFFFC) | ext;
        tables.read(selector, code, Vectors.GP, ext);
        if (!code.code() || code.dpl() > cpu.cpl) {
            throw CpuException.gp(err);
        }
        if (long64 && (!code.longCode() || code.big())) {
            throw CpuException.gp(err);
        }
        if (!code.present()) {
            throw CpuException.np(err);
        }
        return code.conforming() ? cpu.cpl : code.dpl();
    }

    private long readTss64(long offset, int ext) {
        Segment tr = cpu.seg[SegReg.TR];
        if (offset + 7 > tr.limit) {
            throw CpuException.ts((tr.selector & 0xFFFC) | ext);
        }
        long lo = mmu.readSystemU32(tr.base + offset) & 0xFFFF_FFFFL;
        long hi = mmu.readSystemU32(tr.base + offset + 4) & 0xFFFF_FFFFL;
        return lo | (hi << 32);
    }

    private void setStackPointer(long value, int bits) {
        cpu.gpr[4] = StackWidth.store(cpu.gpr[4], value, bits);
    }

    private void unsupported(String what) {
        if (!loggedUnsupported) {
            loggedUnsupported = true;
            LOG.log(System.Logger.Level.WARNING, "emulator: not supported, raising #GP: " + what);
        }
    }
}

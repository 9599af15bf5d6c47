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
 * Far control transfers through segment descriptors: far JMP, far CALL, far RET (with the return
 * to an outer privilege level) and IRET/IRETD/IRETQ in real, protected, compatibility and 64-bit
 * mode. Every frame value is read and every descriptor checked before any register changes.
 *
 * <p>Not supported (raise #GP(selector) and log once): call gates, task gates and TSS targets for
 * far JMP/CALL; IRET with NT=1 (task return); IRET to virtual-8086 mode. Owned by the vCPU thread.
 */
public final class FarTransfers {

    private static final System.Logger LOG = System.getLogger(FarTransfers.class.getName());

    private final CpuState cpu;
    private final Mmu mmu;
    private final SystemTables tables;
    private final Descriptor code = new Descriptor();
    private final Descriptor ssDesc = new Descriptor();
    private boolean loggedUnsupported;

    public FarTransfers(CpuState cpu, Mmu mmu, SystemTables tables) {
        this.cpu = cpu;
        this.mmu = mmu;
        this.tables = tables;
    }

    // ------------------------------------------------------------------ JMP / CALL

    /** Far JMP to {@code selector:offset} (offset already truncated to the operand size). */
    public void jump(int selector, long offset, int opSize) {
        if (!cpu.protectedMode()) {
            cpu.seg[SegReg.CS].loadReal(selector);
            cpu.rip = offset & (opSize == 4 ? 0xFFFF_FFFFL : 0xFFFF);
            return;
        }
        checkDirectCodeTarget(selector);
        checkOffset(offset);
        commitCs(selector, cpu.cpl);
        cpu.rip = offset;
    }

    /**
     * Far CALL to {@code selector:offset}: pushes CS and the return address ({@code nextRip}) with
     * {@code opSize}-byte slots (2, 4 or 8), then transfers.
     */
    public void call(int selector, long offset, int opSize, long nextRip) {
        if (!cpu.protectedMode()) {
            long sp = push(cpu.gpr[4], cpu.seg[SegReg.CS].selector, opSize);
            sp = push(sp, nextRip, opSize);
            setRsp(sp);
            cpu.seg[SegReg.CS].loadReal(selector);
            cpu.rip = offset & (opSize == 4 ? 0xFFFF_FFFFL : 0xFFFF);
            return;
        }
        checkDirectCodeTarget(selector);
        checkOffset(offset);
        long sp = push(cpu.gpr[4], cpu.seg[SegReg.CS].selector, opSize);
        sp = push(sp, nextRip, opSize);
        setRsp(sp);
        commitCs(selector, cpu.cpl);
        cpu.rip = offset;
    }

    private void checkDirectCodeTarget(int selector) {
        if ((selector & 0xFFFC) == 0) {
            throw CpuException.gp(0);
        }
        int err = selector & 0xFFFC;
        tables.read(selector, code, Vectors.GP, 0);
        if (code.system()) {
            unsupported("far JMP/CALL through a call gate, task gate or TSS (selector " + Integer.toHexString(selector) + ")");
            throw CpuException.gp(err);
        }
        if (!code.code()) {
            throw CpuException.gp(err);
        }
        if (code.conforming()) {
            if (code.dpl() > cpu.cpl) {
                throw CpuException.gp(err);
            }
        } else if ((selector & 3) > cpu.cpl || code.dpl() != cpu.cpl) {
            throw CpuException.gp(err);
        }
        if (!code.present()) {
            throw CpuException.np(err);
        }
        if (cpu.longModeActive() && code.longCode() && code.big()) {
            throw CpuException.gp(err);
        }
    }

    private void checkOffset(long offset) {
        boolean target64 = cpu.longModeActive() && code.longCode();
        if (target64) {
            if (((offset << 16) >> 16) != offset) {
                throw CpuException.gp(0);
            }
        } else if (offset > code.limit()) {
            throw CpuException.gp(0);
        }
    }

    private void commitCs(int selector, int newCpl) {
        tables.markAccessed(code);
        code.loadInto(cpu.seg[SegReg.CS], (selector & 0xFFFC) | newCpl);
        cpu.cpl = newCpl;
        cpu.updateMode();
    }

    // ------------------------------------------------------------------ RET far

    /** Far RET: pops the return address and CS ({@code opSize}-byte slots) and releases {@code popBytes}. */
    public void farReturn(int opSize, int popBytes) {
        long sp = cpu.gpr[4];
        long ip = pop(sp, opSize);
        int sel = (int) pop(sp + opSize, opSize) & 0xFFFF;
        if (!cpu.protectedMode()) {
            setRsp(sp + 2L * opSize + popBytes);
            cpu.seg[SegReg.CS].loadReal(sel);
            cpu.rip = ip & (opSize == 4 ? 0xFFFF_FFFFL : 0xFFFF);
            return;
        }
        int rpl = sel & 3;
        if ((sel & 0xFFFC) == 0) {
            throw CpuException.gp(0);
        }
        int err = sel & 0xFFFC;
        tables.read(sel, code, Vectors.GP, 0);
        if (!code.code() || rpl < cpu.cpl) {
            throw CpuException.gp(err);
        }
        if (code.conforming() ? code.dpl() > rpl : code.dpl() != rpl) {
            throw CpuException.gp(err);
        }
        if (!code.present()) {
            throw CpuException.np(err);
        }
        if (rpl == cpu.cpl) {
            checkOffset(truncate(ip, opSize));
            setRsp(sp + 2L * opSize + popBytes);
            commitCs(sel, rpl);
            cpu.rip = truncate(ip, opSize);
            return;
        }
        // Return to an outer privilege level: also pop SS:RSP.
        long base = sp + 2L * opSize + popBytes;
        long newSp = pop(base, opSize);
        int newSs = (int) pop(base + opSize, opSize) & 0xFFFF;
        boolean nullSsOk = loadOuterStackCheck(newSs, rpl);
        checkOffset(truncate(ip, opSize));
        commitCs(sel, rpl);
        commitSs(newSs, rpl, nullSsOk);
        setRspWidth(newSp + popBytes, opSize);
        cpu.rip = truncate(ip, opSize);
        nullifyDataSegments();
    }

    // ------------------------------------------------------------------ IRET

    /** IRET with operand size {@code opSize} (2, 4 or 8). Unblocks NMIs. */
    public void iret(int opSize) {
        cpu.nmiBlocked = false;
        if (cpu.realMode()) {
            iretReal(opSize);
            return;
        }
        if (cpu.v86Mode()) {
            unsupported("IRET in virtual-8086 mode");
            throw CpuException.gp(0);
        }
        if ((cpu.rflagsSystem & RFlags.NT) != 0) {
            if (cpu.longModeActive()) {
                throw CpuException.gp(0);
            }
            unsupported("IRET with NT=1 (task return)");
            throw CpuException.gp(0);
        }
        long sp = cpu.gpr[4];
        long ip = pop(sp, opSize);
        int sel = (int) pop(sp + opSize, opSize) & 0xFFFF;
        long flags = pop(sp + 2L * opSize, opSize);
        if (opSize == 2) {
            flags = (cpu.rflags() & ~0xFFFFL) | (flags & 0xFFFF);
        }
        if (!cpu.longModeActive() && (flags & RFlags.VM) != 0 && cpu.cpl == 0) {
            unsupported("IRET to virtual-8086 mode");
            throw CpuException.gp(0);
        }
        int rpl = sel & 3;
        if ((sel & 0xFFFC) == 0) {
            throw CpuException.gp(0);
        }
        int err = sel & 0xFFFC;
        tables.read(sel, code, Vectors.GP, 0);
        if (!code.code() || rpl < cpu.cpl) {
            throw CpuException.gp(err);
        }
        if (code.conforming() ? code.dpl() > rpl : code.dpl() != rpl) {
            throw CpuException.gp(err);
        }
        if (!code.present()) {
            throw CpuException.np(err);
        }
        if (cpu.longModeActive() && code.longCode() && code.big()) {
            throw CpuException.gp(err);
        }
        boolean popStack = rpl != cpu.cpl || cpu.longMode64;
        int oldCpl = cpu.cpl;
        long newIp = truncate(ip, opSize);
        if (popStack) {
            long newSp = pop(sp + 3L * opSize, opSize);
            int newSs = (int) pop(sp + 4L * opSize, opSize) & 0xFFFF;
            boolean nullSsOk = loadOuterStackCheck(newSs, rpl);
            checkOffset(newIp);
            commitCs(sel, rpl);
            commitSs(newSs, rpl, nullSsOk);
            setRspWidth(newSp, opSize);
        } else {
            checkOffset(newIp);
            setRsp(sp + 3L * opSize);
            commitCs(sel, rpl);
        }
        cpu.rip = newIp;
        writeFlags(flags, opSize, oldCpl);
        if (rpl > oldCpl) {
            nullifyDataSegments();
        }
    }

    private void iretReal(int opSize) {
        long sp = cpu.gpr[4];
        long ip = pop(sp, opSize);
        int sel = (int) pop(sp + opSize, opSize) & 0xFFFF;
        long flags = pop(sp + 2L * opSize, opSize);
        if (opSize == 2) {
            flags = (cpu.rflags() & ~0xFFFFL) | (flags & 0xFFFF);
        } else {
            flags = (flags & ~(RFlags.VM | RFlags.VIF | RFlags.VIP)) | (cpu.rflags() & (RFlags.VM | RFlags.VIF | RFlags.VIP));
        }
        setRsp(sp + 3L * opSize);
        cpu.seg[SegReg.CS].loadReal(sel);
        cpu.rip = ip & (opSize == 4 ? 0xFFFF_FFFFL : 0xFFFF);
        cpu.setRflags(flags);
    }

    /**
     * Applies an RFLAGS image popped by IRET/POPF with the privilege rules: IOPL only at CPL 0,
     * IF only when CPL <= IOPL, VM/VIF/VIP never here. {@code cplForRules} is the CPL before the transfer.
     */
    void writeFlags(long value, int opSize, int cplForRules) {
        long current = cpu.rflags();
        long changeable = RFlags.ARITH | RFlags.TF | RFlags.DF | RFlags.NT | RFlags.RF | RFlags.AC | RFlags.ID;
        if (cplForRules == 0) {
            changeable |= RFlags.IOPL | RFlags.VIF | RFlags.VIP;
        }
        if (cplForRules <= cpu.iopl()) {
            changeable |= RFlags.IF;
        }
        if (opSize == 2) {
            changeable &= 0xFFFF;
        }
        cpu.setRflags((current & ~changeable) | (value & changeable));
    }

    // ------------------------------------------------------------------ helpers

    /** Checks SS for a return to privilege {@code rpl}; returns true when a null SS is allowed (64-bit). */
    private boolean loadOuterStackCheck(int ssSel, int rpl) {
        if ((ssSel & 0xFFFC) == 0) {
            if (cpu.longModeActive() && code.longCode() && rpl != 3) {
                return true;
            }
            throw CpuException.gp(0);
        }
        int err = ssSel & 0xFFFC;
        tables.read(ssSel, ssDesc, Vectors.GP, 0);
        if ((ssSel & 3) != rpl || !ssDesc.writableData() || ssDesc.dpl() != rpl) {
            throw CpuException.gp(err);
        }
        if (!ssDesc.present()) {
            throw CpuException.ss(err);
        }
        return false;
    }

    private void commitSs(int ssSel, int rpl, boolean nullSs) {
        Segment ss = cpu.seg[SegReg.SS];
        if (nullSs) {
            ss.load(ssSel, 0, 0, Segment.ATTR_UNUSABLE | Segment.ATTR_S | Segment.ATTR_RW | Segment.ATTR_P
                    | (rpl << Segment.ATTR_DPL_SHIFT));
        } else {
            tables.markAccessed(ssDesc);
            ssDesc.loadInto(ss, ssSel);
        }
        cpu.updateMode();
    }

    /** After a return to an outer level: data segments the new CPL may not use become null. */
    private void nullifyDataSegments() {
        int[] regs = {SegReg.ES, SegReg.DS, SegReg.FS, SegReg.GS};
        for (int r : regs) {
            Segment s = cpu.seg[r];
            boolean dataOrNonConforming = (s.attributes & Segment.ATTR_CODE) == 0 || (s.attributes & Segment.ATTR_DC) == 0;
            if (!s.unusable() && (s.attributes & Segment.ATTR_S) != 0 && dataOrNonConforming && s.dpl() < cpu.cpl) {
                s.load(0, s.base, s.limit, s.attributes | Segment.ATTR_UNUSABLE);
            }
        }
    }

    private long truncate(long ip, int opSize) {
        return switch (opSize) {
            case 2 -> ip & 0xFFFF;
            case 4 -> ip & 0xFFFF_FFFFL;
            default -> ip;
        };
    }

    private long pop(long sp, int size) {
        long off = StackWidth.offset(sp, cpu.stackBits);
        return switch (size) {
            case 2 -> mmu.readU16(SegReg.SS, off);
            case 4 -> mmu.readU32(SegReg.SS, off) & 0xFFFF_FFFFL;
            default -> mmu.readU64(SegReg.SS, off);
        };
    }

    /** Pushes at {@code sp - size} (current SS) and returns the new pointer. */
    private long push(long sp, long value, int size) {
        long nsp = StackWidth.offset(sp - size, cpu.stackBits);
        switch (size) {
            case 2 -> mmu.writeU16(SegReg.SS, nsp, (int) value);
            case 4 -> mmu.writeU32(SegReg.SS, nsp, (int) value);
            default -> mmu.writeU64(SegReg.SS, nsp, value);
        }
        return nsp;
    }

    private void setRsp(long value) {
        cpu.gpr[4] = StackWidth.store(cpu.gpr[4], value, cpu.stackBits);
    }

    /** Sets RSP after loading a new SS (its B bit decides the width). */
    private void setRspWidth(long value, int opSize) {
        if (cpu.longMode64 || opSize == 8) {
            cpu.gpr[4] = value;
        } else {
            setRsp(value);
        }
    }

    private void unsupported(String what) {
        if (!loggedUnsupported) {
            loggedUnsupported = true;
            LOG.log(System.Logger.Level.WARNING, "emulator: not supported, raising #GP: " + what);
        }
    }
}

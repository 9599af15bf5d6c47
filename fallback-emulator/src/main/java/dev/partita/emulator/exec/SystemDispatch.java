package dev.partita.emulator.exec;

import static dev.partita.emulator.exec.IntegerOps.mask;

import dev.partita.emulator.decoder.DecodedInsn;
import dev.partita.emulator.decoder.SysOp;
import java.lang.invoke.VarHandle;

/**
 * Decodes the operands of system instructions ({@link dev.partita.emulator.decoder.Ops#SYSTEM}) and
 * hands them to the {@link SystemInterface}. Fences and cache-line flushes are handled here (no
 * state of the system package is involved). Stateless.
 */
final class SystemDispatch {
    private SystemDispatch() {
    }

    /** Returns true when RIP should advance to the next instruction. */
    static boolean execute(Interpreter in, DecodedInsn d) {
        SystemInterface sys = in.sys;
        int sub = d.sub;
        switch (sub) {
            case SysOp.IN_I, SysOp.IN_DX -> {
                int port = sub == SysOp.IN_I ? (int) d.imm & 0xFF : (int) in.gpr[2] & 0xFFFF;
                long v = sys.in(port, d.size);
                in.ops.setReg(0, d.size, v);
            }
            case SysOp.OUT_I, SysOp.OUT_DX -> {
                int port = sub == SysOp.OUT_I ? (int) d.imm & 0xFF : (int) in.gpr[2] & 0xFFFF;
                sys.out(port, d.size, in.ops.reg(0, d.size));
            }
            case SysOp.CALLF_M, SysOp.JMPF_M -> {
                long ea = in.ops.ea(d);
                int os = d.opSize;
                long off = in.ops.read(d.seg, ea, os);
                int sel = (int) in.ops.read(d.seg, (ea + os) & mask(d.addrSize), 2);
                sys.farTransfer(sub == SysOp.CALLF_M, sel, off, os, in.ops.nextRip);
                in.endSlice = true;
                return false;
            }
            case SysOp.LLDT, SysOp.LTR, SysOp.VERR, SysOp.VERW, SysOp.LMSW ->
                sys.writeSystem(sub, 0, in.ops.readRm(d, 2), 0, 0, d);
            case SysOp.MOV_TO_CR, SysOp.MOV_TO_DR -> {
                sys.writeSystem(sub, d.reg, in.ops.reg(d.rm, d.size), 0, 0, d);
                in.endSlice = true;
            }
            case SysOp.WRFSBASE, SysOp.WRGSBASE -> sys.writeSystem(sub, 0, in.ops.reg(d.rm, d.size), 0, 0, d);
            case SysOp.LGDT, SysOp.LIDT, SysOp.INVLPG -> sys.writeSystem(sub, 0, 0, d.seg, in.ops.ea(d), d);
            case SysOp.CLFLUSH -> in.ops.read(d.seg, in.ops.ea(d), 1);
            case SysOp.FENCE -> VarHandle.fullFence();
            case SysOp.SLDT, SysOp.STR, SysOp.SMSW -> {
                if (d.rm >= 0) {
                    in.ops.setReg(d.rm, d.size, sys.readSystem(sub, 0, 0, 0, 0, d));
                } else {
                    long ea = in.ops.ea(d);
                    in.mmu.probeWrite(d.seg, ea, 2);
                    in.ops.write(d.seg, ea, 2, sys.readSystem(sub, 0, 0, d.seg, ea, d));
                }
            }
            case SysOp.MOV_FROM_CR, SysOp.MOV_FROM_DR -> in.ops.setReg(d.rm, d.size, sys.readSystem(sub, d.reg, 0, 0, 0, d));
            case SysOp.LAR, SysOp.LSL -> {
                long v = sys.readSystem(sub, 0, in.ops.readRm(d, 2), 0, 0, d);
                if (in.flags.zf()) {
                    in.ops.setReg(d.reg, d.size, v);
                }
            }
            case SysOp.SGDT, SysOp.SIDT -> sys.readSystem(sub, 0, 0, d.seg, in.ops.ea(d), d);
            case SysOp.RDFSBASE, SysOp.RDGSBASE, SysOp.RDRAND, SysOp.RDSEED, SysOp.RDPID ->
                in.ops.setReg(d.rm, d.size, sys.readSystem(sub, 0, 0, 0, 0, d));
            default -> {
                in.endSlice = true;
                return !sys.execute(d, in.ops.nextRip);
            }
        }
        return true;
    }
}

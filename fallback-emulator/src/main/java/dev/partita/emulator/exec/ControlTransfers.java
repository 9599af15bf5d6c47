package dev.partita.emulator.exec;

import static dev.partita.emulator.exec.IntegerOps.mask;

import dev.partita.emulator.cpu.CpuException;
import dev.partita.emulator.cpu.CpuState;
import dev.partita.emulator.cpu.LazyFlags;
import dev.partita.emulator.cpu.SegReg;
import dev.partita.emulator.decoder.DecodedInsn;
import dev.partita.emulator.decoder.Ops;

/**
 * Near control transfers: Jcc, JMP and CALL (relative and indirect), RET, and LOOP/LOOPcc/JrCXZ.
 * A method returns false when it set RIP itself (the instruction transferred control) and true when
 * execution falls through to the next instruction. Far transfers are the system package's.
 *
 * <p>Owned by the vCPU thread, like its {@link Interpreter}.
 */
final class ControlTransfers {
    private final OperandAccess ops;
    private final StackAccess stack;
    private final CpuState cpu;
    private final LazyFlags flags;

    ControlTransfers(OperandAccess ops, StackAccess stack) {
        this.ops = ops;
        this.stack = stack;
        this.cpu = ops.cpu;
        this.flags = ops.flags;
    }

    boolean jcc(DecodedInsn d) {
        if (flags.cond(d.sub)) {
            cpu.rip = branchTarget(ops.nextRip + d.imm, d.opSize);
            return false;
        }
        return true;
    }

    void nearTransfer(DecodedInsn d) {
        int os = d.opSize;
        long t = switch (d.op) {
            case Ops.JMP_REL, Ops.CALL_REL -> branchTarget(ops.nextRip + d.imm, os);
            default -> branchTarget(ops.readRm(d, os), os);
        };
        if (d.op == Ops.CALL_REL || d.op == Ops.CALL_E) {
            stack.push(os, ops.nextRip);
        }
        cpu.rip = t;
    }

    void ret(DecodedInsn d) {
        long sp = stack.sp();
        long t = branchTarget(ops.read(SegReg.SS, sp, d.opSize), d.opSize);
        stack.setSp(stack.spPlus(sp, d.opSize + (int) (d.imm & 0xFFFF)));
        cpu.rip = t;
    }

    boolean loop(DecodedInsn d) {
        int as = d.addrSize;
        long count = ops.reg(1, as);
        boolean taken;
        if (d.sub == 3) {
            taken = count == 0;
        } else {
            count = (count - 1) & mask(as);
            taken = count != 0 && (d.sub == 2 || (d.sub == 1) == flags.zf());
        }
        long target = taken ? branchTarget(ops.nextRip + d.imm, d.opSize) : 0;
        if (d.sub != 3) {
            ops.setReg(1, as, count);
        }
        if (taken) {
            cpu.rip = target;
            return false;
        }
        return true;
    }

    /** Masks an IP/EIP/RIP value to the operand size of a branch and checks it against CS. */
    long branchTarget(long target, int opSize) {
        long t = opSize == 2 ? target & 0xFFFF : opSize == 4 ? target & 0xFFFF_FFFFL : target;
        if (cpu.longMode64) {
            if (((t << 16) >> 16) != t) {
                throw CpuException.gp(0);
            }
        } else if (t > cpu.seg[SegReg.CS].highLimit && cpu.protectedMode()) {
            throw CpuException.gp(0);
        }
        return t;
    }
}

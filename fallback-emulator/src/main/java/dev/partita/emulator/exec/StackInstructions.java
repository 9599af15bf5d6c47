package dev.partita.emulator.exec;

import dev.partita.emulator.cpu.ControlBits.RFlags;
import dev.partita.emulator.cpu.CpuException;
import dev.partita.emulator.cpu.CpuState;
import dev.partita.emulator.cpu.SegReg;
import dev.partita.emulator.decoder.DecodedInsn;
import dev.partita.emulator.mmu.Mmu;

/**
 * The stack instructions beyond plain PUSH/POP: POP to a register or memory, PUSHA/POPA,
 * PUSHF/POPF (which may unmask interrupts, so POPF ends the run slice), ENTER and LEAVE. Stack
 * addressing is {@link StackAccess}'s.
 *
 * <p>Owned by the vCPU thread, like its {@link Interpreter}.
 */
final class StackInstructions {
    private final Interpreter interp;
    private final OperandAccess ops;
    private final StackAccess stack;
    private final CpuState cpu;
    private final long[] gpr;
    private final Mmu mmu;
    private final SystemInterface sys;

    StackInstructions(Interpreter interp, OperandAccess ops, StackAccess stack, SystemInterface sys) {
        this.interp = interp;
        this.ops = ops;
        this.stack = stack;
        this.cpu = ops.cpu;
        this.gpr = ops.gpr;
        this.mmu = ops.mmu;
        this.sys = sys;
    }

    void popToRm(DecodedInsn d, int size) {
        long sp = stack.sp();
        long v = ops.read(SegReg.SS, sp, size);
        long newSp = stack.spPlus(sp, size);
        if (d.rm >= 0) {
            stack.setSp(newSp);
            ops.setReg(d.rm, size, v);
        } else {
            // The address is computed with the incremented stack pointer.
            long saved = gpr[4];
            stack.setSp(newSp);
            try {
                ops.write(d.seg, ops.ea(d), size, v);
            } catch (RuntimeException e) {
                gpr[4] = saved;
                throw e;
            }
        }
    }

    void pushAll(int size) {
        long sp = stack.sp();
        long origSp = ops.reg(4, size);
        long s = sp;
        for (int r = 0; r < 8; r++) {
            s = stack.spMinus(s, size);
            ops.write(SegReg.SS, s, size, r == 4 ? origSp : ops.reg(r, size));
        }
        stack.setSp(s);
    }

    void popAll(int size) {
        long s = stack.sp();
        long[] v = new long[8];
        for (int r = 7; r >= 0; r--) {
            v[r] = ops.read(SegReg.SS, s, size);
            s = stack.spPlus(s, size);
        }
        for (int r = 0; r < 8; r++) {
            if (r != 4) {
                ops.setReg(r, size, v[r]);
            }
        }
        stack.setSp(s);
    }

    void pushFlags(int size) {
        if (cpu.v86Mode() && cpu.iopl() < 3) {
            throw CpuException.gp(0);
        }
        long f = cpu.rflags() & ~(RFlags.VM | RFlags.RF);
        stack.push(size, f);
    }

    void popFlags(int size) {
        if (cpu.v86Mode() && cpu.iopl() < 3) {
            throw CpuException.gp(0);
        }
        long sp = stack.sp();
        long v = ops.read(SegReg.SS, sp, size);
        long old = cpu.rflags();
        long changeable = RFlags.ARITH | RFlags.TF | RFlags.DF | RFlags.NT | RFlags.AC | RFlags.ID;
        if (cpu.realMode() || cpu.cpl == 0) {
            changeable |= RFlags.IOPL | RFlags.IF;
        } else if (cpu.cpl <= cpu.iopl()) {
            changeable |= RFlags.IF;
        }
        if (size == 2) {
            changeable &= 0xFFFF;
        }
        long nf = (old & ~changeable) | (v & changeable);
        nf &= ~RFlags.RF;
        stack.setSp(stack.spPlus(sp, size));
        cpu.setRflags(nf);
        interp.endSlice = true;
        sys.afterFlagsChange();
    }

    void enter(int size, int alloc, int level) {
        long sp = stack.sp();
        long bp = stack.framePointer();
        sp = stack.spMinus(sp, size);
        ops.write(SegReg.SS, sp, size, ops.reg(5, size));
        long frame = sp;
        if (level > 0) {
            for (int i = 1; i < level; i++) {
                bp = stack.spMinus(bp, size);
                long v = ops.read(SegReg.SS, bp, size);
                sp = stack.spMinus(sp, size);
                ops.write(SegReg.SS, sp, size, v);
            }
            sp = stack.spMinus(sp, size);
            ops.write(SegReg.SS, sp, size, frame);
        }
        sp = stack.spMinus(sp, alloc);
        // Probe the lowest byte of the new frame like the processor does.
        if (alloc > 0) {
            mmu.probeWrite(SegReg.SS, sp, 1);
        }
        ops.setReg(5, size, frame);
        stack.setSp(sp);
    }

    void leave(DecodedInsn d) {
        int size = d.size;
        long bp = stack.framePointer();
        long v = ops.read(SegReg.SS, bp, size);
        stack.setSp(stack.spPlus(bp, size));
        ops.setReg(5, size, v);
    }
}

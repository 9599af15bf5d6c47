package dev.partita.emulator.exec;

import static dev.partita.emulator.exec.IntegerOps.mask;

import dev.partita.emulator.cpu.CpuException;
import dev.partita.emulator.cpu.CpuState;
import dev.partita.emulator.cpu.SegReg;
import dev.partita.emulator.decoder.DecodedInsn;
import dev.partita.emulator.decoder.Ops;

/**
 * The segment-register instructions of the integer set: PUSH/POP Sreg, MOV to and from a segment
 * register, and LDS/LES/LFS/LGS/LSS. Descriptor loading and its checks belong to the
 * {@link SystemInterface}; loading SS sets the one-instruction interrupt shadow and ends the slice.
 *
 * <p>Owned by the vCPU thread, like its {@link Interpreter}.
 */
final class SegmentInstructions {
    private final Interpreter interp;
    private final OperandAccess ops;
    private final StackAccess stack;
    private final CpuState cpu;
    private final SystemInterface sys;

    SegmentInstructions(Interpreter interp, OperandAccess ops, StackAccess stack, SystemInterface sys) {
        this.interp = interp;
        this.ops = ops;
        this.stack = stack;
        this.cpu = ops.cpu;
        this.sys = sys;
    }

    void segmentOp(DecodedInsn d) {
        int size = d.size;
        switch (d.op) {
            case Ops.PUSH_SEG -> stack.push(size, cpu.seg[d.sub].selector);
            case Ops.POP_SEG -> {
                long sp = stack.sp();
                int sel = (int) ops.read(SegReg.SS, sp, size) & 0xFFFF;
                sys.loadSegment(d.sub, sel);
                stack.setSp(stack.spPlus(sp, size));
                if (d.sub == SegReg.SS) {
                    cpu.interruptShadow = true;
                    interp.endSlice = true;
                }
            }
            case Ops.MOV_E_SEG -> {
                int sel = cpu.seg[d.reg].selector;
                if (d.rm >= 0) {
                    ops.setReg(d.rm, size, sel);
                } else {
                    ops.write(d.seg, ops.ea(d), 2, sel);
                }
            }
            case Ops.MOV_SEG_E -> {
                if (d.reg == SegReg.CS) {
                    throw CpuException.ud();
                }
                sys.loadSegment(d.reg, (int) ops.readRm(d, 2));
                if (d.reg == SegReg.SS) {
                    cpu.interruptShadow = true;
                    interp.endSlice = true;
                }
            }
            default -> {
                long ea = ops.ea(d);
                long off = ops.read(d.seg, ea, size);
                int sel = (int) ops.read(d.seg, (ea + size) & mask(d.addrSize), 2);
                sys.loadSegment(d.sub, sel);
                ops.setReg(d.reg, size, off);
            }
        }
    }
}

package dev.partita.emulator.exec;

import static dev.partita.emulator.exec.IntegerOps.mask;
import static dev.partita.emulator.exec.IntegerOps.sext;

import dev.partita.emulator.cpu.ControlBits.RFlags;
import dev.partita.emulator.cpu.CpuException;
import dev.partita.emulator.cpu.CpuState;
import dev.partita.emulator.cpu.LazyFlags;
import dev.partita.emulator.decoder.DecodedInsn;
import dev.partita.emulator.decoder.Ops;
import dev.partita.emulator.decoder.Ops.Alu;
import dev.partita.emulator.decoder.Ops.Flag;

/**
 * The general-purpose integer instructions that read and write register or memory operands:
 * ALU operations (with LOCK on memory made atomic on RAM), INC/DEC/NOT/NEG, shifts and double
 * shifts, bit scans and counts, BT/BTS/BTR/BTC, sign and zero extension, CBW/CWD, XLAT, MOVBE,
 * CMOVcc, the carry and direction flag instructions, BOUND and ARPL. The arithmetic itself (flags
 * included) is in {@link IntegerOps} and {@link ShiftOps}; this class fetches and stores operands.
 *
 * <p>Owned by the vCPU thread, like its {@link Interpreter}.
 */
final class IntegerInstructions {
    private final OperandAccess ops;
    private final CpuState cpu;
    private final long[] gpr;
    private final LazyFlags flags;

    IntegerInstructions(OperandAccess ops) {
        this.ops = ops;
        this.cpu = ops.cpu;
        this.gpr = ops.gpr;
        this.flags = ops.flags;
    }

    void aluEG(DecodedInsn d) {
        int size = d.size;
        long b = ops.reg(d.reg, size);
        if (d.rm >= 0) {
            long r = IntegerOps.alu(flags, d.sub, size, ops.reg(d.rm, size), b);
            if (d.sub != Alu.CMP) {
                ops.setReg(d.rm, size, r);
            }
        } else {
            aluMemory(d, size, b);
        }
    }

    void aluGE(DecodedInsn d) {
        int size = d.size;
        long r = IntegerOps.alu(flags, d.sub, size, ops.reg(d.reg, size), ops.readRm(d, size));
        if (d.sub != Alu.CMP) {
            ops.setReg(d.reg, size, r);
        }
    }

    void aluEI(DecodedInsn d) {
        int size = d.size;
        if (d.rm >= 0) {
            long r = IntegerOps.alu(flags, d.sub, size, ops.reg(d.rm, size), d.imm);
            if (d.sub != Alu.CMP) {
                ops.setReg(d.rm, size, r);
            }
        } else {
            aluMemory(d, size, d.imm);
        }
    }

    /** Read-modify-write ALU on memory; LOCK makes it atomic on RAM. */
    void aluMemory(DecodedInsn d, int size, long b) {
        long ea = ops.ea(d);
        if (d.sub == Alu.CMP) {
            IntegerOps.alu(flags, Alu.CMP, size, ops.read(d.seg, ea, size), b);
            return;
        }
        if ((d.prefixes & DecodedInsn.P_LOCK) != 0) {
            AtomicRam.Cell cell = AtomicRam.locate(ops, d.seg, ea, size);
            if (cell != null) {
                for (;;) {
                    long old = cell.get();
                    long r = IntegerOps.alu(flags, d.sub, size, old, b);
                    if (cell.compareAndSet(old, r)) {
                        return;
                    }
                }
            }
        }
        long v = ops.readForWrite(d.seg, ea, size);
        long r = IntegerOps.alu(flags, d.sub, size, v, b);
        ops.write(d.seg, ea, size, r);
    }

    void unary(DecodedInsn d, int size) {
        int op = d.op;
        if (d.rm >= 0) {
            long v = ops.reg(d.rm, size);
            ops.setReg(d.rm, size, unaryOp(op, size, v));
            return;
        }
        long ea = ops.ea(d);
        if ((d.prefixes & DecodedInsn.P_LOCK) != 0) {
            AtomicRam.Cell cell = AtomicRam.locate(ops, d.seg, ea, size);
            if (cell != null) {
                for (;;) {
                    long old = cell.get();
                    long r = unaryOp(op, size, old);
                    if (cell.compareAndSet(old, r)) {
                        return;
                    }
                }
            }
        }
        long v = ops.readForWrite(d.seg, ea, size);
        ops.write(d.seg, ea, size, unaryOp(op, size, v));
    }

    long unaryOp(int op, int size, long v) {
        return switch (op) {
            case Ops.INC -> IntegerOps.inc(flags, size, v);
            case Ops.DEC -> IntegerOps.dec(flags, size, v);
            case Ops.NOT -> ~v;
            default -> IntegerOps.neg(flags, size, v);
        };
    }

    void shift(DecodedInsn d) {
        int size = d.size;
        int count = d.op == Ops.SHIFT_I ? (int) d.imm : (int) gpr[1] & 0xFF;
        if (d.rm >= 0) {
            ops.setReg(d.rm, size, ShiftOps.shift(flags, d.sub, size, ops.reg(d.rm, size), count));
        } else {
            long ea = ops.ea(d);
            long v = ops.readForWrite(d.seg, ea, size);
            long r = ShiftOps.shift(flags, d.sub, size, v, count);
            ops.write(d.seg, ea, size, r);
        }
    }

    void doubleShift(DecodedInsn d) {
        int size = d.size;
        int count = d.op == Ops.SHXD_I ? (int) d.imm : (int) gpr[1] & 0xFF;
        long b = ops.reg(d.reg, size);
        if (d.rm >= 0) {
            ops.setReg(d.rm, size, ShiftOps.doubleShift(flags, d.sub == 1, size, ops.reg(d.rm, size), b, count));
        } else {
            long ea = ops.ea(d);
            long v = ops.readForWrite(d.seg, ea, size);
            ops.write(d.seg, ea, size, ShiftOps.doubleShift(flags, d.sub == 1, size, v, b, count));
        }
    }

    void bitCount(DecodedInsn d) {
        int size = d.size;
        switch (d.op) {
            case Ops.BSF, Ops.BSR -> {
                long r = IntegerOps.bitScan(flags, size, ops.readRm(d, size), d.op == Ops.BSR);
                if (r >= 0) {
                    ops.setReg(d.reg, size, r);
                }
            }
            case Ops.TZCNT, Ops.LZCNT -> ops.setReg(d.reg, size,
                    IntegerOps.count(flags, size, ops.readRm(d, size), d.op == Ops.LZCNT));
            case Ops.POPCNT -> ops.setReg(d.reg, size, IntegerOps.popcnt(flags, size, ops.readRm(d, size)));
            default -> ops.setReg(d.rm, size, IntegerOps.bswap(size, ops.reg(d.rm, size)));
        }
    }

    void bitTest(DecodedInsn d, int size) {
        int bits = size << 3;
        long offset = d.op == Ops.BT_EI ? d.imm & 0xFF : ops.reg(d.reg, size);
        int sub = d.sub;
        long v;
        int bit;
        if (d.rm >= 0) {
            bit = (int) (offset & (bits - 1));
            v = ops.reg(d.rm, size);
            long nv = btApply(sub, v, bit);
            if (sub != 0) {
                ops.setReg(d.rm, size, nv);
            }
        } else {
            long ea = ops.ea(d);
            if (d.op == Ops.BT_EG) {
                long signedOff = sext(offset, size);
                ea = (ea + (signedOff >> (size == 8 ? 6 : size == 4 ? 5 : 4)) * size) & mask(d.addrSize);
            }
            bit = (int) (offset & (bits - 1));
            if (sub != 0 && (d.prefixes & DecodedInsn.P_LOCK) != 0) {
                AtomicRam.Cell cell = AtomicRam.locate(ops, d.seg, ea, size);
                if (cell != null) {
                    for (;;) {
                        long old = cell.get();
                        if (cell.compareAndSet(old, btApply(sub, old, bit))) {
                            v = old;
                            break;
                        }
                    }
                    setBtFlags(v, bit);
                    return;
                }
            }
            v = sub != 0 ? ops.readForWrite(d.seg, ea, size) : ops.read(d.seg, ea, size);
            if (sub != 0) {
                ops.write(d.seg, ea, size, btApply(sub, v, bit));
            }
        }
        setBtFlags(v, bit);
    }

    void setBtFlags(long v, int bit) {
        // CF = the selected bit; OF, SF, AF, PF undefined (kept), ZF kept.
        flags.merge(LazyFlags.CF, ((v >>> bit) & 1) != 0 ? LazyFlags.CF : 0);
    }

    static long btApply(int sub, long v, int bit) {
        return switch (sub) {
            case 1 -> v | (1L << bit);
            case 2 -> v & ~(1L << bit);
            case 3 -> v ^ (1L << bit);
            default -> v;
        };
    }

    void movsx(DecodedInsn d) {
        int from = Math.min(d.sub, d.size);
        ops.setReg(d.reg, d.size, sext(ops.readRm(d, from), from));
    }

    void convert(DecodedInsn d) {
        int size = d.size;
        switch (d.op) {
            case Ops.CBW -> {
                int half = size >> 1;
                ops.setReg(0, size, sext(ops.reg(0, half), half));
            }
            case Ops.CWD -> ops.setReg(2, size, sext(ops.reg(0, size), size) < 0 ? -1 : 0);
            case Ops.XLAT -> {
                long a = (gpr[3] + (gpr[0] & 0xFF)) & mask(d.addrSize);
                ops.setReg(0, 1, ops.read(d.seg, a, 1));
            }
            default -> {
                if (d.sub == 0) {
                    ops.setReg(d.reg, size, byteSwap(size, ops.read(d.seg, ops.ea(d), size)));
                } else {
                    ops.write(d.seg, ops.ea(d), size, byteSwap(size, ops.reg(d.reg, size)));
                }
            }
        }
    }

    static long byteSwap(int size, long v) {
        return switch (size) {
            case 2 -> Short.reverseBytes((short) v) & 0xFFFF;
            case 4 -> Integer.reverseBytes((int) v) & 0xFFFF_FFFFL;
            default -> Long.reverseBytes(v);
        };
    }

    void cmov(DecodedInsn d) {
        int size = d.size;
        long v = ops.readRm(d, size);
        if (flags.cond(d.sub)) {
            ops.setReg(d.reg, size, v);
        } else if (size == 4) {
            gpr[d.reg] &= 0xFFFF_FFFFL;
        }
    }

    void flagOp(int sub) {
        switch (sub) {
            case Flag.CLC -> flags.merge(LazyFlags.CF, 0);
            case Flag.STC -> flags.merge(LazyFlags.CF, LazyFlags.CF);
            case Flag.CMC -> flags.merge(LazyFlags.CF, flags.cf() ? 0 : LazyFlags.CF);
            case Flag.CLD -> cpu.rflagsSystem &= ~RFlags.DF;
            default -> cpu.rflagsSystem |= RFlags.DF;
        }
    }

    void bound(DecodedInsn d, int size) {
        long ea = ops.ea(d);
        long lower = sext(ops.read(d.seg, ea, size), size);
        long upper = sext(ops.read(d.seg, (ea + size) & mask(d.addrSize), size), size);
        long idx = sext(ops.reg(d.reg, size), size);
        if (idx < lower || idx > upper) {
            throw CpuException.of(dev.partita.emulator.cpu.Vectors.BR);
        }
    }

    void arpl(DecodedInsn d) {
        if (!cpu.protectedMode()) {
            throw CpuException.ud();
        }
        long dst = ops.readRm(d, 2);
        long src = ops.reg(d.reg, 2);
        if ((dst & 3) < (src & 3)) {
            ops.writeRm(d, 2, (dst & ~3L) | (src & 3));
            flags.merge(LazyFlags.ZF, LazyFlags.ZF);
        } else {
            flags.merge(LazyFlags.ZF, 0);
        }
    }
}

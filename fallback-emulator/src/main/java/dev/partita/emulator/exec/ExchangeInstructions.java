package dev.partita.emulator.exec;

import static dev.partita.emulator.exec.IntegerOps.mask;

import dev.partita.emulator.cpu.CpuException;
import dev.partita.emulator.cpu.LazyFlags;
import dev.partita.emulator.decoder.DecodedInsn;
import dev.partita.emulator.decoder.Ops.Alu;
import dev.partita.emulator.mmu.Mmu;

/**
 * The exchanging instructions: XCHG (always atomic on memory), CMPXCHG and XADD (atomic with LOCK),
 * and CMPXCHG8B/CMPXCHG16B. Atomicity comes from {@link AtomicRam} when the operand lies in RAM;
 * otherwise (MMIO) the read and write go through the MMU in order.
 *
 * <p>Owned by the vCPU thread, like its {@link Interpreter}.
 */
final class ExchangeInstructions {
    private final OperandAccess ops;
    private final long[] gpr;
    private final LazyFlags flags;
    private final Mmu mmu;

    ExchangeInstructions(OperandAccess ops) {
        this.ops = ops;
        this.gpr = ops.gpr;
        this.flags = ops.flags;
        this.mmu = ops.mmu;
    }

    void exchange(DecodedInsn d, int size) {
        long a = ops.reg(d.reg, size);
        if (d.rm >= 0) {
            long b = ops.reg(d.rm, size);
            ops.setReg(d.rm, size, a);
            ops.setReg(d.reg, size, b);
            return;
        }
        long ea = ops.ea(d);
        AtomicRam.Cell cell = AtomicRam.locate(ops, d.seg, ea, size);
        long old;
        if (cell != null) {
            old = cell.getAndSet(a);
        } else {
            old = ops.readForWrite(d.seg, ea, size);
            ops.write(d.seg, ea, size, a);
        }
        ops.setReg(d.reg, size, old);
    }

    void compareExchange(DecodedInsn d, int size) {
        long src = ops.reg(d.reg, size);
        long acc = ops.reg(0, size);
        if (d.rm >= 0) {
            long dst = ops.reg(d.rm, size);
            IntegerOps.alu(flags, Alu.CMP, size, acc, dst);
            if (((acc ^ dst) & mask(size)) == 0) {
                ops.setReg(d.rm, size, src);
            } else {
                ops.setReg(0, size, dst);
            }
            return;
        }
        long ea = ops.ea(d);
        if ((d.prefixes & DecodedInsn.P_LOCK) != 0) {
            AtomicRam.Cell cell = AtomicRam.locate(ops, d.seg, ea, size);
            if (cell != null) {
                long witness = cell.compareAndExchange(acc, src);
                IntegerOps.alu(flags, Alu.CMP, size, acc, witness);
                if (witness != acc) {
                    ops.setReg(0, size, witness);
                }
                return;
            }
        }
        long dst = ops.readForWrite(d.seg, ea, size);
        IntegerOps.alu(flags, Alu.CMP, size, acc, dst);
        if (dst == acc) {
            ops.write(d.seg, ea, size, src);
        } else {
            ops.write(d.seg, ea, size, dst); // the processor always writes the destination
            ops.setReg(0, size, dst);
        }
    }

    void exchangeAdd(DecodedInsn d, int size) {
        long src = ops.reg(d.reg, size);
        if (d.rm >= 0) {
            long dst = ops.reg(d.rm, size);
            long sum = IntegerOps.alu(flags, Alu.ADD, size, dst, src);
            ops.setReg(d.reg, size, dst);
            ops.setReg(d.rm, size, sum);
            return;
        }
        long ea = ops.ea(d);
        if ((d.prefixes & DecodedInsn.P_LOCK) != 0) {
            AtomicRam.Cell cell = AtomicRam.locate(ops, d.seg, ea, size);
            if (cell != null) {
                long old = cell.getAndAdd(src);
                IntegerOps.alu(flags, Alu.ADD, size, old, src);
                ops.setReg(d.reg, size, old);
                return;
            }
        }
        long dst = ops.readForWrite(d.seg, ea, size);
        long sum = IntegerOps.alu(flags, Alu.ADD, size, dst, src);
        ops.write(d.seg, ea, size, sum);
        ops.setReg(d.reg, size, dst);
    }

    /** CMPXCHG8B (size 4) / CMPXCHG16B (size 8, 16-byte aligned or #GP). */
    void compareExchangeDouble(DecodedInsn d, int size) {
        long ea = ops.ea(d);
        if (size == 8 && (ea & 15) != 0) {
            throw CpuException.gp(0);
        }
        long m = mask(size);
        mmu.probeWrite(d.seg, ea, 2 * size);
        long lo = ops.read(d.seg, ea, size);
        long hi = ops.read(d.seg, (ea + size) & mask(d.addrSize), size);
        boolean equal = lo == (gpr[0] & m) && hi == (gpr[2] & m);
        if (equal) {
            ops.write(d.seg, ea, size, gpr[3]);
            ops.write(d.seg, (ea + size) & mask(d.addrSize), size, gpr[1]);
        } else {
            ops.write(d.seg, ea, size, lo);
            ops.write(d.seg, (ea + size) & mask(d.addrSize), size, hi);
            ops.setReg(0, size, lo);
            ops.setReg(2, size, hi);
        }
        flags.merge(LazyFlags.ZF, equal ? LazyFlags.ZF : 0);
    }
}

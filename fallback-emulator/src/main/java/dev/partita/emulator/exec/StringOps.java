package dev.partita.emulator.exec;

import static dev.partita.emulator.exec.IntegerOps.mask;

import dev.partita.emulator.cpu.ControlBits.RFlags;
import dev.partita.emulator.cpu.SegReg;
import dev.partita.emulator.decoder.DecodedInsn;
import dev.partita.emulator.decoder.Ops;
import dev.partita.emulator.decoder.Ops.Alu;

/**
 * String instructions (MOVS, CMPS, STOS, LODS, SCAS, INS, OUTS) with REP/REPE/REPNE in 16-, 32- and
 * 64-bit address sizes. The source is {@code seg:rSI} (segment override allowed), the destination
 * {@code ES:rDI}. With a repeat prefix, each element is committed (rSI, rDI, rCX) before the next
 * one, so a fault or exit in the middle restarts at the right element; at most
 * {@link #ELEMENTS_PER_STEP} elements run per execution, then the instruction is left pending (RIP
 * unchanged) so interrupts can be taken between slices, as on real processors.
 */
final class StringOps {

    /** Elements processed before a REP instruction yields to the interpreter loop. */
    static final int ELEMENTS_PER_STEP = 4096;

    private final Interpreter in;

    StringOps(Interpreter in) {
        this.in = in;
    }

    /** Executes one string instruction; returns true when RIP should advance. */
    boolean execute(DecodedInsn d) {
        int op = d.op;
        boolean rep = (d.prefixes & (DecodedInsn.P_REP | DecodedInsn.P_REPNE)) != 0;
        if (!rep) {
            element(d, op);
            return true;
        }
        int as = d.addrSize;
        boolean conditional = op == Ops.CMPS || op == Ops.SCAS;
        boolean repe = (d.prefixes & DecodedInsn.P_REP) != 0;
        for (int n = 0; n < ELEMENTS_PER_STEP; n++) {
            long count = in.reg(1, as);
            if (count == 0) {
                return true;
            }
            element(d, op);
            in.setReg(1, as, (count - 1) & mask(as));
            in.sys.stringElementDone();
            if (conditional && in.flags.zf() != repe) {
                return true;
            }
        }
        return in.reg(1, as) == 0;
    }

    private void element(DecodedInsn d, int op) {
        int size = d.size;
        int as = d.addrSize;
        long am = mask(as);
        long delta = (in.cpu.rflagsSystem & RFlags.DF) != 0 ? -size : size;
        long si = in.reg(6, as);
        long di = in.reg(7, as);
        switch (op) {
            case Ops.MOVS -> {
                long v = in.read(d.seg, si, size);
                in.write(SegReg.ES, di, size, v);
                in.setReg(6, as, (si + delta) & am);
                in.setReg(7, as, (di + delta) & am);
            }
            case Ops.CMPS -> {
                long a = in.read(d.seg, si, size);
                long b = in.read(SegReg.ES, di, size);
                IntegerOps.alu(in.flags, Alu.CMP, size, a, b);
                in.setReg(6, as, (si + delta) & am);
                in.setReg(7, as, (di + delta) & am);
            }
            case Ops.STOS -> {
                in.write(SegReg.ES, di, size, in.reg(0, size));
                in.setReg(7, as, (di + delta) & am);
            }
            case Ops.LODS -> {
                long v = in.read(d.seg, si, size);
                in.setReg(0, size, v);
                in.setReg(6, as, (si + delta) & am);
            }
            case Ops.SCAS -> {
                long b = in.read(SegReg.ES, di, size);
                IntegerOps.alu(in.flags, Alu.CMP, size, in.reg(0, size), b);
                in.setReg(7, as, (di + delta) & am);
            }
            case Ops.INS -> {
                in.mmu.probeWrite(SegReg.ES, di, size);
                long v = in.sys.in((int) in.gpr[2] & 0xFFFF, size);
                in.write(SegReg.ES, di, size, v);
                in.setReg(7, as, (di + delta) & am);
            }
            default -> {
                long v = in.read(d.seg, si, size);
                in.sys.out((int) in.gpr[2] & 0xFFFF, size, v);
                in.setReg(6, as, (si + delta) & am);
            }
        }
    }
}

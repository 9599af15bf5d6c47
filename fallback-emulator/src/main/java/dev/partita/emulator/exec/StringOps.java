package dev.partita.emulator.exec;

import static dev.partita.emulator.exec.IntegerOps.mask;

import dev.partita.emulator.cpu.ControlBits.RFlags;
import dev.partita.emulator.cpu.CpuException;
import dev.partita.emulator.cpu.SegReg;
import dev.partita.emulator.cpu.Vectors;
import dev.partita.emulator.decoder.DecodedInsn;
import dev.partita.emulator.decoder.Ops;
import dev.partita.emulator.decoder.Ops.Alu;
import dev.partita.emulator.mmu.Mmu;
import dev.partita.emulator.mmu.PhysicalMemory;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * String instructions (MOVS, CMPS, STOS, LODS, SCAS, INS, OUTS) with REP/REPE/REPNE in 16-, 32- and
 * 64-bit address sizes. The source is {@code seg:rSI} (segment override allowed), the destination
 * {@code ES:rDI}. With a repeat prefix, each element is committed (rSI, rDI, rCX) before the next
 * one, so a fault or exit in the middle restarts at the right element; at most
 * {@link #ELEMENTS_PER_STEP} elements run per execution, then the instruction is left pending (RIP
 * unchanged) so interrupts can be taken between slices, as on real processors. REP STOS and REP
 * MOVS run page-sized chunks as bulk host-memory fills and copies where that is exact.
 */
final class StringOps {

    /** Elements processed before a REP instruction yields to the interpreter loop. */
    static final int ELEMENTS_PER_STEP = 4096;

    private final OperandAccess in;
    private final SystemInterface sys;

    StringOps(OperandAccess in, SystemInterface sys) {
        this.in = in;
        this.sys = sys;
    }

    /** Executes one string instruction; returns true when RIP should advance. */
    boolean execute(DecodedInsn d) {
        int op = d.op;
        if (op == Ops.INS || op == Ops.OUTS) {
            sys.checkIoPermission((int) in.gpr[2] & 0xFFFF, d.size); // #GP(0) before memory and RCX
        }
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
            if ((op == Ops.STOS || op == Ops.MOVS) && count > 1) {
                long done = bulk(d, op, count);
                if (done > 0) {
                    in.setReg(1, as, (count - done) & mask(as));
                    sys.stringElementDone();
                    continue;
                }
            }
            element(d, op);
            in.setReg(1, as, (count - 1) & mask(as));
            sys.stringElementDone();
            if (conditional && in.flags.zf() != repe) {
                return true;
            }
        }
        return in.reg(1, as) == 0;
    }

    /**
     * Fast path for REP STOS / REP MOVS with DF=0: processes the elements that stay within one page
     * of the destination (and of the source) as one bulk fill or copy of host memory. Applies only
     * to aligned elements in writable RAM without decoded code, with non-overlapping source and
     * destination; returns the number of elements done, or 0 to use the element-by-element path.
     * Segmentation and paging checks are those of the whole range, done before anything is written.
     */
    private long bulk(DecodedInsn d, int op, long count) {
        if ((in.cpu.rflagsSystem & RFlags.DF) != 0) {
            return 0;
        }
        int size = d.size;
        int as = d.addrSize;
        long di = in.reg(7, as);
        long room = (DecodeCache.PAGE_SIZE - (di & (DecodeCache.PAGE_SIZE - 1))) / size;
        long si = 0;
        if (op == Ops.MOVS) {
            si = in.reg(6, as);
            room = Math.min(room, (DecodeCache.PAGE_SIZE - (si & (DecodeCache.PAGE_SIZE - 1))) / size);
        }
        long n = Math.min(count, room);
        if (n < 2 || as != 8 && (di + n * size > mask(as) || si + n * size > mask(as))) {
            return 0;
        }
        Mmu mmu = in.mmu;
        boolean user = in.cpu.cpl == 3;
        long bytes = n * size;
        long dLin = mmu.linear(SegReg.ES, di, (int) bytes, Mmu.WRITE);
        if ((dLin & (size - 1)) != 0 || ((dLin & 0xFFF) + bytes) > DecodeCache.PAGE_SIZE) {
            return 0;
        }
        PhysicalMemory pm = mmu.memory();
        long dPhys = mmu.translate(dLin, Mmu.WRITE, user);
        int dRegion = pm.regionOf(dPhys);
        if (dRegion < 0 || pm.regionReadOnly(dRegion) || pm.isCode(dPhys)) {
            return 0;
        }
        MemorySegment dSeg = pm.regionSegment(dRegion);
        long dOff = dPhys - pm.regionStart(dRegion);
        if (dOff + bytes > dSeg.byteSize()) {
            return 0;
        }
        if (op == Ops.STOS) {
            long v = in.reg(0, size);
            fill(dSeg, dOff, n, size, v);
            in.setReg(7, as, (di + bytes) & mask(as));
            return n;
        }
        long sLin = mmu.linear(d.seg, si, (int) bytes, Mmu.READ);
        if (((sLin & 0xFFF) + bytes) > DecodeCache.PAGE_SIZE) {
            return 0;
        }
        long sPhys = mmu.translate(sLin, Mmu.READ, user);
        int sRegion = pm.regionOf(sPhys);
        if (sRegion < 0) {
            return 0;
        }
        MemorySegment sSeg = pm.regionSegment(sRegion);
        long sOff = sPhys - pm.regionStart(sRegion);
        if (sOff + bytes > sSeg.byteSize() || sRegion == dRegion && sOff < dOff + bytes && dOff < sOff + bytes) {
            return 0; // overlapping copies have element-by-element semantics
        }
        MemorySegment.copy(sSeg, sOff, dSeg, dOff, bytes);
        in.setReg(6, as, (si + bytes) & mask(as));
        in.setReg(7, as, (di + bytes) & mask(as));
        return n;
    }

    private static void fill(MemorySegment seg, long off, long n, int size, long v) {
        if (size == 1 || v == 0 || v == -1L && size == 8) {
            seg.asSlice(off, n * size).fill((byte) v);
            return;
        }
        switch (size) {
            case 2 -> {
                for (long i = 0; i < n; i++) {
                    seg.set(ValueLayout.JAVA_SHORT_UNALIGNED, off + 2 * i, (short) v);
                }
            }
            case 4 -> {
                for (long i = 0; i < n; i++) {
                    seg.set(ValueLayout.JAVA_INT_UNALIGNED, off + 4 * i, (int) v);
                }
            }
            default -> {
                for (long i = 0; i < n; i++) {
                    seg.set(ValueLayout.JAVA_LONG_UNALIGNED, off + 8 * i, v);
                }
            }
        }
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
                long b;
                try {
                    b = in.read(SegReg.ES, di, size); // the host reads ES:rDI first (fault order)
                } catch (CpuException e) {
                    // Measured on this AMD host: with REP, a fault on DS:rSI wins over a #GP/#SS on
                    // ES:rDI (not over a #PF there); without REP the ES:rDI fault is reported.
                    if (e.vector() == Vectors.PF || (d.prefixes & (DecodedInsn.P_REP | DecodedInsn.P_REPNE)) == 0) {
                        throw e;
                    }
                    in.read(d.seg, si, size);
                    throw e;
                }
                long a = in.read(d.seg, si, size);
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
                long v = sys.in((int) in.gpr[2] & 0xFFFF, size);
                in.write(SegReg.ES, di, size, v);
                in.setReg(7, as, (di + delta) & am);
            }
            default -> {
                long v = in.read(d.seg, si, size);
                sys.out((int) in.gpr[2] & 0xFFFF, size, v);
                in.setReg(6, as, (si + delta) & am);
            }
        }
    }
}

package dev.partita.emulator.exec;

import dev.partita.emulator.cpu.CpuException;
import dev.partita.emulator.cpu.LazyFlags;
import dev.partita.emulator.decoder.DecodedInsn;
import dev.partita.emulator.decoder.Ops;

/**
 * Decimal and ASCII adjust instructions (DAA, DAS, AAA, AAS, AAM, AAD) and SALC, which real-mode
 * code uses; invalid in 64-bit mode (the decoder rejects them there). Flags the SDM leaves undefined
 * are set from AL's value (SF, ZF, PF) and cleared (OF) as the 64-bit-era processors do. Stateless.
 */
final class BcdOps {
    private BcdOps() {
    }

    static void execute(OperandAccess in, DecodedInsn d) {
        long[] gpr = in.gpr;
        LazyFlags f = in.flags;
        int al = (int) gpr[0] & 0xFF;
        int ah = (int) (gpr[0] >>> 8) & 0xFF;
        boolean cf = f.cf();
        boolean af = f.af();
        switch (d.op) {
            case Ops.DAA -> {
                int r = al;
                boolean ncf = false;
                boolean naf = false;
                if ((al & 0xF) > 9 || af) {
                    r = al + 6;
                    ncf = cf || r > 0xFF;
                    naf = true;
                }
                if (al > 0x99 || cf) {
                    r += 0x60;
                    ncf = true;
                }
                r &= 0xFF;
                setAl(gpr, r);
                f.load(szp(r) | (ncf ? LazyFlags.CF : 0) | (naf ? LazyFlags.AF : 0));
            }
            case Ops.DAS -> {
                int r = al;
                boolean ncf = false;
                boolean naf = false;
                if ((al & 0xF) > 9 || af) {
                    r = al - 6;
                    ncf = cf || al < 6;
                    naf = true;
                }
                if (al > 0x99 || cf) {
                    r -= 0x60;
                    ncf = true;
                }
                r &= 0xFF;
                setAl(gpr, r);
                f.load(szp(r) | (ncf ? LazyFlags.CF : 0) | (naf ? LazyFlags.AF : 0));
            }
            case Ops.AAA, Ops.AAS -> {
                boolean adjust = (al & 0xF) > 9 || af;
                int ax = (int) gpr[0] & 0xFFFF;
                if (adjust) {
                    // SDM: AAA adds 106h to AX; AAS subtracts 6 from AX, then 1 from AH.
                    ax = d.op == Ops.AAA ? ax + 0x106 : ax - 6 - 0x100;
                }
                ax &= 0xFF0F;
                gpr[0] = (gpr[0] & ~0xFFFFL) | ax;
                f.load(szp(ax & 0xFF) | (adjust ? LazyFlags.CF | LazyFlags.AF : 0));
            }
            case Ops.AAM -> {
                int base = (int) d.imm & 0xFF;
                if (base == 0) {
                    throw CpuException.de();
                }
                int nah = al / base;
                int nal = al % base;
                gpr[0] = (gpr[0] & ~0xFFFFL) | (nah << 8) | nal;
                f.load(szp(nal));
            }
            case Ops.AAD -> {
                int base = (int) d.imm & 0xFF;
                int nal = (al + ah * base) & 0xFF;
                gpr[0] = (gpr[0] & ~0xFFFFL) | nal;
                f.load(szp(nal));
            }
            default -> setAl(gpr, cf ? 0xFF : 0); // SALC
        }
    }

    private static void setAl(long[] gpr, int v) {
        gpr[0] = (gpr[0] & ~0xFFL) | (v & 0xFF);
    }

    private static int szp(int v) {
        return (v == 0 ? LazyFlags.ZF : 0) | ((v & 0x80) != 0 ? LazyFlags.SF : 0)
                | ((Integer.bitCount(v & 0xFF) & 1) == 0 ? LazyFlags.PF : 0);
    }
}

package dev.partita.emulator.diff.gen;

import static dev.partita.emulator.diff.gen.Emit.AF;
import static dev.partita.emulator.diff.gen.Emit.ALL;
import static dev.partita.emulator.diff.gen.Emit.OF;

import dev.partita.emulator.diff.asm.Operand;
import dev.partita.emulator.diff.asm.Operand.Imm;
import dev.partita.emulator.diff.asm.Operand.Reg;

/** SHLD/SHRD r/m16/32/64, r, imm8|CL (0F A4/A5/AC/AD) with edge counts. */
final class DoubleShiftFamily implements Family {
    @Override
    public String name() {
        return "dshift";
    }

    @Override
    public void emit(GenContext g) {
        int w = Emit.width(g, 2);
        int bits = 8 * w;
        boolean left = g.rng.nextBoolean();
        boolean byCl = g.rng.nextBoolean();
        if (byCl) {
            g.reserve(1);
        }
        Operand dst = Emit.rm(g, w, false);
        Reg src = g.pickReg(w);
        g.setEdge(src);
        String mn = left ? "shld" : "shrd";
        int count = ShiftFamily.count(g, bits);
        if (byCl) {
            g.set(1, (g.get(1) & ~0xFFL) | count);
            g.asm.op(mn, 0x0F, left ? 0xA5 : 0xAD).size(w).reg(src).rm(dst).show(dst, src, new Reg(1, 1, false)).emit();
        } else {
            g.asm.op(mn, 0x0F, left ? 0xA4 : 0xAC).size(w).reg(src).rm(dst).imm(count, 1)
                    .show(dst, src, new Imm(count)).emit();
        }
        g.form(mn + " " + Emit.kind(dst) + Emit.sz(w) + ",r," + (byCl ? "cl" : "imm8"));
        int masked = count & (w == 8 ? 63 : 31);
        if (byCl && g.isSequence()) {
            // CL may have changed: count 0 keeps the flags (maybe undefined ones), else assume the worst.
            if (w == 2) {
                g.undefinedResult();
            }
            g.flagOp(0, ALL, g.undefinedNow() | (w == 2 ? ALL : AF | OF));
            return;
        }
        if (masked == 0) {
            g.flagOp(0, 0, 0);
        } else if (masked > bits) {
            g.undefinedResult();
            g.flagOp(0, ALL, ALL);
        } else {
            g.flagOp(0, ALL, AF | (masked == 1 ? 0 : OF));
        }
    }
}

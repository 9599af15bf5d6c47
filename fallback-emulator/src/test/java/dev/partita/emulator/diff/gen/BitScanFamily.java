package dev.partita.emulator.diff.gen;

import static dev.partita.emulator.diff.gen.Emit.AF;
import static dev.partita.emulator.diff.gen.Emit.ALL;
import static dev.partita.emulator.diff.gen.Emit.CF;
import static dev.partita.emulator.diff.gen.Emit.OF;
import static dev.partita.emulator.diff.gen.Emit.PF;
import static dev.partita.emulator.diff.gen.Emit.SF;

import dev.partita.emulator.diff.asm.Operand;
import dev.partita.emulator.diff.asm.Operand.Reg;

/**
 * BSF/BSR (0F BC/BD) and, in the {@code counts} variant, TZCNT/LZCNT/POPCNT (F3 0F BC/BD/B8; BMI1,
 * ABM and POPCNT must be advertised by the emulator for these to be compared).
 */
final class BitScanFamily implements Family {
    private final boolean counts;

    BitScanFamily(boolean counts) {
        this.counts = counts;
    }

    @Override
    public String name() {
        return counts ? "bitcount" : "bitscan";
    }

    @Override
    public void emit(GenContext g) {
        int w = Emit.width(g, 2);
        Operand src = Emit.rm(g, w, false);
        long srcValue = g.lastRmValue;
        Reg dst = g.pickReg(w);
        g.setEdge(dst);
        if (src instanceof Reg r && r.num() == dst.num()) {
            srcValue = g.get(dst.num());
        }
        g.lastRmValue = srcValue;
        int which = g.rng.nextInt(counts ? 3 : 2);
        String mn;
        int opcode;
        if (!counts) {
            mn = which == 0 ? "bsf" : "bsr";
            opcode = which == 0 ? 0xBC : 0xBD;
        } else {
            mn = which == 0 ? "tzcnt" : which == 1 ? "lzcnt" : "popcnt";
            opcode = which == 0 ? 0xBC : which == 1 ? 0xBD : 0xB8;
        }
        var i = g.asm.op(mn, 0x0F, opcode).size(w).reg(dst).rm(src).show(dst, src);
        if (counts) {
            i.prefix(0xF3);
        }
        i.emit();
        g.form(mn + " r" + Emit.sz(w) + "," + Emit.kind(src));
        if (!counts) {
            // Source 0: the SDM leaves the destination undefined (this host keeps it).
            long v = g.lastRmValue;
            if ((v & Emit.mask(w)) == 0 || g.isSequence()) {
                g.undefinedResult();
            }
            g.flagOp(0, ALL, CF | OF | SF | AF | PF);
        } else {
            g.flagOp(0, ALL, which == 2 ? 0 : OF | SF | AF | PF);
        }
    }
}

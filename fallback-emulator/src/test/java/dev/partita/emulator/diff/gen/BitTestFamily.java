package dev.partita.emulator.diff.gen;

import static dev.partita.emulator.diff.gen.Emit.AF;
import static dev.partita.emulator.diff.gen.Emit.CF;
import static dev.partita.emulator.diff.gen.Emit.OF;
import static dev.partita.emulator.diff.gen.Emit.PF;
import static dev.partita.emulator.diff.gen.Emit.SF;

import dev.partita.emulator.diff.asm.Operand;
import dev.partita.emulator.diff.asm.Operand.Imm;
import dev.partita.emulator.diff.asm.Operand.Mem;
import dev.partita.emulator.diff.asm.Operand.Reg;

/**
 * BT/BTS/BTR/BTC with a register bit offset (0F A3/AB/B3/BB; on memory the offset is signed and
 * reaches beyond the operand) and with imm8 (0F BA /4-7, offset taken modulo the width), LOCK on
 * memory for the writing forms.
 */
final class BitTestFamily implements Family {
    private static final String[] NAMES = {"bt", "bts", "btr", "btc"};
    private static final int[] REG_OPCODE = {0xA3, 0xAB, 0xB3, 0xBB};
    /** Bytes either side of the operand a register bit offset may reach on memory. */
    private static final int REACH = 256;

    @Override
    public String name() {
        return "bittest";
    }

    @Override
    public void emit(GenContext g) {
        int w = Emit.width(g, 2);
        int bits = 8 * w;
        int op = g.rng.nextInt(4);
        String mn = NAMES[op];
        boolean immForm = g.rng.nextInt(3) == 0;
        boolean onMem = g.rng.nextBoolean();
        Operand dst;
        if (onMem && !immForm) {
            Mem m = g.memWithin(w, w, REACH, dev.partita.emulator.diff.DiffLayout.DATA_SIZE - REACH, true);
            if (g.rng.nextInt(2) == 0) {
                Emit.preload(g, m);
            }
            dst = m;
        } else if (onMem) {
            dst = g.mem(w);
        } else {
            Reg r = g.pickReg(w);
            g.setEdge(r);
            dst = r;
        }
        String key;
        if (immForm) {
            int imm = g.rng.nextInt(4) == 0 ? g.rng.nextInt(256) : g.rng.nextInt(bits);
            var i = g.asm.op(mn, 0x0F, 0xBA).size(w).ext(4 + op).rm(dst).imm(imm, 1).show(dst, new Imm(imm));
            if (op != 0 && dst instanceof Mem && g.rng.nextInt(4) == 0) {
                i.prefix(0xF0);
            }
            i.emit();
            key = mn + " " + Emit.kind(dst) + Emit.sz(w) + ",imm8";
        } else {
            Reg off = g.pickReg(w);
            long v;
            if (dst instanceof Mem) {
                v = g.rng.nextInt(-REACH * 8 + bits, REACH * 8 - bits);
            } else {
                v = g.rng.nextInt(3) == 0 ? g.edgeValue(w) : g.rng.nextInt(bits);
            }
            g.set(off, v);
            var i = g.asm.op(mn, 0x0F, REG_OPCODE[op]).size(w).reg(off).rm(dst).show(dst, off);
            if (op != 0 && dst instanceof Mem && g.rng.nextInt(4) == 0) {
                i.prefix(0xF0);
            }
            i.emit();
            key = mn + " " + Emit.kind(dst) + Emit.sz(w) + ",r";
        }
        g.form(key);
        g.flagOp(0, CF | OF | SF | AF | PF, OF | SF | AF | PF);
    }
}

package dev.partita.emulator.diff.gen;

import static dev.partita.emulator.diff.gen.Emit.AF;
import static dev.partita.emulator.diff.gen.Emit.ALL;
import static dev.partita.emulator.diff.gen.Emit.PF;
import static dev.partita.emulator.diff.gen.Emit.SF;
import static dev.partita.emulator.diff.gen.Emit.ZF;

import dev.partita.emulator.diff.asm.Operand;
import dev.partita.emulator.diff.asm.Operand.Reg;

/**
 * MUL/IMUL/DIV/IDIV r/m (F6/F7 /4-/7) with dividends chosen to give quotients in range, quotient
 * overflow (#DE) and division by zero (#DE); IMUL r, r/m (0F AF), IMUL r, r/m, imm8|imm (6B/69).
 */
final class MulDivFamily implements Family {
    private static final String[] NAMES = {"mul", "imul", "div", "idiv"};

    @Override
    public String name() {
        return "muldiv";
    }

    @Override
    public void emit(GenContext g) {
        int kind = g.rng.nextInt(6);
        if (kind >= 4) {
            imulForms(g, kind == 5);
            return;
        }
        int w = Emit.width(g, 1);
        String mn = NAMES[kind];
        g.reserve(0, 2);
        Operand src;
        if (g.rng.nextInt(10) == 0) {
            src = new Reg(g.rng.nextBoolean() ? 0 : 2, w, false); // the implicit registers themselves
        } else {
            src = Emit.rm(g, w, false);
        }
        if (src instanceof Reg r && (r.num() == 0 || r.num() == 2) && !r.high()) {
            g.set(r, g.edgeValue(w));
        }
        long divisor;
        if (src instanceof Reg r) {
            divisor = r.high() ? (g.get(r.num() - 4) >>> 8) : g.get(r.num());
        } else {
            divisor = g.lastRmValue;
        }
        divisor &= Emit.mask(w);
        if (kind >= 2 && !(src instanceof Reg r0 && (r0.num() == 0 || r0.num() == 2))) {
            setDividend(g, w, divisor, kind == 3);
        } else if (kind < 2) {
            g.set(new Reg(0, w, false), g.edgeValue(w));
        }
        g.asm.op(mn, w == 1 ? 0xF6 : 0xF7).size(w).ext(4 + kind).rm(src).show(src).emit();
        g.form(mn + " " + Emit.kind(src) + Emit.sz(w));
        if (kind < 2) {
            g.flagOp(0, ALL, SF | ZF | AF | PF);
        } else {
            g.flagOp(0, ALL, ALL);
        }
    }

    /** Sets the dividend (AX, DX:AX, EDX:EAX or RDX:RAX) for a divisor: mostly in range, sometimes not. */
    private static void setDividend(GenContext g, int w, long divisor, boolean signed) {
        int bits = 8 * w;
        long mask = Emit.mask(w);
        long lo = g.edgeValue(w) & mask;
        long hi;
        int pick = g.rng.nextInt(8);
        if (pick == 0) {
            hi = g.edgeValue(w) & mask; // anything: often #DE
        } else if (signed) {
            // Sign extension of lo (quotient fits unless divisor is 0 or lo = MIN with divisor -1).
            long sx = (lo << (64 - bits)) >> (64 - bits);
            hi = sx < 0 ? mask : 0;
            if (pick == 1) {
                lo = 1L << (bits - 1);
                hi = mask;
            }
        } else {
            hi = divisor == 0 ? 0 : Long.remainderUnsigned(g.rng.nextLong() & mask, divisor);
        }
        if (w == 1) {
            g.set(new Reg(0, 2, false), (hi << 8) | lo);
        } else {
            g.set(new Reg(0, w, false), lo);
            g.set(new Reg(2, w, false), hi);
        }
    }

    private static void imulForms(GenContext g, boolean threeOperand) {
        int w = Emit.width(g, 2);
        Operand src = Emit.rm(g, w, false);
        Reg dst = g.pickReg(w);
        g.setEdge(dst);
        if (!threeOperand) {
            g.asm.op("imul", 0x0F, 0xAF).size(w).reg(dst).rm(src).show(dst, src).emit();
            g.form("imul r" + Emit.sz(w) + "," + Emit.kind(src));
        } else if (g.rng.nextBoolean()) {
            long imm = g.edgeValue(1);
            g.asm.op("imul", 0x6B).size(w).reg(dst).rm(src).imm(imm, 1).show(dst, src, Emit.imm(imm, 1, w)).emit();
            g.form("imul r" + Emit.sz(w) + "," + Emit.kind(src) + ",imm8");
        } else {
            int immBytes = w == 2 ? 2 : 4;
            long imm = g.edgeValue(immBytes);
            g.asm.op("imul", 0x69).size(w).reg(dst).rm(src).imm(imm, immBytes)
                    .show(dst, src, Emit.imm(imm, immBytes, w)).emit();
            g.form("imul r" + Emit.sz(w) + "," + Emit.kind(src) + ",imm");
        }
        g.flagOp(0, ALL, SF | ZF | AF | PF);
    }
}

package dev.partita.emulator.diff.gen;

import static dev.partita.emulator.diff.gen.Emit.ALL;
import static dev.partita.emulator.diff.gen.Emit.ZF;

import dev.partita.emulator.diff.asm.Operand;
import dev.partita.emulator.diff.asm.Operand.Mem;
import dev.partita.emulator.diff.asm.Operand.Reg;

/**
 * XCHG (86/87, 90+r), CMPXCHG (0F B0/B1, equal and unequal), XADD (0F C0/C1) with LOCK on memory,
 * CMPXCHG8B/CMPXCHG16B (0F C7 /1; 16B needs 16-byte alignment or #GP).
 */
final class ExchangeFamily implements Family {
    private final boolean single;

    ExchangeFamily(boolean single) {
        this.single = single;
    }

    @Override
    public String name() {
        return "exchange";
    }

    @Override
    public void emit(GenContext g) {
        int which = g.rng.nextInt(single ? 10 : 8);
        if (which >= 8) {
            cmpxchgNb(g);
            return;
        }
        int w = which == 2 ? Emit.width(g, 2) : Emit.width(g, 1);
        switch (which) {
            case 0, 1 -> { // xchg r/m, r
                Emit.maybeLegacy(g, w, single);
                Operand a = Emit.rm(g, w, false);
                Reg b = g.pickReg(w);
                g.setEdge(b);
                var i = g.asm.op("xchg", w == 1 ? 0x86 : 0x87).size(w).reg(b).rm(a).show(a, b);
                if (a instanceof Mem && g.rng.nextInt(4) == 0) {
                    i.prefix(0xF0);
                }
                i.emit();
                g.form("xchg " + Emit.kind(a) + Emit.sz(w) + ",r");
                g.flagOp(0, 0, 0);
            }
            case 2 -> { // xchg rAX, r (90+r); r = 0 only as r8 (90 alone is NOP)
                g.reserve(0);
                Reg r = g.pickReg(w);
                if (r.num() == 0) {
                    r = new Reg(8, w, false);
                }
                g.setEdge(r);
                g.set(new Reg(0, w, false), g.edgeValue(w));
                g.asm.op("xchg", 0x90).size(w).plus(r).show(r, new Reg(0, w, false)).emit();
                g.form("xchg r" + Emit.sz(w) + ",acc");
                g.flagOp(0, 0, 0);
            }
            case 3, 4, 5 -> { // cmpxchg r/m, r
                g.reserve(0);
                Operand dst = Emit.rm(g, w, false);
                long current = g.lastRmValue;
                Reg src = g.pickReg(w);
                g.setEdge(src);
                if (dst instanceof Reg d && d.num() == src.num()) {
                    current = g.get(src.num());
                }
                Reg acc = new Reg(0, w, false);
                g.set(acc, g.rng.nextBoolean() ? current : g.edgeValue(w));
                var i = g.asm.op("cmpxchg", 0x0F, w == 1 ? 0xB0 : 0xB1).size(w).reg(src).rm(dst).show(dst, src);
                if (dst instanceof Mem && g.rng.nextInt(3) == 0) {
                    i.prefix(0xF0);
                }
                i.emit();
                g.form("cmpxchg " + Emit.kind(dst) + Emit.sz(w) + ",r");
                g.flagOp(0, ALL, 0);
            }
            default -> { // xadd r/m, r
                Emit.maybeLegacy(g, w, single);
                Operand dst = Emit.rm(g, w, false);
                Reg src = g.pickReg(w);
                g.setEdge(src);
                var i = g.asm.op("xadd", 0x0F, w == 1 ? 0xC0 : 0xC1).size(w).reg(src).rm(dst).show(dst, src);
                if (dst instanceof Mem && g.rng.nextInt(3) == 0) {
                    i.prefix(0xF0);
                }
                i.emit();
                g.form("xadd " + Emit.kind(dst) + Emit.sz(w) + ",r");
                g.flagOp(0, ALL, 0);
            }
        }
    }

    private static void cmpxchgNb(GenContext g) {
        boolean wide = g.rng.nextBoolean();
        int size = wide ? 16 : 8;
        g.reserve(0, 1, 2, 3);
        Mem m = g.mem(size, size, true);
        long target = g.lastTarget();
        if (wide && g.rng.nextInt(3) != 0 && (target & 15) != 0 && m.base() != Operand.NONE
                && m.base() != Operand.RIP && !m.addr32()) {
            // Mostly aligned (unaligned is #GP(0)): move the base register down to alignment.
            g.set(m.base(), g.get(m.base()) - (target & 15));
            target -= target & 15;
        }
        long lo = g.initialMemory(target, 8);
        long hi = g.initialMemory(target + 8, 8);
        if (!wide) {
            long cur = lo;
            boolean equal = g.rng.nextBoolean();
            g.set(new Reg(0, 4, false), equal ? cur : g.rng.nextLong());
            g.set(new Reg(2, 4, false), equal ? cur >>> 32 : g.rng.nextLong());
        } else {
            boolean equal = g.rng.nextBoolean();
            g.set(0, equal ? lo : g.rng.nextLong());
            g.set(2, equal ? hi : g.rng.nextLong());
        }
        g.set(1, g.rng.nextLong());
        g.set(3, g.rng.nextLong());
        var i = g.asm.op(wide ? "cmpxchg16b" : "cmpxchg8b", 0x0F, 0xC7).ext(1).rm(m).show(m.withSize(0));
        if (wide) {
            i.w();
        }
        if (g.rng.nextInt(3) == 0) {
            i.prefix(0xF0);
        }
        i.emit();
        g.form(wide ? "cmpxchg16b m128" : "cmpxchg8b m64");
        g.flagOp(0, ZF, 0);
    }
}

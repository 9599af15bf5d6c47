package dev.partita.emulator.diff.gen;

import dev.partita.emulator.diff.asm.Operand;
import dev.partita.emulator.diff.asm.Operand.Mem;
import dev.partita.emulator.diff.asm.Operand.Reg;

/**
 * LEA r16/32/64, m (8D) over every addressing form the generator knows (base, base+index*scale,
 * index only, absolute, RIP-relative, 32-bit address size), with pointer registers half the time
 * re-randomized since LEA does not access memory.
 */
final class LeaFamily implements Family {
    @Override
    public String name() {
        return "lea";
    }

    @Override
    public void emit(GenContext g) {
        int w = Emit.width(g, 2);
        Mem m = g.mem(0, 1, false);
        if (!g.isSequence() && g.rng.nextBoolean()) {
            if (m.base() != Operand.NONE && m.base() != Operand.RIP) {
                g.set(m.base(), g.edgeValue(8));
            }
            if (m.index() != Operand.NONE) {
                g.set(m.index(), g.edgeValue(8));
            }
        }
        Reg dst = g.pickReg(w);
        g.asm.op("lea", 0x8D).size(w).reg(dst).rm(m).show(dst, m).emit();
        String form = m.base() == Operand.RIP ? "rip" : m.addr32() ? "a32" : m.index() != Operand.NONE ? "sib" : "base";
        g.form("lea r" + Emit.sz(w) + ",m(" + form + ")");
        g.flagOp(0, 0, 0);
    }
}

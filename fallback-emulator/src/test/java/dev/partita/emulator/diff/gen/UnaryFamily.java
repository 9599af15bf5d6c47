package dev.partita.emulator.diff.gen;

import static dev.partita.emulator.diff.gen.Emit.ALL;
import static dev.partita.emulator.diff.gen.Emit.CF;

import dev.partita.emulator.diff.asm.Operand;
import dev.partita.emulator.diff.asm.Operand.Mem;

/** NOT/NEG (F6/F7 /2 /3) and INC/DEC (FE/FF /0 /1), register and memory, LOCK on memory. */
final class UnaryFamily implements Family {
    private final boolean single;

    UnaryFamily(boolean single) {
        this.single = single;
    }

    @Override
    public String name() {
        return "unary";
    }

    @Override
    public void emit(GenContext g) {
        int w = Emit.width(g, 1);
        Emit.maybeLegacy(g, w, single);
        int which = g.rng.nextInt(4);
        Operand dst = Emit.rm(g, w, false);
        String mn = switch (which) {
            case 0 -> "not";
            case 1 -> "neg";
            case 2 -> "inc";
            default -> "dec";
        };
        int opcode = which < 2 ? (w == 1 ? 0xF6 : 0xF7) : (w == 1 ? 0xFE : 0xFF);
        int ext = which < 2 ? which + 2 : which - 2;
        var i = g.asm.op(mn, opcode).size(w).ext(ext).rm(dst).show(dst);
        if (dst instanceof Mem && g.rng.nextInt(4) == 0) {
            i.prefix(0xF0);
        }
        i.emit();
        g.form(mn + " " + Emit.kind(dst) + Emit.sz(w));
        switch (which) {
            case 0 -> g.flagOp(0, 0, 0);
            case 1 -> g.flagOp(0, ALL, 0);
            default -> g.flagOp(0, ALL & ~CF, 0);
        }
    }
}

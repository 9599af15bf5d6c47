package dev.partita.emulator.diff.gen;

import static dev.partita.emulator.diff.gen.Emit.ALL;

import dev.partita.emulator.diff.asm.Operand.Imm;
import dev.partita.emulator.diff.asm.Operand.Mem;
import dev.partita.emulator.diff.asm.Operand.Reg;

/**
 * PUSH/POP r64/r16 (50+r/58+r), PUSH imm8/imm32 (6A/68), PUSH/POP m64/m16 (FF /6, 8F /0), PUSHF,
 * and POPF of a controlled value (PUSH imm32; POPF) that toggles the arithmetic flags, DF, NT and
 * ID and tries IF/IOPL (ignored at CPL3). RSP points into the data region.
 */
final class StackFamily implements Family {
    /** POPF bits that may be 1 in the popped value: arithmetic, IF, DF, IOPL, NT, ID (never TF, AC). */
    private static final long POPF_BITS = 0xCD5L | 0x200L | 0x400L | 0x3000L | 0x4000L | 0x20_0000L;

    @Override
    public String name() {
        return "stack";
    }

    @Override
    public void emit(GenContext g) {
        if (g.rspIsPointer()) {
            new MoveFamily(false).emit(g);
            return;
        }
        g.useStack();
        int which = g.rng.nextInt(8);
        boolean w16 = g.rng.nextInt(5) == 0;
        int w = w16 ? 2 : 8;
        switch (which) {
            case 0 -> {
                Reg r = g.pickReg(w);
                g.setEdge(r);
                g.asm.op("push", 0x50).size(w16 ? 2 : 0).plus(r).show(r).emit();
                g.form("push r" + Emit.sz(w));
            }
            case 1 -> {
                Reg r = g.pickReg(w);
                g.asm.op("pop", 0x58).size(w16 ? 2 : 0).plus(r).show(r).emit();
                g.form("pop r" + Emit.sz(w));
            }
            case 2 -> {
                boolean byte8 = g.rng.nextBoolean();
                long imm = g.edgeValue(byte8 ? 1 : 4);
                var i = g.asm.op(w16 ? "pushw" : "push", byte8 ? 0x6A : 0x68);
                if (w16) {
                    i.o16().imm(imm, byte8 ? 1 : 2).show(Emit.imm(imm, byte8 ? 1 : 2, 2));
                } else {
                    i.imm(imm, byte8 ? 1 : 4).show(Emit.imm(imm, byte8 ? 1 : 4, 8));
                }
                i.emit();
                g.form("push imm" + (byte8 ? "8" : "") + "/" + Emit.sz(w));
            }
            case 3 -> {
                Mem m = g.mem(w);
                g.asm.op("push", 0xFF).size(w16 ? 2 : 0).ext(6).rm(m).show(m).emit();
                g.form("push m" + Emit.sz(w));
            }
            case 4 -> {
                Mem m = g.mem(w);
                g.asm.op("pop", 0x8F).size(w16 ? 2 : 0).ext(0).rm(m).show(m).emit();
                g.form("pop m" + Emit.sz(w));
            }
            case 5 -> {
                g.asm.op(w16 ? "pushfw" : "pushf", 0x9C).size(w16 ? 2 : 0).emit();
                g.form(w16 ? "pushfw" : "pushfq");
                g.flagOp(ALL, 0, 0);
                return;
            }
            default -> {
                long v = g.rng.nextLong() & POPF_BITS;
                g.asm.op("push", 0x68).imm(v, 4).show(new Imm(v)).emit();
                g.asm.op("popf", 0x9D).emit();
                g.form("popfq");
                g.flagOp(0, ALL, 0);
                return;
            }
        }
        g.flagOp(0, 0, 0);
    }
}

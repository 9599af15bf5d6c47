package dev.partita.emulator.diff.gen;

import static dev.partita.emulator.diff.gen.Emit.AF;
import static dev.partita.emulator.diff.gen.Emit.ALL;
import static dev.partita.emulator.diff.gen.Emit.CF;

import dev.partita.emulator.diff.asm.Operand;
import dev.partita.emulator.diff.asm.Operand.Mem;
import dev.partita.emulator.diff.asm.Operand.Reg;
import dev.partita.emulator.diff.asm.X86Asm;

/**
 * ADD/OR/ADC/SBB/AND/SUB/XOR/CMP in every encoding: r/m,r (00-39 even+0/1), r,r/m (+2/3), AL/eAX,imm
 * (+4/5), 80/81/83 /n with imm8/imm16/imm32/sign-extended imm8, with LOCK on memory destinations
 * (and, rarely, on a register destination, which is #UD). TEST 84/85/A8/A9/F6 /0/F7 /0 as well.
 */
final class AluFamily implements Family {
    private static final String[] NAMES = {"add", "or", "adc", "sbb", "and", "sub", "xor", "cmp"};
    private final boolean single;

    AluFamily(boolean single) {
        this.single = single;
    }

    @Override
    public String name() {
        return "alu";
    }

    @Override
    public void emit(GenContext g) {
        int w = Emit.width(g, 1);
        Emit.maybeLegacy(g, w, single);
        if (g.rng.nextInt(9) == 0) {
            test(g, w);
            return;
        }
        int op = g.rng.nextInt(8);
        String mn = NAMES[op];
        int base = op * 8;
        int variant = g.rng.nextInt(7);
        boolean lockable = op != 7;
        String key;
        switch (variant) {
            case 0, 1 -> { // r/m, r
                Operand dst = Emit.rm(g, w, variant == 1);
                Reg src = g.pickReg(w);
                g.setEdge(src);
                var i = g.asm.op(mn, base + (w == 1 ? 0 : 1)).size(w).reg(src).rm(dst).show(dst, src);
                lock(g, i, dst, lockable);
                i.emit();
                key = mn + " " + Emit.kind(dst) + Emit.sz(w) + ",r";
            }
            case 2, 3 -> { // r, r/m
                Operand src = Emit.rm(g, w, variant == 3);
                Reg dst = g.pickReg(w);
                g.setEdge(dst);
                g.asm.op(mn, base + (w == 1 ? 2 : 3)).size(w).reg(dst).rm(src).show(dst, src).emit();
                key = mn + " r" + Emit.sz(w) + "," + Emit.kind(src);
            }
            case 4, 5 -> { // r/m, imm (80 / 81 / 83)
                Operand dst = Emit.rm(g, w, variant == 5);
                int immBytes;
                int opcode;
                if (w == 1) {
                    opcode = 0x80;
                    immBytes = 1;
                } else if (g.rng.nextBoolean()) {
                    opcode = 0x83;
                    immBytes = 1;
                } else {
                    opcode = 0x81;
                    immBytes = w == 2 ? 2 : 4;
                }
                long imm = g.edgeValue(immBytes);
                var i = g.asm.op(mn, opcode).size(w).ext(op).rm(dst).imm(imm, immBytes)
                        .show(dst, Emit.imm(imm, immBytes, w));
                lock(g, i, dst, lockable);
                i.emit();
                key = mn + " " + Emit.kind(dst) + Emit.sz(w) + ",imm" + (8 * immBytes);
            }
            default -> { // AL/AX/EAX/RAX, imm
                g.reserve(0);
                Reg acc = new Reg(0, w, false);
                g.setEdge(acc);
                int immBytes = w == 1 ? 1 : w == 2 ? 2 : 4;
                long imm = g.edgeValue(immBytes);
                g.asm.op(mn, base + (w == 1 ? 4 : 5)).size(w).imm(imm, immBytes)
                        .show(acc, Emit.imm(imm, immBytes, w)).emit();
                key = mn + " acc" + Emit.sz(w) + ",imm";
            }
        }
        g.form(key);
        int reads = op == 2 || op == 3 ? CF : 0;
        boolean logic = op == 1 || op == 4 || op == 6;
        g.flagOp(reads, ALL, logic ? AF : 0);
    }

    /** LOCK on a memory destination (1 in 4), or on a register (#UD) rarely. */
    private static void lock(GenContext g, X86Asm.Insn i, Operand dst, boolean lockable) {
        if (!lockable) {
            return;
        }
        if (dst instanceof Mem ? g.rng.nextInt(4) == 0 : g.rng.nextInt(200) == 0) {
            i.prefix(0xF0);
        }
    }

    private void test(GenContext g, int w) {
        int variant = g.rng.nextInt(3);
        String key;
        switch (variant) {
            case 0 -> {
                Operand a = Emit.rm(g, w, false);
                Reg b = g.pickReg(w);
                g.setEdge(b);
                g.asm.op("test", w == 1 ? 0x84 : 0x85).size(w).reg(b).rm(a).show(a, b).emit();
                key = "test " + Emit.kind(a) + Emit.sz(w) + ",r";
            }
            case 1 -> {
                Operand a = Emit.rm(g, w, false);
                int immBytes = w == 1 ? 1 : w == 2 ? 2 : 4;
                long imm = g.edgeValue(immBytes);
                g.asm.op("test", w == 1 ? 0xF6 : 0xF7).size(w).ext(0).rm(a).imm(imm, immBytes)
                        .show(a, Emit.imm(imm, immBytes, w)).emit();
                key = "test " + Emit.kind(a) + Emit.sz(w) + ",imm";
            }
            default -> {
                g.reserve(0);
                Reg acc = new Reg(0, w, false);
                g.setEdge(acc);
                int immBytes = w == 1 ? 1 : w == 2 ? 2 : 4;
                long imm = g.edgeValue(immBytes);
                g.asm.op("test", w == 1 ? 0xA8 : 0xA9).size(w).imm(imm, immBytes)
                        .show(acc, Emit.imm(imm, immBytes, w)).emit();
                key = "test acc" + Emit.sz(w) + ",imm";
            }
        }
        g.form(key);
        g.flagOp(0, ALL, AF);
    }
}

package dev.partita.emulator.diff.gen;

import dev.partita.emulator.diff.asm.Operand;
import dev.partita.emulator.diff.asm.Operand.Imm;
import dev.partita.emulator.diff.asm.Operand.Reg;

/**
 * MOVSX/MOVZX (0F BE/BF/B6/B7), MOVSXD (63 /r with REX.W), and MOV in its forms: 88/89/8A/8B,
 * C6/C7 with immediates, B0+r/B8+r including the 64-bit immediate (movabs). No flags.
 */
final class MoveFamily implements Family {
    private final boolean single;

    MoveFamily(boolean single) {
        this.single = single;
    }

    @Override
    public String name() {
        return "move";
    }

    @Override
    public void emit(GenContext g) {
        int which = g.rng.nextInt(8);
        switch (which) {
            case 0, 1, 2 -> extend(g, which);
            case 3 -> { // mov r/m, r
                int w = Emit.width(g, 1);
                Emit.maybeLegacy(g, w, single);
                Operand dst = g.rng.nextBoolean() ? g.mem(w) : g.pickReg(w);
                Reg src = g.pickReg(w);
                g.setEdge(src);
                g.asm.op("mov", w == 1 ? 0x88 : 0x89).size(w).reg(src).rm(dst).show(dst, src).emit();
                g.form("mov " + Emit.kind(dst) + Emit.sz(w) + ",r");
            }
            case 4 -> { // mov r, r/m
                int w = Emit.width(g, 1);
                Emit.maybeLegacy(g, w, single);
                Operand src = Emit.rm(g, w, false);
                Reg dst = g.pickReg(w);
                g.asm.op("mov", w == 1 ? 0x8A : 0x8B).size(w).reg(dst).rm(src).show(dst, src).emit();
                g.form("mov r" + Emit.sz(w) + "," + Emit.kind(src));
            }
            case 5 -> { // mov r/m, imm (C6/C7)
                int w = Emit.width(g, 1);
                Operand dst = g.rng.nextBoolean() ? g.mem(w) : g.pickReg(w);
                int immBytes = w == 1 ? 1 : w == 2 ? 2 : 4;
                long imm = g.edgeValue(immBytes);
                g.asm.op("mov", w == 1 ? 0xC6 : 0xC7).size(w).ext(0).rm(dst).imm(imm, immBytes)
                        .show(dst, Emit.imm(imm, immBytes, w)).emit();
                g.form("mov " + Emit.kind(dst) + Emit.sz(w) + ",imm");
            }
            default -> { // mov r, imm (B0+r / B8+r)
                int w = Emit.width(g, 1);
                Emit.maybeLegacy(g, w, single);
                Reg dst = g.pickReg(w);
                int immBytes = w;
                long imm = g.edgeValue(immBytes);
                String mn = w == 8 ? "movabs" : "mov";
                g.asm.op(mn, w == 1 ? 0xB0 : 0xB8).size(w).plus(dst).imm(imm, immBytes)
                        .show(dst, w == 8 ? new Imm(imm) : Emit.imm(imm, immBytes, w)).emit();
                g.form("mov r" + Emit.sz(w) + ",imm" + Emit.sz(w));
            }
        }
        g.flagOp(0, 0, 0);
    }

    private static void extend(GenContext g, int which) {
        if (which == 2) { // movsxd r64, r/m32
            Operand src = Emit.rm(g, 4, false);
            Reg dst = g.pickReg(8);
            g.asm.op("movsxd", 0x63).w().reg(dst).rm(src).show(dst, src).emit();
            g.form("movsxd r64," + Emit.kind(src) + "32");
            return;
        }
        boolean signed = which == 0;
        int srcSize = g.rng.nextBoolean() ? 1 : 2;
        int dstSize;
        do {
            dstSize = Emit.width(g, 2);
        } while (dstSize <= srcSize);
        if (srcSize == 1 && g.rng.nextInt(4) == 0) {
            g.legacyOnly();
            if (dstSize == 8) {
                dstSize = 4;
            }
        }
        Operand src = Emit.rm(g, srcSize, false);
        Reg dst = g.pickReg(dstSize);
        String mn = signed ? "movsx" : "movzx";
        int opcode = (signed ? 0xBE : 0xB6) + (srcSize == 2 ? 1 : 0);
        g.asm.op(mn, 0x0F, opcode).size(dstSize).reg(dst).rm(src).show(dst, src).emit();
        g.form(mn + " r" + Emit.sz(dstSize) + "," + Emit.kind(src) + Emit.sz(srcSize));
    }
}

package dev.partita.emulator.diff.gen;

import dev.partita.emulator.diff.asm.Operand;
import dev.partita.emulator.diff.asm.Operand.Imm;
import dev.partita.emulator.diff.asm.Operand.Literal;
import dev.partita.emulator.diff.asm.Operand.Reg;

/**
 * CMOVcc (0F 40+cc; the 32-bit form zero-extends even when the condition is false), SETcc
 * (0F 90+cc), and forward Jcc rel8/rel32 (7x, 0F 8x) over a MOV whose effect shows whether the
 * branch was taken. All 16 conditions against the random initial flags (or a preceding CMP in
 * sequences).
 */
final class CondFamily implements Family {
    private final boolean single;

    CondFamily(boolean single) {
        this.single = single;
    }

    @Override
    public String name() {
        return "cond";
    }

    @Override
    public void emit(GenContext g) {
        int cc = g.rng.nextInt(16);
        int which = g.rng.nextInt(3);
        switch (which) {
            case 0 -> {
                int w = Emit.width(g, 2);
                Operand src = Emit.rm(g, w, false);
                Reg dst = g.pickReg(w);
                g.setEdge(dst);
                g.asm.op("cmov" + Emit.CC[cc], 0x0F, 0x40 + cc).size(w).reg(dst).rm(src).show(dst, src).emit();
                g.form("cmovcc r" + Emit.sz(w) + "," + Emit.kind(src));
            }
            case 1 -> {
                if (single && g.rng.nextInt(3) == 0) {
                    g.legacyOnly();
                }
                Operand dst = g.rng.nextBoolean() ? g.mem(1) : g.pickReg(1);
                g.asm.op("set" + Emit.CC[cc], 0x0F, 0x90 + cc).ext(0).rm(dst).show(dst).emit();
                g.form("setcc " + Emit.kind(dst) + "8");
            }
            default -> {
                Reg marker = g.pickReg(4);
                boolean near = g.rng.nextBoolean();
                // The skipped instruction: mov r32, imm32 (5 or 6 bytes).
                int skipLen = 5 + (marker.num() >= 8 ? 1 : 0);
                long imm = g.rng.nextInt();
                if (near) {
                    g.asm.op("j" + Emit.CC[cc], 0x0F, 0x80 + cc).imm(skipLen, 4)
                            .show(new Literal(".+" + (6 + skipLen))).emit();
                } else {
                    g.asm.op("j" + Emit.CC[cc], 0x70 + cc).imm(skipLen, 1)
                            .show(new Literal(".+" + (2 + skipLen))).emit();
                }
                g.asm.op("mov", 0xB8).plus(marker).imm(imm, 4).show(marker, Emit.imm(imm, 4, 4)).emit();
                g.form("jcc " + (near ? "rel32" : "rel8"));
                g.flagOp(Emit.ccReads(cc), 0, 0);
                return;
            }
        }
        g.flagOp(Emit.ccReads(cc), 0, 0);
    }
}

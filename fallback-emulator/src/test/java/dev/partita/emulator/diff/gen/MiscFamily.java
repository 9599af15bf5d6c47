package dev.partita.emulator.diff.gen;

import static dev.partita.emulator.diff.gen.Emit.AF;
import static dev.partita.emulator.diff.gen.Emit.CF;
import static dev.partita.emulator.diff.gen.Emit.PF;
import static dev.partita.emulator.diff.gen.Emit.SF;
import static dev.partita.emulator.diff.gen.Emit.ZF;

import dev.partita.emulator.diff.asm.Operand.Mem;
import dev.partita.emulator.diff.asm.Operand.Reg;

/**
 * BSWAP r32/r64 (0F C8+r), CBW/CWDE/CDQE (98), CWD/CDQ/CQO (99), SAHF/LAHF (9E/9F), CMC/CLC/STC
 * (F5/F8/F9), CLD/STD (FC/FD), XLAT (D7), NOP forms (90, 0F 1F /0).
 */
final class MiscFamily implements Family {
    @Override
    public String name() {
        return "misc";
    }

    @Override
    public void emit(GenContext g) {
        int which = g.rng.nextInt(12);
        switch (which) {
            case 0 -> {
                int w = g.rng.nextBoolean() ? 4 : 8;
                Reg r = g.pickReg(w);
                g.setEdge(r);
                g.asm.op("bswap", 0x0F, 0xC8).size(w).plus(r).show(r).emit();
                g.form("bswap r" + Emit.sz(w));
                g.flagOp(0, 0, 0);
            }
            case 1, 2 -> {
                g.reserve(0, 2);
                g.set(0, g.edgeValue(8));
                int w = new int[] {2, 4, 8}[g.rng.nextInt(3)];
                String mn = which == 1 ? (w == 2 ? "cbw" : w == 4 ? "cwde" : "cdqe")
                        : (w == 2 ? "cwd" : w == 4 ? "cdq" : "cqo");
                g.asm.op(mn, which == 1 ? 0x98 : 0x99).size(w).emit();
                g.form(mn);
                g.flagOp(0, 0, 0);
            }
            case 3 -> {
                g.reserve(0);
                g.set(0, g.edgeValue(8));
                g.asm.op("sahf", 0x9E).emit();
                g.form("sahf");
                g.flagOp(0, SF | ZF | AF | PF | CF, 0);
            }
            case 4 -> {
                g.reserve(0);
                g.asm.op("lahf", 0x9F).emit();
                g.form("lahf");
                g.flagOp(SF | ZF | AF | PF | CF, 0, 0);
            }
            case 5 -> {
                g.asm.op("cmc", 0xF5).emit();
                g.form("cmc");
                g.flagOp(CF, CF, 0);
            }
            case 6 -> {
                boolean set = g.rng.nextBoolean();
                g.asm.op(set ? "stc" : "clc", set ? 0xF9 : 0xF8).emit();
                g.form(set ? "stc" : "clc");
                g.flagOp(0, CF, 0);
            }
            case 7 -> {
                boolean set = g.rng.nextBoolean();
                g.asm.op(set ? "std" : "cld", set ? 0xFD : 0xFC).emit();
                g.form(set ? "std" : "cld");
                g.flagOp(0, 0, 0);
            }
            case 8 -> {
                // XLAT: AL = [RBX + AL]; RBX is set so the table lies in the data region.
                g.reserve(0, 3);
                int al = g.rng.nextInt(256);
                g.set(new Reg(0, 1, false), al);
                g.set(3, dev.partita.emulator.diff.DiffLayout.DATA_BASE + g.rng.nextInt(0, 0x2000 - 256));
                g.asm.op("xlatb", 0xD7).emit();
                g.form("xlat");
                g.flagOp(0, 0, 0);
            }
            case 9 -> {
                g.asm.op("nop", 0x90).emit();
                g.form("nop");
                g.flagOp(0, 0, 0);
            }
            default -> {
                int w = g.rng.nextBoolean() ? 2 : 4;
                Mem m = g.mem(w, 1, false);
                g.asm.op("nop", 0x0F, 0x1F).size(w).ext(0).rm(m).show(m).emit();
                g.form("nop m" + Emit.sz(w));
                g.flagOp(0, 0, 0);
            }
        }
    }
}

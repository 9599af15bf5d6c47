package dev.partita.emulator.diff.gen;

import static dev.partita.emulator.diff.gen.Emit.AF;
import static dev.partita.emulator.diff.gen.Emit.ALL;
import static dev.partita.emulator.diff.gen.Emit.CF;
import static dev.partita.emulator.diff.gen.Emit.OF;

import dev.partita.emulator.diff.asm.Operand;
import dev.partita.emulator.diff.asm.Operand.Imm;
import dev.partita.emulator.diff.asm.Operand.Literal;
import dev.partita.emulator.diff.asm.Operand.Reg;

/**
 * ROL/ROR/RCL/RCR/SHL/SHR/SAR by 1 (D0/D1), by CL (D2/D3) and by imm8 (C0/C1, including an
 * explicit count of 1), with counts 0, 1, width-1, width, width+1, 31, 32, 63, 64 and beyond (masked).
 */
final class ShiftFamily implements Family {
    private static final String[] NAMES = {"rol", "ror", "rcl", "rcr", "shl", "shr", null, "sar"};
    private final boolean single;

    ShiftFamily(boolean single) {
        this.single = single;
    }

    @Override
    public String name() {
        return "shift";
    }

    /** A shift/rotate count for an operand of {@code bits}. */
    static int count(GenContext g, int bits) {
        return switch (g.rng.nextInt(12)) {
            case 0 -> 0;
            case 1 -> 1;
            case 2 -> bits - 1;
            case 3 -> bits;
            case 4 -> bits + 1;
            case 5 -> 31;
            case 6 -> 32;
            case 7 -> 33;
            case 8 -> 63;
            case 9 -> 64 + g.rng.nextInt(192);
            default -> g.rng.nextInt(1, bits);
        };
    }

    private static boolean rotate(int op) {
        return op < 4;
    }

    @Override
    public void emit(GenContext g) {
        int w = Emit.width(g, 1);
        int bits = 8 * w;
        int op;
        do {
            op = g.rng.nextInt(8);
        } while (op == 6);
        String mn = NAMES[op];
        int how = g.rng.nextInt(4); // 0 by 1, 1 by CL, 2/3 by imm8
        if (how == 1) {
            g.reserve(1);
        }
        Emit.maybeLegacy(g, w, single);
        Operand dst = Emit.rm(g, w, false);
        int count;
        String key;
        switch (how) {
            case 0 -> {
                count = 1;
                g.asm.op(mn, w == 1 ? 0xD0 : 0xD1).size(w).ext(op).rm(dst).show(dst, new Literal("1")).emit();
                key = mn + " " + Emit.kind(dst) + Emit.sz(w) + ",1";
            }
            case 1 -> {
                count = count(g, bits);
                g.set(1, (g.get(1) & ~0xFFL) | count);
                g.asm.op(mn, w == 1 ? 0xD2 : 0xD3).size(w).ext(op).rm(dst)
                        .show(dst, new Reg(1, 1, false)).emit();
                key = mn + " " + Emit.kind(dst) + Emit.sz(w) + ",cl";
            }
            default -> {
                count = g.rng.nextInt(4) == 0 ? 1 : count(g, bits);
                g.asm.op(mn, w == 1 ? 0xC0 : 0xC1).size(w).ext(op).rm(dst).imm(count, 1)
                        .show(dst, new Imm(count)).emit();
                key = mn + " " + Emit.kind(dst) + Emit.sz(w) + ",imm8";
            }
        }
        g.form(key);
        int masked = count & (w == 8 ? 63 : 31);
        if (how == 1 && g.isSequence()) {
            // CL may have been changed by an earlier instruction: the count may be 0 (flags kept,
            // possibly undefined ones) or anything else (assume the worst).
            int kept = g.undefinedNow();
            if (rotate(op)) {
                g.flagOp(op == 2 || op == 3 ? Emit.CF : 0, CF | OF, kept | OF);
            } else {
                g.flagOp(0, ALL, kept | AF | OF | (w <= 2 && op != 7 ? CF : 0));
            }
            return;
        }
        boolean rotate = op < 4;
        boolean throughCarry = op == 2 || op == 3;
        if (masked == 0) {
            g.flagOp(0, 0, 0);
        } else if (rotate) {
            g.flagOp(throughCarry ? CF : 0, CF | OF, masked == 1 ? 0 : OF);
        } else {
            int undefined = AF | (masked == 1 ? 0 : OF);
            if (op != 7 && masked >= bits) {
                undefined |= CF;
            }
            g.flagOp(0, ALL, undefined);
        }
    }
}

package dev.partita.emulator.diff.gen;

import dev.partita.emulator.diff.asm.Operand;
import dev.partita.emulator.diff.asm.Operand.Imm;
import dev.partita.emulator.diff.asm.Operand.Mem;
import dev.partita.emulator.diff.asm.Operand.Reg;

/** Helpers shared by the families: operand choice, memory preloads, flag masks, immediates. */
final class Emit {
    static final int CF = 0x1;
    static final int PF = 0x4;
    static final int AF = 0x10;
    static final int ZF = 0x40;
    static final int SF = 0x80;
    static final int OF = 0x800;
    static final int ALL = CF | PF | AF | ZF | SF | OF;

    static final String[] CC = {"o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g"};

    private Emit() {
    }

    /** Flags read by condition code {@code cc}. */
    static int ccReads(int cc) {
        return switch (cc >> 1) {
            case 0 -> OF;
            case 1 -> CF;
            case 2 -> ZF;
            case 3 -> CF | ZF;
            case 4 -> SF;
            case 5 -> PF;
            case 6 -> SF | OF;
            default -> ZF | SF | OF;
        };
    }

    /** An operand size: 1, 2, 4 or 8 (never 8 in legacy-only cases), or from {@code min} bytes up. */
    static int width(GenContext g, int min) {
        int[] all = {1, 2, 4, 8};
        for (;;) {
            int w = all[g.rng.nextInt(4)];
            if (w >= min && !(w == 8 && g.isLegacyOnly())) {
                return w;
            }
        }
    }

    /** Occasionally (single cases only, byte width) switch to legacy registers so AH..BH appear. */
    static void maybeLegacy(GenContext g, int width, boolean single) {
        if (single && width == 1 && g.rng.nextInt(3) == 0) {
            g.legacyOnly();
        }
    }

    /**
     * A register or memory operand of {@code size} bytes holding an edge value (memory: half the
     * time preloaded by a MOV from a scratch register, else the random data image).
     */
    static Operand rm(GenContext g, int size, boolean preferMem) {
        if (preferMem || g.rng.nextInt(2) == 0) {
            Mem m = g.mem(size);
            if (g.rng.nextInt(2) == 0) {
                preload(g, m);
            } else {
                g.lastRmValue = g.initialMemory(g.lastTarget(), size);
            }
            return m;
        }
        Reg r = g.pickReg(size);
        g.setEdge(r);
        g.lastRmValue = r.high() ? g.get(r.num() - 4) >>> 8 : g.get(r.num());
        return r;
    }

    /** Emits {@code mov m, tmp} with tmp holding an edge value. */
    static void preload(GenContext g, Mem m) {
        Reg t = g.pickReg(m.size());
        g.setEdge(t);
        g.lastRmValue = t.high() ? g.get(t.num() - 4) >>> 8 : g.get(t.num());
        int size = m.size();
        g.asm.op("mov", size == 1 ? 0x88 : 0x89).size(size).reg(t).rm(m).show(m, t).emit();
    }

    /** The immediate as the CPU sees it at operand size (sign-extended from {@code immBytes}), for display. */
    static Imm imm(long value, int immBytes, int opSize) {
        long v = immBytes == 8 ? value : (value << (64 - 8 * immBytes)) >> (64 - 8 * immBytes);
        if (opSize < 8) {
            v &= (1L << (8 * opSize)) - 1;
        }
        return new Imm(v);
    }

    /** Size keyword of a form key: b/w/d/q. */
    static String sz(int size) {
        return switch (size) {
            case 1 -> "8";
            case 2 -> "16";
            case 4 -> "32";
            default -> "64";
        };
    }

    /** "r" or "m" for a form key. */
    static String kind(Operand op) {
        return op instanceof Mem ? "m" : "r";
    }

    /** Operand-width mask. */
    static long mask(int size) {
        return size == 8 ? -1L : (1L << (8 * size)) - 1;
    }
}

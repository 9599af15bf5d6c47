package dev.partita.emulator.diff.gen;

import static dev.partita.emulator.diff.gen.Emit.ALL;

import dev.partita.emulator.diff.DiffLayout;
import dev.partita.emulator.diff.asm.Operand.Reg;

/**
 * MOVS/CMPS/STOS/LODS/SCAS (A4-AF) at all widths, with and without REP/REPE/REPNE, DF both ways,
 * small counts (0-9), operands placed so the string usually stays inside the data region and
 * sometimes runs off its end (a fault in the middle of a REP must leave RCX/RSI/RDI exact). CMPS runs
 * off with its ES:rDI operand only: the order of its two loads is the CPU model's, so both faulting
 * at once would compare models, not the emulator.
 */
final class StringFamily implements Family {
    private static final String[] NAMES = {"movs", "cmps", "stos", "lods", "scas"};
    private static final int[] OPCODE = {0xA4, 0xA6, 0xAA, 0xAC, 0xAE};

    @Override
    public String name() {
        return "string";
    }

    @Override
    public boolean sequenceSafe() {
        return false; // owns RSI/RDI/RCX/RAX as pointers and counts
    }

    @Override
    public void emit(GenContext g) {
        int op = g.rng.nextInt(5);
        int w = Emit.width(g, 1);
        int rep = g.rng.nextInt(3); // 0 none, 1 F3, 2 F2 (only CMPS/SCAS)
        if (rep == 2 && op != 1 && op != 4) {
            rep = 1;
        }
        boolean down = g.rng.nextBoolean();
        g.setFlags(0x400, down ? 0x400 : 0);
        int count = rep == 0 ? 1 : g.rng.nextInt(10);
        g.reserve(0, 1, 6, 7);
        g.set(1, rep == 0 ? g.rng.nextLong() : count);
        int span = Math.max(1, count) * w;
        boolean runOff = g.rng.nextInt(25) == 0;
        for (int reg : new int[] {6, 7}) {
            long start;
            if (runOff && !(op == 1 && reg == 6)) {
                start = down ? DiffLayout.DATA_BASE + g.rng.nextInt(0, span) : DiffLayout.DATA_BASE
                        + DiffLayout.DATA_SIZE - g.rng.nextInt(1, span + 1);
            } else {
                int lo = down ? span - w : 0;
                int hi = DiffLayout.DATA_SIZE - (down ? w : span);
                start = DiffLayout.DATA_BASE + g.rng.nextInt(lo, hi + 1);
            }
            g.set(reg, start);
        }
        if (op == 1 || op == 4) {
            // Make equal runs likely for REPE/REPNE: copy the data at RSI into the scan value.
            long v = g.initialMemory(g.get(6), w);
            g.set(new Reg(0, w, false), g.rng.nextBoolean() ? v : g.edgeValue(w));
        } else {
            g.set(0, g.edgeValue(8));
        }
        String suffix = switch (w) {
            case 1 -> "b";
            case 2 -> "w";
            case 4 -> "d";
            default -> "q";
        };
        String prefixText = rep == 0 ? "" : rep == 2 ? "repnz " : (op == 1 || op == 4) ? "repz " : "rep ";
        var i = g.asm.op(prefixText + NAMES[op] + suffix, OPCODE[op] + (w == 1 ? 0 : 1)).size(w);
        if (rep == 1) {
            i.prefix(0xF3);
        } else if (rep == 2) {
            i.prefix(0xF2);
        }
        i.emit();
        g.form(prefixText + NAMES[op] + suffix);
        boolean compares = op == 1 || op == 4;
        g.flagOp(0, compares ? ALL : 0, 0);
    }
}

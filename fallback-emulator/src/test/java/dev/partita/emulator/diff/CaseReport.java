package dev.partita.emulator.diff;

import dev.partita.emulator.decoder.DecodedInsn;
import dev.partita.emulator.decoder.Decoder;
import dev.partita.emulator.decoder.Disassembler;
import dev.partita.emulator.diff.asm.RegNames;

/** Human-readable mismatch reports: the case's code disassembled by the emulator's disassembler, its inputs, both outcomes. */
public final class CaseReport {
    private CaseReport() {
    }

    /** The emulator decoder's view of the case's code, one instruction per line. */
    public static String disassemble(byte[] code) {
        Decoder decoder = new Decoder();
        DecodedInsn insn = new DecodedInsn();
        StringBuilder sb = new StringBuilder();
        int off = 0;
        while (off < code.length) {
            int len = decoder.decode(code, off, code.length - off, Decoder.MODE64, insn);
            if (len <= 0) {
                sb.append(String.format("    %06x: (truncated)%n", DiffLayout.CODE_BASE + off));
                break;
            }
            StringBuilder hex = new StringBuilder();
            for (int i = 0; i < len; i++) {
                hex.append(String.format("%02x", code[off + i] & 0xFF));
            }
            sb.append(String.format("    %06x: %-30s %s%n", DiffLayout.CODE_BASE + off, hex,
                    Disassembler.format(insn, DiffLayout.CODE_BASE + off)));
            off += len;
        }
        return sb.toString();
    }

    /** A full report of one differing case. */
    public static String of(DiffCase c, int index, Outcome host, Outcome emu, Verdict v) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("=== %s case #%d, form '%s' (%s)%n", c.family(), index, c.form(), v.kind()));
        sb.append("  generator text: ").append(String.join(" ; ", c.asm())).append('\n');
        sb.append("  emulator disassembly:\n").append(disassemble(c.code()));
        sb.append("  inputs:");
        for (int i = 0; i < 16; i++) {
            sb.append(i % 4 == 0 ? "\n    " : "  ").append(String.format("%-3s=%016x", RegNames.q(i), c.gpr()[i]));
        }
        sb.append(String.format("%n    rflags=%x dataSeed=%x undefinedFlags=%s undefinedResult=%s%n",
                c.rflags() & DiffLayout.INPUT_FLAGS, c.dataSeed(), Verdict.flagNames(c.undefinedFlags(host.rip())),
                c.undefinedResult(host.rip())));
        sb.append("  host:     ").append(Verdict.describe(host)).append(String.format(" rip=%x rflags=%x%n", host.rip(),
                host.rflags() & Verdict.COMPARED_FLAGS));
        sb.append("  emulator: ").append(Verdict.describe(emu)).append(String.format(" rip=%x rflags=%x%n", emu.rip(),
                emu.rflags() & Verdict.COMPARED_FLAGS));
        sb.append("  differences (host vs emulator): ").append(v.detail()).append('\n');
        return sb.toString();
    }
}

package dev.partita.emulator.diff.gen;

import dev.partita.emulator.diff.DiffCase;
import dev.partita.emulator.diff.DiffLayout;
import java.io.ByteArrayOutputStream;
import java.util.SplittableRandom;

/**
 * Random byte sequences filtered to the 64-bit user-mode subset the comparison can run: random
 * legacy prefixes, REX, an opcode of the one-byte or 0F map, and random ModRM/SIB/displacement/
 * immediate bytes as the opcode's format needs. Excluded (they could not be compared or would harm
 * the native runner): branches and calls (the case must reach its end), INT n/SYSCALL/SYSENTER,
 * FS/GS overrides and base writes (the runner's TLS), segment-register loads, POPF of random data
 * (TF/AC), CPUID/RDTSC/RDRAND/RDSEED/RDPMC/RDPID (host-specific or nondeterministic), VEX/EVEX/XOP,
 * x87, MMX/SSE and the 0F 38/0F 3A maps, XSAVEC/XSAVES/XRSTORS (present on this host, not
 * advertised by the emulator), F3/F2 forms of 0F B8/BC/BD (POPCNT/TZCNT/LZCNT are
 * checked by their own family), and LOCK with MOV to/from a control or debug register (0F 20-23:
 * AMD CPUs read LOCK MOV CR0 as MOV CR8 and fault with #GP at CPL 3, others raise #UD, so the
 * outcome depends on the host's CPU model), and CMPS (A6/A7): its two loads come in an order the SDM
 * leaves open, so when both fault the CPU model decides which fault is reported (this AMD host
 * reports the ES:rDI load's); {@code StringFamily} compares CMPS whose operands never fault together. Everything else is kept, including encodings that are #UD, #GP or
 * fault on memory at CPL3: the vector and error code are compared.
 */
final class RandomBytesFamily {

    /** One-byte opcodes that are never generated. */
    private static final boolean[] EXCLUDED_1 = new boolean[256];
    /** 0F-map opcodes that are generated (everything else excluded). */
    private static final boolean[] ALLOWED_0F = new boolean[256];
    private static final int[] LEGACY_PREFIXES = {0x66, 0x67, 0xF2, 0xF3, 0xF0, 0x2E, 0x3E, 0x26, 0x36};

    static {
        int[] ex = {0x0F, 0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65, 0x66, 0x67, 0xF0, 0xF2, 0xF3, // prefixes (added separately)
            0xA6, 0xA7, // CMPS: model-specific order of its two loads
            0x62, 0xC4, 0xC5, // EVEX / VEX
            0x8C, 0x8E, 0x9D, // segment register moves, POPF
            0xC2, 0xC3, 0xCA, 0xCB, 0xCD, 0xCF, 0xE0, 0xE1, 0xE2, 0xE3, 0xE8, 0xE9, 0xEA, 0xEB, 0x9A,
            0xD8, 0xD9, 0xDA, 0xDB, 0xDC, 0xDD, 0xDE, 0xDF, 0x9B};
        for (int b : ex) {
            EXCLUDED_1[b] = true;
        }
        for (int b = 0x40; b <= 0x4F; b++) {
            EXCLUDED_1[b] = true; // REX is added separately
        }
        for (int b = 0x70; b <= 0x7F; b++) {
            EXCLUDED_1[b] = true; // Jcc
        }
        int[] ok = {0x06, 0x08, 0x09, 0x0B, 0x0D, 0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F, 0x20, 0x21, 0x22,
            0x23, 0x30, 0x32, 0xA3, 0xA4, 0xA5, 0xAA, 0xAB, 0xAC, 0xAD, 0xAF, 0xB0, 0xB1, 0xB3, 0xB6, 0xB7, 0xB8,
            0xB9, 0xBA, 0xBB, 0xBC, 0xBD, 0xBE, 0xBF, 0xC0, 0xC1, 0xC7};
        for (int b : ok) {
            ALLOWED_0F[b] = true;
        }
        for (int b = 0x40; b <= 0x4F; b++) {
            ALLOWED_0F[b] = true; // CMOVcc
        }
        for (int b = 0x90; b <= 0x9F; b++) {
            ALLOWED_0F[b] = true; // SETcc
        }
        for (int b = 0xC8; b <= 0xCF; b++) {
            ALLOWED_0F[b] = true; // BSWAP
        }
    }

    private RandomBytesFamily() {
    }

    static DiffCase make(SplittableRandom rng) {
        GenContext g = new GenContext(rng, "randbytes", false);
        for (int r = 0; r < 16; r++) {
            if (r == 4) {
                continue;
            }
            g.set(r, rng.nextBoolean() ? DiffLayout.DATA_BASE + rng.nextInt(0, DiffLayout.DATA_SIZE)
                    : g.edgeValue(8));
        }
        int n = rng.nextInt(1, 5);
        for (int k = 0; k < n; k++) {
            g.asm.raw(instruction(rng));
            // Random forms include undefined-flag results (shifts, BSF, MUL, DIV...): after each
            // one every arithmetic flag counts as undefined (still compared and reported).
            g.flagOp(0, Emit.ALL, Emit.ALL);
        }
        g.form("randbytes");
        return g.build();
    }

    /** One random instruction of the allowed subset. */
    static byte[] instruction(SplittableRandom rng) {
        for (;;) {
            byte[] b = tryInstruction(rng);
            if (b != null) {
                return b;
            }
        }
    }

    private static byte[] tryInstruction(SplittableRandom rng) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean o16 = false;
        boolean a32 = false;
        boolean rep = false;
        boolean lock = false;
        int nPrefix = rng.nextInt(4) == 0 ? rng.nextInt(1, 3) : 0;
        for (int i = 0; i < nPrefix; i++) {
            int p = LEGACY_PREFIXES[rng.nextInt(LEGACY_PREFIXES.length)];
            o16 |= p == 0x66;
            a32 |= p == 0x67;
            rep |= p == 0xF2 || p == 0xF3;
            lock |= p == 0xF0;
            out.write(p);
        }
        boolean rexW = false;
        if (rng.nextBoolean()) {
            int rex = 0x40 | rng.nextInt(16);
            rexW = (rex & 8) != 0;
            out.write(rex);
        }
        boolean twoByte = rng.nextInt(4) == 0;
        int op;
        if (twoByte) {
            op = rng.nextInt(256);
            if (!ALLOWED_0F[op]) {
                return null;
            }
            if (rep && (op == 0xB8 || op == 0xBC || op == 0xBD)) {
                return null;
            }
            if (lock && op >= 0x20 && op <= 0x23) {
                return null;
            }
            out.write(0x0F);
        } else {
            op = rng.nextInt(256);
            if (EXCLUDED_1[op]) {
                return null;
            }
        }
        out.write(op);
        int immZ = o16 ? 2 : 4;
        boolean modrm;
        int imm;
        if (twoByte) {
            modrm = !(op == 0x06 || op == 0x08 || op == 0x09 || op == 0x0B || op == 0x30 || op == 0x32
                    || op == 0xAA || (op >= 0xC8 && op <= 0xCF));
            imm = op == 0xA4 || op == 0xAC || op == 0xBA ? 1 : 0;
        } else {
            int lo = op & 7;
            if (op < 0x40) {
                modrm = lo < 4;
                imm = lo == 4 ? 1 : lo == 5 ? immZ : 0;
            } else {
                modrm = switch (op) {
                    case 0x63, 0x69, 0x6B, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A, 0x8B,
                            0x8D, 0x8F, 0xC0, 0xC1, 0xC6, 0xC7, 0xD0, 0xD1, 0xD2, 0xD3, 0xF6, 0xF7, 0xFE, 0xFF -> true;
                    default -> false;
                };
                imm = switch (op) {
                    case 0x68, 0x69, 0x81, 0xA9, 0xC7 -> immZ;
                    case 0x6A, 0x6B, 0x80, 0x82, 0x83, 0xA8, 0xC0, 0xC1, 0xC6, 0xD4, 0xD5, 0xE4, 0xE5, 0xE6,
                            0xE7 -> 1;
                    case 0xC8 -> 3;
                    case 0xA0, 0xA1, 0xA2, 0xA3 -> a32 ? 4 : 8;
                    default -> op >= 0xB0 && op <= 0xB7 ? 1 : op >= 0xB8 && op <= 0xBF ? (rexW ? 8 : immZ) : 0;
                };
            }
        }
        if (modrm) {
            int m = rng.nextInt(256);
            int mod = m >> 6;
            int reg = (m >> 3) & 7;
            if (!twoByte) {
                if (op == 0xFF && reg >= 2 && reg <= 5) {
                    return null; // indirect CALL/JMP
                }
                if (op == 0x8F && reg != 0) {
                    return null; // XOP escape on AMD
                }
                if ((op == 0xF6 || op == 0xF7) && reg < 2) {
                    imm = op == 0xF6 ? 1 : immZ;
                }
            } else if (op == 0xC7 && reg >= 3 && mod != 3 || op == 0xC7 && reg >= 6) {
                return null; // XRSTORS/XSAVEC/XSAVES (CPUID-dependent), RDRAND/RDSEED/RDPID
            }
            out.write(m);
            if (mod != 3 && (m & 7) == 4) {
                int sib = rng.nextInt(256);
                out.write(sib);
                if (mod == 0 && (sib & 7) == 5) {
                    writeRandom(out, rng, 4);
                }
            }
            if (mod == 1) {
                writeRandom(out, rng, 1);
            } else if (mod == 2 || (mod == 0 && (m & 7) == 5)) {
                writeRandom(out, rng, 4);
            }
        }
        writeRandom(out, rng, imm);
        byte[] bytes = out.toByteArray();
        return bytes.length <= 15 ? bytes : null;
    }

    private static void writeRandom(ByteArrayOutputStream out, SplittableRandom rng, int n) {
        for (int i = 0; i < n; i++) {
            // Mostly small displacements/immediates so memory operands stay near their base.
            out.write(i == 0 ? rng.nextInt(256) : rng.nextInt(4) == 0 ? rng.nextInt(256) : 0);
        }
    }
}

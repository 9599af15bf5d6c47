package dev.partita.emulator.diff.gen;

import dev.partita.emulator.diff.DiffLayout;
import dev.partita.emulator.diff.asm.Operand.Imm;
import dev.partita.emulator.diff.asm.Operand.Literal;
import dev.partita.emulator.diff.asm.Operand.Mem;
import dev.partita.emulator.diff.asm.Operand.Reg;

/**
 * x87 cases ("x87"). Each case starts with FNINIT and FLDCW of a random control word (precision
 * control 24/53/64 bits, any rounding mode, usually every exception masked, sometimes some unmasked),
 * loads 80-bit operands written by the case itself into the data region (every operand class: zeros,
 * normals across the exponent range and with rounding-sensitive low bits, denormals,
 * pseudo-denormals, unnormals, pseudo-infinities, pseudo-NaNs, infinities, quiet and signalling NaNs,
 * the indefinite, integers), runs one instruction (or a short run of them) and then makes the x87
 * state visible to the comparison: FNSTENV's control, status and tag words are moved to RCX/RAX/RDX
 * (the status word masked to the bits the SDM defines for the instruction: C0/C2/C3 are undefined after
 * arithmetic), the environment's instruction/operand pointers are cleared from memory, and every
 * stack register is stored with FSTP m80. With unmasked exceptions an FWAIT follows the instruction
 * so the #MF is delivered at a known point.
 *
 * <p>The transcendental instructions are specified only to about one unit in the last place, so
 * their results are compared in the top 48 significand bits, without PE, UE and C1 (system property
 * {@code partita.diff.x87exact=true} compares them bit for bit, to measure agreement with the host).
 * Left out, because the SDM leaves them to the implementation: FPREM/FPREM1 with an exponent
 * difference of 64 or more (the size of a partial step), FBLD of invalid digits, transcendental
 * arguments outside the documented domains, and condition codes the SDM calls undefined (masked
 * out per instruction). Reserved precision control (01) is not used.
 */
final class X87Family implements Family {

    private static final int BASE = 15;
    private static final int CW = 0x000;      // control word scratch
    private static final int OPS = 0x010;     // operands, 16 bytes each
    private static final int OUT = 0x100;     // stored results
    private static final int ENV = 0x200;     // FNSTENV image (cleared after reading)
    private static final int REGS = 0x240;    // stack registers stored with FSTP m80

    private static final long INT_BIT = 0x8000_0000_0000_0000L;

    @Override
    public String name() {
        return "x87";
    }

    @Override
    public boolean sequenceSafe() {
        return false;
    }

    /** Bits of the status word compared after an instruction. */
    private static final int ALL_SW = 0xFFFF;
    private static final int ARITH_SW = ALL_SW & ~(0x0100 | 0x0400 | 0x4000);

    private int depth;
    private int swMask;
    private int opSlot;

    @Override
    public void emit(GenContext g) {
        g.set(BASE, DiffLayout.DATA_BASE);
        g.reserve(BASE, 0, 1, 2);
        depth = 0;
        swMask = ALL_SW;
        opSlot = 0;
        maskLowBits = false;
        raw(g, "fninit", 0xDB, 0xE3);
        int pc = switch (g.rng.nextInt(4)) {
            case 0 -> 0;
            case 1 -> 2;
            default -> 3;
        };
        int kind = g.rng.nextInt(100);
        boolean transcendental = kind >= 92 && kind < 96;
        int masks = 0x3F;
        boolean unmasked = !transcendental && g.rng.nextInt(12) == 0;
        if (unmasked) {
            masks &= ~(1 << g.rng.nextInt(6));
            if (g.rng.nextBoolean()) {
                masks &= ~(1 << g.rng.nextInt(6));
            }
        }
        int cw = 0x40 | masks | pc << 8 | g.rng.nextInt(4) << 10;
        storeImm(g, CW, cw, 2);
        memOp(g, "fldcw", 0xD9, 5, CW, 2);
        String form;
        if (kind < 30) {
            form = arithmetic(g);
        } else if (kind < 42) {
            form = memoryArithmetic(g);
        } else if (kind < 60) {
            form = unary(g);
        } else if (kind < 70) {
            form = compare(g);
        } else if (kind < 78) {
            form = load(g);
        } else if (kind < 88) {
            form = store(g);
        } else if (kind < 91) {
            form = constant(g);
        } else if (kind < 92) {
            form = saveRestore(g);
        } else if (transcendental) {
            form = transcendental(g);
        } else {
            form = sequence(g);
        }
        if (unmasked) {
            raw(g, "fwait", 0x9B);
        }
        observe(g);
        g.form("x87 " + form + (unmasked ? " unmasked" : ""));
    }

    // ---------------------------------------------------------------- operand values

    /** A random 80-bit value {exponent word, significand} of any class. */
    private static long[] value(GenContext g) {
        int sign = g.rng.nextInt(4) == 0 ? 0x8000 : 0;
        long m;
        int e;
        switch (g.rng.nextInt(24)) {
            case 0 -> { e = 0; m = 0; }
            case 1 -> { e = 0; m = g.rng.nextLong() >>> g.rng.nextInt(1, 63); }          // denormal
            case 2 -> { e = 0; m = INT_BIT | g.rng.nextLong(); }                        // pseudo-denormal
            case 3 -> { e = g.rng.nextInt(1, 0x7FFF); m = g.rng.nextLong() >>> 1; }      // unnormal
            case 4 -> { e = 0x7FFF; m = INT_BIT; }                                       // infinity
            case 5 -> { e = 0x7FFF; m = INT_BIT | 0x4000_0000_0000_0000L | (g.rng.nextLong() >>> 2); } // QNaN
            case 6 -> { e = 0x7FFF; m = INT_BIT | Math.max(1, g.rng.nextLong() >>> 2); } // SNaN
            case 7 -> { e = 0x7FFF; m = g.rng.nextBoolean() ? 0 : g.rng.nextLong() >>> 1; } // pseudo-inf/NaN
            case 8 -> { e = 0x7FFF; m = 0xC000_0000_0000_0000L; sign = 0x8000; }          // indefinite
            case 9 -> { e = g.rng.nextInt(1, 64); m = INT_BIT | g.rng.nextLong(); }       // tiny normals
            case 10 -> { e = 0x7FFE - g.rng.nextInt(64); m = INT_BIT | g.rng.nextLong(); } // huge normals
            case 11 -> { e = 0x7FFE; m = -1L; }                                          // max
            case 12 -> { e = 1; m = INT_BIT; }                                            // min normal
            case 13 -> {                                                                  // small integer
                long v = g.rng.nextLong(1, 1L << g.rng.nextInt(1, 63));
                int lz = Long.numberOfLeadingZeros(v);
                e = 16383 + 63 - lz;
                m = v << lz;
            }
            case 14 -> { e = 16383 + g.rng.nextInt(-3, 4); m = INT_BIT | (g.rng.nextLong() & ~((1L << g.rng.nextInt(1, 40)) - 1)); }
            case 15 -> { e = 16383 + g.rng.nextInt(-2, 3); m = INT_BIT | (g.rng.nextLong() >>> 1) | 0xFF; } // sticky low bits
            case 16 -> { e = 16383 + g.rng.nextInt(-1, 70); m = INT_BIT | ((long) g.rng.nextInt() << 32); } // halves
            case 17 -> { e = 16383 + g.rng.nextInt(-64, 64); m = -1L; }                   // all ones
            default -> { e = 16383 + g.rng.nextInt(-200, 200); m = INT_BIT | g.rng.nextLong(); }
        }
        return new long[] {sign | e, m};
    }

    /** A second operand related to {@code a} (near exponent, same or nearby significand) or independent. */
    private static long[] partner(GenContext g, long[] a) {
        int choice = g.rng.nextInt(5);
        if (choice == 0 && (a[0] & 0x7FFF) != 0x7FFF && (a[0] & 0x7FFF) > 80) {
            int e = (int) ((a[0] & 0x7FFF) + g.rng.nextInt(-70, 71));
            long m = g.rng.nextBoolean() ? a[1] ^ (1L << g.rng.nextInt(64)) | INT_BIT : INT_BIT | g.rng.nextLong();
            return new long[] {(g.rng.nextBoolean() ? 0x8000 : 0) | Math.max(1, Math.min(0x7FFE, e)), m};
        }
        if (choice == 1) {
            return new long[] {a[0] ^ (g.rng.nextBoolean() ? 0x8000 : 0), a[1]};
        }
        return value(g);
    }

    private static long float32(GenContext g) {
        return switch (g.rng.nextInt(12)) {
            case 0 -> g.rng.nextBoolean() ? 0 : 0x8000_0000L;
            case 1 -> 0x7F80_0000L | (g.rng.nextBoolean() ? 0x8000_0000L : 0);
            case 2 -> 0x7FC0_0000L | g.rng.nextInt(1 << 22);
            case 3 -> 0x7F80_0001L + g.rng.nextInt(1 << 21);
            case 4 -> g.rng.nextInt(1, 1 << 23);
            case 5 -> 0x7F7F_FFFFL;
            default -> g.rng.nextInt() & 0xFFFF_FFFFL;
        };
    }

    private static long float64(GenContext g) {
        return switch (g.rng.nextInt(12)) {
            case 0 -> g.rng.nextBoolean() ? 0 : INT_BIT;
            case 1 -> 0x7FF0_0000_0000_0000L | (g.rng.nextBoolean() ? INT_BIT : 0);
            case 2 -> 0x7FF8_0000_0000_0000L | g.rng.nextLong(1L << 51);
            case 3 -> 0x7FF0_0000_0000_0001L + g.rng.nextLong(1L << 50);
            case 4 -> g.rng.nextLong(1, 1L << 52);
            case 5 -> 0x7FEF_FFFF_FFFF_FFFFL;
            default -> g.rng.nextLong();
        };
    }

    // ---------------------------------------------------------------- forms

    private String arithmetic(GenContext g) {
        long[] a = value(g);
        long[] b = partner(g, a);
        push80(g, b);
        push80(g, a);
        int op = g.rng.nextInt(8);
        int shape = g.rng.nextInt(3);
        String[] names = {"fadd", "fmul", "fcom", "fcomp", "fsub", "fsubr", "fdiv", "fdivr"};
        if (op == 2 || op == 3) {
            raw(g, names[op] + " st(1)", 0xD8, 0xC0 | op << 3 | 1);
            if (op == 3) {
                depth--;
            }
            swMask = ALL_SW;
            return names[op];
        }
        swMask = ARITH_SW;
        switch (shape) {
            case 0 -> raw(g, names[op] + " st(0), st(1)", 0xD8, 0xC0 | op << 3 | 1);
            case 1 -> raw(g, names[op ^ (op >= 4 ? 1 : 0)] + " st(1), st(0)", 0xDC, 0xC0 | op << 3 | 1);
            default -> {
                raw(g, names[op ^ (op >= 4 ? 1 : 0)] + "p st(1), st(0)", 0xDE, 0xC0 | op << 3 | 1);
                depth--;
            }
        }
        return names[op] + " " + shape;
    }

    private String memoryArithmetic(GenContext g) {
        push80(g, value(g));
        int op = g.rng.nextInt(8);
        String[] names = {"fadd", "fmul", "fcom", "fcomp", "fsub", "fsubr", "fdiv", "fdivr"};
        int type = g.rng.nextInt(4);
        int off = slot();
        int[] opcodes = {0xD8, 0xDC, 0xDA, 0xDE};
        int[] sizes = {4, 8, 4, 2};
        long v = switch (type) {
            case 0 -> float32(g);
            case 1 -> float64(g);
            case 2 -> g.edgeValue(4);
            default -> g.edgeValue(2);
        };
        storeImm(g, off, v, sizes[type]);
        String name = (type >= 2 ? "fi" + names[op].substring(1) : names[op]);
        memOp(g, name, opcodes[type], op, off, sizes[type]);
        if (op == 3) {
            depth--;
        }
        swMask = op == 2 || op == 3 ? ALL_SW : ARITH_SW;
        return name + " m" + sizes[type] * 8;
    }

    private String unary(GenContext g) {
        long[] a = value(g);
        int which = g.rng.nextInt(11);
        String[] names = {"fsqrt", "frndint", "fchs", "fabs", "ftst", "fxam", "fxtract", "fscale", "fprem", "fprem1",
            "fscale"};
        int[] codes = {0xFA, 0xFC, 0xE0, 0xE1, 0xE4, 0xE5, 0xF4, 0xFD, 0xF8, 0xF5, 0xFD};
        if (which >= 7) {
            long[] b;
            if (which == 7) {
                // A scale factor: a small or large integer, or any value.
                b = g.rng.nextBoolean() ? integer80(g.rng.nextLong(-70000, 70000)) : value(g);
            } else if (which == 10) {
                b = integer80(g.rng.nextLong(-64, 64));
            } else {
                b = divisorWithin64(g, a);
            }
            push80(g, b);
        }
        push80(g, a);
        raw(g, names[which], 0xD9, codes[which]);
        if (which == 6) {
            depth++;
        }
        swMask = switch (which) {
            case 4, 5, 8, 9 -> ALL_SW;
            default -> ARITH_SW;
        };
        return names[which];
    }

    /** An FPREM divisor whose exponent is within 63 of the dividend's (a complete reduction), or special. */
    private static long[] divisorWithin64(GenContext g, long[] a) {
        int ea = (int) (a[0] & 0x7FFF);
        if (ea == 0x7FFF || ea == 0 || g.rng.nextInt(6) == 0) {
            long[] b = value(g);
            int eb = (int) (b[0] & 0x7FFF);
            if (ea == 0x7FFF || eb == 0x7FFF || a[1] == 0 || b[1] == 0 || (ea != 0 && a[1] >= 0)
                    || (eb != 0 && b[1] >= 0)) {
                return b; // NaN, infinity, zero or unsupported: no reduction loop
            }
            if (normalizedExponent(a) - normalizedExponent(b) < 64) {
                return b;
            }
            if (ea == 0) {
                return new long[] {0x8000 & b[0], 0};
            }
        }
        int eb = ea - g.rng.nextInt(0, 62) + (g.rng.nextInt(4) == 0 ? g.rng.nextInt(0, 3) : 0);
        eb = Math.max(1, Math.min(0x7FFE, eb));
        return new long[] {(g.rng.nextBoolean() ? 0x8000 : 0) | eb, INT_BIT | g.rng.nextLong()};
    }

    private static int normalizedExponent(long[] v) {
        return Math.max((int) (v[0] & 0x7FFF), 1) - Long.numberOfLeadingZeros(v[1]);
    }

    private static long[] integer80(long v) {
        if (v == 0) {
            return new long[] {0, 0};
        }
        long mag = Math.abs(v);
        int lz = Long.numberOfLeadingZeros(mag);
        return new long[] {(v < 0 ? 0x8000 : 0) | (16383 + 63 - lz), mag << lz};
    }

    private String compare(GenContext g) {
        long[] a = value(g);
        long[] b = g.rng.nextInt(4) == 0 ? a.clone() : partner(g, a);
        push80(g, b);
        push80(g, a);
        swMask = ALL_SW;
        switch (g.rng.nextInt(8)) {
            case 0 -> raw(g, "fucom st(1)", 0xDD, 0xE1);
            case 1 -> { raw(g, "fucomp st(1)", 0xDD, 0xE9); depth--; }
            case 2 -> { raw(g, "fcompp", 0xDE, 0xD9); depth -= 2; }
            case 3 -> { raw(g, "fucompp", 0xDA, 0xE9); depth -= 2; }
            case 4, 5, 6, 7 -> {
                int k = g.rng.nextInt(4);
                int[][] codes = {{0xDB, 0xF1}, {0xDB, 0xE9}, {0xDF, 0xF1}, {0xDF, 0xE9}};
                String[] names = {"fcomi", "fucomi", "fcomip", "fucomip"};
                raw(g, names[k] + " st(0), st(1)", codes[k][0], codes[k][1]);
                if (k >= 2) {
                    depth--;
                }
                raw(g, "lahf", 0x9F);
                Reg eax = new Reg(0, 4, false);
                Reg al = new Reg(0, 1, false);
                g.asm.op("movzx", 0x0F, 0xB6).reg(eax).rm(new Reg(4, 1, true)).show(eax, new Literal("ah")).emit();
                g.asm.op("mov", 0x88).reg(al).rm(Mem.at(BASE, OUT + 8, 1)).show(Mem.at(BASE, OUT + 8, 1), al).emit();
                return names[k];
            }
            default -> throw new IllegalStateException();
        }
        return "fucom-family";
    }

    private String load(GenContext g) {
        int type = g.rng.nextInt(7);
        int off = slot();
        swMask = ARITH_SW;
        switch (type) {
            case 0 -> { storeImm(g, off, float32(g), 4); memOp(g, "fld", 0xD9, 0, off, 4); }
            case 1 -> { storeImm(g, off, float64(g), 8); memOp(g, "fld", 0xDD, 0, off, 8); }
            case 2 -> { storeImm(g, off, g.edgeValue(2), 2); memOp(g, "fild", 0xDF, 0, off, 2); }
            case 3 -> { storeImm(g, off, g.edgeValue(4), 4); memOp(g, "fild", 0xDB, 0, off, 4); }
            case 4 -> { storeImm(g, off, g.edgeValue(8), 8); memOp(g, "fild", 0xDF, 5, off, 8); }
            case 5 -> {
                long low = 0;
                int high = g.rng.nextBoolean() ? 0x8000 : 0;
                for (int i = 0; i < 9; i++) {
                    int digits = g.rng.nextInt(4) == 0 ? 0x99 : g.rng.nextInt(10) << 4 | g.rng.nextInt(10);
                    if (i < 8) {
                        low |= (long) digits << (8 * i);
                    } else {
                        high |= digits;
                    }
                }
                storeImm(g, off, low, 8);
                storeImm(g, off + 8, high, 2);
                memOp(g, "fbld", 0xDF, 4, off, 10);
            }
            default -> {
                long[] v = value(g);
                storeImm(g, off, v[1], 8);
                storeImm(g, off + 8, v[0], 2);
                memOp(g, "fld", 0xDB, 5, off, 10);
            }
        }
        depth++;
        return "load " + type;
    }

    private String store(GenContext g) {
        long[] a = g.rng.nextInt(3) == 0 ? integer80(g.edgeValue(8) >> g.rng.nextInt(64)) : value(g);
        if (g.rng.nextInt(4) == 0 && (a[0] & 0x7FFF) != 0x7FFF) {
            // Near an integer boundary or within the range of the destination.
            a[0] = (a[0] & 0x8000) | (16383 + g.rng.nextInt(-2, 66));
            a[1] |= INT_BIT;
        }
        push80(g, a);
        int type = g.rng.nextInt(15);
        int off = OUT + 16;
        swMask = ARITH_SW;
        String[] names = {"fst", "fstp", "fst", "fstp", "fist", "fistp", "fist", "fistp", "fistp", "fisttp", "fisttp",
            "fisttp", "fbstp", "fstp", "fstp"};
        int[][] enc = {{0xD9, 2, 4}, {0xD9, 3, 4}, {0xDD, 2, 8}, {0xDD, 3, 8}, {0xDF, 2, 2}, {0xDF, 3, 2},
            {0xDB, 2, 4}, {0xDB, 3, 4}, {0xDF, 7, 8}, {0xDF, 1, 2}, {0xDB, 1, 4}, {0xDD, 1, 8}, {0xDF, 6, 10},
            {0xDB, 7, 10}, {0xDD, 3, 8}};
        int[] e = enc[type];
        memOp(g, names[type], e[0], e[1], off, e[2]);
        if (e[1] != 2) {
            depth--;
        }
        return names[type] + " m" + e[2] * 8;
    }

    private String constant(GenContext g) {
        int k = g.rng.nextInt(7);
        String[] names = {"fld1", "fldl2t", "fldl2e", "fldpi", "fldlg2", "fldln2", "fldz"};
        raw(g, names[k], 0xD9, 0xE8 + k);
        depth++;
        swMask = ARITH_SW;
        return names[k];
    }

    /** Compare transcendental results bit for bit (reports the host agreement rate as mismatches). */
    private static final boolean EXACT_TRANSCENDENTALS = Boolean.getBoolean("partita.diff.x87exact");
    /** Status bits compared after a transcendental: C2 and the exceptions other than PE and UE. */
    private static final int TRANSCENDENTAL_SW = ALL_SW & ~(0x0100 | 0x0200 | 0x4000 | 0x20 | 0x10);

    private boolean maskLowBits;

    /**
     * FSIN, FCOS, FSINCOS, FPTAN, F2XM1, FPATAN, FYL2X, FYL2XP1 on arguments where the hardware is
     * specified accurate (|x| < pi/4 for the trigonometric ones, |x| <= 1 for F2XM1, x > 0 for
     * FYL2X, |x| < 1 - sqrt(2)/2 for FYL2XP1) plus special operands. The SDM gives these results
     * to about one unit in the last place, not bit for bit, so only the top 48 significand bits are
     * compared, and PE, UE, C1 (which depend on the last bit) are not.
     */
    private String transcendental(GenContext g) {
        int op = g.rng.nextInt(8);
        String[] names = {"fsin", "fcos", "fsincos", "fptan", "f2xm1", "fpatan", "fyl2x", "fyl2xp1"};
        int[] codes = {0xFE, 0xFF, 0xFB, 0xF2, 0xF0, 0xF3, 0xF1, 0xF9};
        if (op >= 5) {
            push80(g, g.rng.nextInt(8) == 0 ? special(g, false) : scaled(g, g.rng.nextInt(-20, 20)));
        }
        long[] a;
        if (g.rng.nextInt(8) == 0) {
            a = special(g, op <= 3); // special operand classes
            if (op == 6 || op == 7) {
                a[0] &= 0x7FFF; // inside the domain: FYL2X needs x >= 0, FYL2XP1 a small x
            }
        } else {
            int maxExp = switch (op) {
                case 0, 1, 2, 3 -> -1;   // |x| < 0.5 < pi/4
                case 4 -> -1;
                case 7 -> -2;            // |x| < 0.25
                default -> 20;
            };
            a = scaled(g, g.rng.nextInt(-40, maxExp + 1) - (g.rng.nextInt(6) == 0 ? 2000 : 0));
            if (op == 6) {
                a[0] &= 0x7FFF; // FYL2X: x > 0
            }
        }
        push80(g, a);
        raw(g, names[op], 0xD9, codes[op]);
        if (op == 2 || op == 3) {
            depth++;
        } else if (op >= 5) {
            depth--;
        }
        swMask = TRANSCENDENTAL_SW;
        maskLowBits = !EXACT_TRANSCENDENTALS;
        return names[op];
    }

    /**
     * Zero, infinity, NaN, denormal, unsupported encodings, and for the trigonometric forms a value
     * of 2^63 or more (out of range: C2).
     */
    private static long[] special(GenContext g, boolean trig) {
        int sign = g.rng.nextBoolean() ? 0x8000 : 0;
        return switch (g.rng.nextInt(trig ? 7 : 6)) {
            case 0 -> new long[] {sign, 0};
            case 1 -> new long[] {sign | 0x7FFF, INT_BIT};
            case 2 -> new long[] {sign | 0x7FFF, 0xC000_0000_0000_0000L | g.rng.nextLong(1L << 40)};
            case 3 -> new long[] {sign | 0x7FFF, INT_BIT | 1 + g.rng.nextLong(1L << 40)};
            case 4 -> new long[] {sign, g.rng.nextLong() >>> g.rng.nextInt(1, 20)};
            case 5 -> new long[] {sign | g.rng.nextInt(1, 0x7FFF), g.rng.nextLong() >>> 1};
            default -> new long[] {sign | (16383 + 63 + g.rng.nextInt(0, 100)), INT_BIT | g.rng.nextLong()};
        };
    }

    /** A normal value with unbiased exponent {@code e}, random sign and significand. */
    private static long[] scaled(GenContext g, int e) {
        return new long[] {(g.rng.nextBoolean() ? 0x8000 : 0) | (16383 + e), INT_BIT | g.rng.nextLong()};
    }

    private static final int IMAGE = 0x300; // FNSAVE/FXSAVE/FNSTENV image, 16-byte aligned, 512 bytes

    /**
     * A save/restore round trip after an operation that leaves flags and condition codes: FNSAVE +
     * FRSTOR, FXSAVE + FXRSTOR, FNSTENV + FLDENV; the saved control, status and tag words go to
     * R8-R10 (FXSAVE: the abridged tag byte), then the image is cleared (its instruction and operand
     * pointers, FOP and MXCSR_MASK are implementation-specific) and the restored state is observed.
     */
    private String saveRestore(GenContext g) {
        int loads = g.rng.nextInt(0, 8);
        for (int i = 0; i < loads; i++) {
            push80(g, value(g));
        }
        if (depth >= 2) {
            int op = g.rng.nextInt(8);
            raw(g, "arith st(0), st(1)", 0xD8, 0xC0 | op << 3 | 1);
            if (op == 3) {
                depth--;
            }
        }
        swMask = depth >= 2 ? ARITH_SW : ALL_SW;
        int which = g.rng.nextInt(3);
        Mem image = Mem.at(BASE, IMAGE, 0);
        int[] words;
        String name;
        switch (which) {
            case 0 -> {
                g.asm.op("fnsave", 0xDD).ext(6).rm(image).show(image).emit();
                words = new int[] {0, 4, 8};
                name = "fnsave";
            }
            case 1 -> {
                g.asm.op("fxsave", 0x0F, 0xAE).ext(0).rm(image).show(image).emit();
                words = new int[] {0, 2, -4};
                name = "fxsave";
            }
            default -> {
                g.asm.op("fnstenv", 0xD9).ext(6).rm(image).show(image).emit();
                words = new int[] {0, 4, 8};
                name = "fnstenv";
            }
        }
        for (int k = 0; k < 3; k++) {
            Reg r = new Reg(8 + k, 4, false);
            int off = Math.abs(words[k]);
            if (words[k] < 0) {
                g.asm.op("movzx", 0x0F, 0xB6).reg(r).rm(Mem.at(BASE, IMAGE + off, 1)).show(r, Mem.at(BASE, IMAGE + off, 1)).emit();
            } else {
                g.asm.op("movzx", 0x0F, 0xB7).reg(r).rm(Mem.at(BASE, IMAGE + off, 2)).show(r, Mem.at(BASE, IMAGE + off, 2)).emit();
            }
        }
        switch (which) {
            case 0 -> g.asm.op("frstor", 0xDD).ext(4).rm(image).show(image).emit();
            case 1 -> g.asm.op("fxrstor", 0x0F, 0xAE).ext(1).rm(image).show(image).emit();
            default -> g.asm.op("fldenv", 0xD9).ext(4).rm(image).show(image).emit();
        }
        raw(g, "cld", 0xFC);
        Reg rdi = new Reg(7, 8, false);
        g.asm.op("lea", 0x8D).w().reg(rdi).rm(image).show(rdi, image).emit();
        Reg ecx = new Reg(1, 4, false);
        g.asm.op("mov", 0xB9).imm(64, 4).show(ecx, new Imm(64)).emit();
        Reg eax = new Reg(0, 4, false);
        g.asm.op("mov", 0xB8).imm(0, 4).show(eax, new Imm(0)).emit();
        g.asm.op("rep stosq", 0xAB).prefix(0xF3).w().emit();
        return name;
    }

    /** Two to four operations on a small stack: arithmetic, stack moves, FXCH, FINCSTP/FDECSTP, FFREE, stack overflow. */
    private String sequence(GenContext g) {
        int n = g.rng.nextInt(2, 5);
        int loads = g.rng.nextInt(1, 10); // up to 9: a ninth push overflows the stack
        for (int i = 0; i < loads; i++) {
            push80(g, value(g));
        }
        depth = Math.min(depth, 8);
        swMask = ARITH_SW;
        for (int k = 0; k < n; k++) {
            int i = g.rng.nextInt(1, 8);
            int op = g.rng.nextInt(14);
            // Condition codes the SDM defines after this operation (FXAM: all; FFREE, FNCLEX: none;
            // FCMOVcc: C1 only on a stack underflow, so none; the rest: C1).
            // FXAM of an empty ST(0) reports in C1 the sign bit of whatever the register last held.
            swMask = op == 13 ? ALL_SW & ~0x0200 : op == 10 || op == 11 || op == 12 ? ALL_SW & ~0x4700 : ARITH_SW;
            switch (op) {
                case 8 -> raw(g, "fincstp", 0xD9, 0xF7);
                case 9 -> raw(g, "fdecstp", 0xD9, 0xF6);
                case 10 -> raw(g, "ffree st(" + i + ")", 0xDD, 0xC0 + i);
                case 11 -> raw(g, "fnclex", 0xDB, 0xE2);
                case 12 -> {
                    int cc = g.rng.nextInt(8);
                    raw(g, "fcmov" + cc + " st(0), st(" + i + ")", cc < 4 ? 0xDA : 0xDB, 0xC0 + (cc & 3) * 8 + i);
                }
                case 13 -> raw(g, "fxam", 0xD9, 0xE5);
                case 0 -> raw(g, "fxch st(" + i + ")", 0xD9, 0xC8 + i);
                case 1 -> { raw(g, "fld st(" + i + ")", 0xD9, 0xC0 + i); depth = Math.min(8, depth + 1); }
                case 2 -> raw(g, "fst st(" + i + ")", 0xDD, 0xD0 + i);
                case 3 -> raw(g, "fadd st(0), st(" + i + ")", 0xD8, 0xC0 + i);
                case 4 -> raw(g, "fmul st(" + i + "), st(0)", 0xDC, 0xC8 + i);
                case 5 -> raw(g, "fsqrt", 0xD9, 0xFA);
                case 6 -> raw(g, "frndint", 0xD9, 0xFC);
                default -> raw(g, "fdivr st(0), st(" + i + ")", 0xD8, 0xF8 + i);
            }
        }
        return "seq";
    }

    // ---------------------------------------------------------------- emission helpers

    private int slot() {
        int off = OPS + 16 * opSlot;
        opSlot++;
        return off;
    }

    /** Writes the value to a fresh operand slot and loads it with FLD m80. */
    private void push80(GenContext g, long[] v) {
        int off = slot();
        storeImm(g, off, v[1], 8);
        storeImm(g, off + 8, v[0], 2);
        memOp(g, "fld", 0xDB, 5, off, 10);
        depth++;
    }

    /** An instruction without operands in ModRM memory form, as bytes (the text is a comment). */
    private static void raw(GenContext g, String text, int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) bytes[i];
        }
        g.asm.raw(b, text);
    }

    private static void memOp(GenContext g, String name, int opcode, int ext, int off, int size) {
        Mem m = Mem.at(BASE, off, size);
        g.asm.op(name, opcode).ext(ext).rm(m).show(m).emit();
    }

    /** Stores an immediate of 2, 4 or 8 bytes at DATA_BASE + off (through RAX for 8 bytes). */
    private static void storeImm(GenContext g, int off, long v, int size) {
        Mem m = Mem.at(BASE, off, size);
        switch (size) {
            case 2 -> g.asm.op("mov", 0xC7).o16().ext(0).rm(m).imm(v & 0xFFFF, 2).show(m, new Imm(v & 0xFFFF)).emit();
            case 4 -> g.asm.op("mov", 0xC7).ext(0).rm(m).imm(v & 0xFFFF_FFFFL, 4).show(m, new Imm(v & 0xFFFF_FFFFL)).emit();
            default -> {
                Reg rax = new Reg(0, 8, false);
                g.asm.op("movabs", 0xB8).w().plus(rax).imm(v, 8).show(rax, new Imm(v)).emit();
                g.asm.op("mov", 0x89).w().reg(rax).rm(m).show(m, rax).emit();
            }
        }
    }

    /**
     * Moves the control, status (masked) and tag words into RCX, RAX, RDX, clears the environment
     * image (its instruction and operand pointers are not compared), stores every stack register and
     * leaves the x87 in its initial state.
     */
    private void observe(GenContext g) {
        Mem env = Mem.at(BASE, ENV, 0);
        g.asm.op("fnstenv", 0xD9).ext(6).rm(env).show(env).emit();
        Reg eax = new Reg(0, 4, false);
        Reg ecx = new Reg(1, 4, false);
        Reg edx = new Reg(2, 4, false);
        g.asm.op("movzx", 0x0F, 0xB7).reg(eax).rm(Mem.at(BASE, ENV + 4, 2)).show(eax, Mem.at(BASE, ENV + 4, 2)).emit();
        g.asm.op("and", 0x25).imm(swMask, 4).show(eax, new Imm(swMask)).emit();
        g.flagOp(0, Emit.ALL, Emit.AF);
        g.asm.op("movzx", 0x0F, 0xB7).reg(ecx).rm(Mem.at(BASE, ENV, 2)).show(ecx, Mem.at(BASE, ENV, 2)).emit();
        g.asm.op("movzx", 0x0F, 0xB7).reg(edx).rm(Mem.at(BASE, ENV + 8, 2)).show(edx, Mem.at(BASE, ENV + 8, 2)).emit();
        for (int i = 0; i < 28; i += 8) {
            Mem q = Mem.at(BASE, ENV + Math.min(i, 20), 8);
            g.asm.op("mov", 0xC7).w().ext(0).rm(q).imm(0, 4).show(q, new Imm(0)).emit();
        }
        // FNSTENV masked every exception; the registers are stored under that control word.
        int n = Math.max(0, Math.min(depth, 8));
        for (int i = 0; i < n; i++) {
            Mem r = Mem.at(BASE, REGS + 10 * i, 10);
            g.asm.op("fstp", 0xDB).ext(7).rm(r).show(r).emit();
            if (maskLowBits) {
                Mem q = Mem.at(BASE, REGS + 10 * i, 8);
                g.asm.op("and", 0x81).w().ext(4).rm(q).imm(0xFFFF_0000L, 4).show(q, new Imm(-0x10000)).emit();
            }
        }
        raw(g, "fninit", 0xDB, 0xE3);
    }
}

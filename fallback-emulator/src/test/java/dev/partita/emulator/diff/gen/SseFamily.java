package dev.partita.emulator.diff.gen;

import dev.partita.emulator.diff.asm.Operand;
import dev.partita.emulator.diff.asm.Operand.Imm;
import dev.partita.emulator.diff.asm.Operand.Literal;
import dev.partita.emulator.diff.asm.Operand.Mem;
import dev.partita.emulator.diff.asm.Operand.Reg;

/**
 * SSE/SSE2 forms, as two families: "sse" (integer, logic, shuffles and data movement; MXCSR default)
 * and "ssefp" (floating-point arithmetic, compares and conversions under random MXCSR modes). Forms: packed integer arithmetic, compares, logic, shifts (by
 * XMM and by imm8), unpacks/packs/shuffles, MOVD/MOVQ/MOVDQA/MOVDQU, PMOVMSKB/PEXTRW/PINSRW; packed
 * and scalar single/double ADD/SUB/MUL/DIV/MIN/MAX/SQRT, CMPxx with all eight predicates,
 * (U)COMISS/SD (flags), conversions between integers, singles and doubles (including the truncating
 * forms and GPR sources/destinations), logic, SHUFPS/PD, UNPCK. XMM registers start with edge lanes
 * (zeros, infinities, quiet and signalling NaNs, denormals, extreme integers); MXCSR with a random
 * rounding mode, sometimes FTZ/DAZ, and rarely an unmasked exception (#XM, vector 19). Memory
 * operands are mostly 16-byte aligned (misaligned 128-bit legacy-SSE operands are #GP(0)). RCPPS and
 * RSQRTPS are left out: their approximations differ between CPU vendors.
 */
final class SseFamily implements Family {

    /** How a form's operands are arranged. */
    private enum Shape { XX, XX_IMM, X_SHIFT_IMM, G_FROM_X, X_FROM_G, STORE, G_FROM_X_IMM, X_FROM_G_IMM }

    /** One form: prefix (0 = none), opcode after 0F, memory operand size, shape, /ext for shift-imm. */
    private record Form(String mnemonic, int prefix, int opcode, int memSize, Shape shape, int ext, int gprSize) {
        Form(String mnemonic, int prefix, int opcode, int memSize, Shape shape) {
            this(mnemonic, prefix, opcode, memSize, shape, 0, 0);
        }

        /** Floating-point arithmetic, compares and conversions (MXCSR rounding, flags, DAZ/FTZ, #XM). */
        boolean floatingPoint() {
            return switch (opcode) {
                case 0x58, 0x59, 0x5C, 0x5D, 0x5E, 0x5F, 0x51, 0xC2, 0x2E, 0x2F, 0x5B, 0xE6, 0x5A, 0x2A, 0x2C, 0x2D -> true;
                default -> false;
            };
        }
    }

    private static final Form[] ALL_FORMS = buildForms();
    private final Form[] forms;
    private final boolean fp;

    /** {@code fp}: the floating-point forms ("ssefp"); otherwise integer, logic and data movement ("sse"). */
    SseFamily(boolean fp) {
        this.fp = fp;
        this.forms = java.util.Arrays.stream(ALL_FORMS).filter(f -> f.floatingPoint() == fp).toArray(Form[]::new);
    }

    private static Form[] buildForms() {
        java.util.List<Form> f = new java.util.ArrayList<>();
        // SSE2 packed integer, 66 0F xx /r (opcode byte in hex).
        String[][] ints = {
            {"paddb", "FC"}, {"paddw", "FD"}, {"paddd", "FE"}, {"paddq", "D4"}, {"psubb", "F8"}, {"psubw", "F9"},
            {"psubd", "FA"}, {"psubq", "FB"}, {"paddsb", "EC"}, {"paddsw", "ED"}, {"paddusb", "DC"}, {"paddusw", "DD"},
            {"psubsb", "E8"}, {"psubsw", "E9"}, {"psubusb", "D8"}, {"psubusw", "D9"}, {"pcmpeqb", "74"},
            {"pcmpeqw", "75"}, {"pcmpeqd", "76"}, {"pcmpgtb", "64"}, {"pcmpgtw", "65"}, {"pcmpgtd", "66"},
            {"pand", "DB"}, {"pandn", "DF"}, {"por", "EB"}, {"pxor", "EF"}, {"pmullw", "D5"}, {"pmulhw", "E5"},
            {"pmulhuw", "E4"}, {"pmuludq", "F4"}, {"pmaddwd", "F5"}, {"psadbw", "F6"}, {"pavgb", "E0"},
            {"pavgw", "E3"}, {"pminub", "DA"}, {"pmaxub", "DE"}, {"pminsw", "EA"}, {"pmaxsw", "EE"},
            {"punpcklbw", "60"}, {"punpcklwd", "61"}, {"punpckldq", "62"}, {"packsswb", "63"}, {"packuswb", "67"},
            {"punpckhbw", "68"}, {"punpckhwd", "69"}, {"punpckhdq", "6A"}, {"packssdw", "6B"},
            {"punpcklqdq", "6C"}, {"punpckhqdq", "6D"}, {"psrlw", "D1"}, {"psrld", "D2"}, {"psrlq", "D3"},
            {"psraw", "E1"}, {"psrad", "E2"}, {"psllw", "F1"}, {"pslld", "F2"}, {"psllq", "F3"},
        };
        for (String[] s : ints) {
            f.add(new Form(s[0], 0x66, Integer.parseInt(s[1], 16), 16, Shape.XX));
        }
        f.add(new Form("pshufd", 0x66, 0x70, 16, Shape.XX_IMM));
        f.add(new Form("pshufhw", 0xF3, 0x70, 16, Shape.XX_IMM));
        f.add(new Form("pshuflw", 0xF2, 0x70, 16, Shape.XX_IMM));
        f.add(new Form("psrlw", 0x66, 0x71, 0, Shape.X_SHIFT_IMM, 2, 0));
        f.add(new Form("psraw", 0x66, 0x71, 0, Shape.X_SHIFT_IMM, 4, 0));
        f.add(new Form("psllw", 0x66, 0x71, 0, Shape.X_SHIFT_IMM, 6, 0));
        f.add(new Form("psrld", 0x66, 0x72, 0, Shape.X_SHIFT_IMM, 2, 0));
        f.add(new Form("psrad", 0x66, 0x72, 0, Shape.X_SHIFT_IMM, 4, 0));
        f.add(new Form("pslld", 0x66, 0x72, 0, Shape.X_SHIFT_IMM, 6, 0));
        f.add(new Form("psrlq", 0x66, 0x73, 0, Shape.X_SHIFT_IMM, 2, 0));
        f.add(new Form("psrldq", 0x66, 0x73, 0, Shape.X_SHIFT_IMM, 3, 0));
        f.add(new Form("psllq", 0x66, 0x73, 0, Shape.X_SHIFT_IMM, 6, 0));
        f.add(new Form("pslldq", 0x66, 0x73, 0, Shape.X_SHIFT_IMM, 7, 0));
        f.add(new Form("movdqa", 0x66, 0x6F, 16, Shape.XX));
        f.add(new Form("movdqu", 0xF3, 0x6F, 16, Shape.XX));
        f.add(new Form("movdqa", 0x66, 0x7F, 16, Shape.STORE));
        f.add(new Form("movdqu", 0xF3, 0x7F, 16, Shape.STORE));
        f.add(new Form("movq", 0xF3, 0x7E, 8, Shape.XX));
        f.add(new Form("movq", 0x66, 0xD6, 8, Shape.STORE));
        f.add(new Form("movd", 0x66, 0x6E, 4, Shape.X_FROM_G, 0, 4));
        f.add(new Form("movq", 0x66, 0x6E, 8, Shape.X_FROM_G, 0, 8));
        f.add(new Form("movd", 0x66, 0x7E, 4, Shape.G_FROM_X, 0, 4));
        f.add(new Form("movq", 0x66, 0x7E, 8, Shape.G_FROM_X, 0, 8));
        f.add(new Form("pmovmskb", 0x66, 0xD7, 0, Shape.G_FROM_X, 0, 4));
        f.add(new Form("pextrw", 0x66, 0xC5, 0, Shape.G_FROM_X_IMM, 0, 4));
        f.add(new Form("pinsrw", 0x66, 0xC4, 2, Shape.X_FROM_G_IMM, 0, 4));
        // Floating point: packed single (none), packed double (66), scalar single (F3), scalar double (F2).
        String[][] arith = {{"add", "58"}, {"mul", "59"}, {"sub", "5c"}, {"min", "5d"}, {"div", "5e"}, {"max", "5f"},
            {"sqrt", "51"}};
        for (String[] s : arith) {
            int op = Integer.parseInt(s[1], 16);
            f.add(new Form(s[0] + "ps", 0, op, 16, Shape.XX));
            f.add(new Form(s[0] + "pd", 0x66, op, 16, Shape.XX));
            f.add(new Form(s[0] + "ss", 0xF3, op, 4, Shape.XX));
            f.add(new Form(s[0] + "sd", 0xF2, op, 8, Shape.XX));
        }
        f.add(new Form("cmpps", 0, 0xC2, 16, Shape.XX_IMM));
        f.add(new Form("cmppd", 0x66, 0xC2, 16, Shape.XX_IMM));
        f.add(new Form("cmpss", 0xF3, 0xC2, 4, Shape.XX_IMM));
        f.add(new Form("cmpsd", 0xF2, 0xC2, 8, Shape.XX_IMM));
        f.add(new Form("ucomiss", 0, 0x2E, 4, Shape.XX));
        f.add(new Form("ucomisd", 0x66, 0x2E, 8, Shape.XX));
        f.add(new Form("comiss", 0, 0x2F, 4, Shape.XX));
        f.add(new Form("comisd", 0x66, 0x2F, 8, Shape.XX));
        f.add(new Form("andps", 0, 0x54, 16, Shape.XX));
        f.add(new Form("andnpd", 0x66, 0x55, 16, Shape.XX));
        f.add(new Form("orps", 0, 0x56, 16, Shape.XX));
        f.add(new Form("xorpd", 0x66, 0x57, 16, Shape.XX));
        f.add(new Form("shufps", 0, 0xC6, 16, Shape.XX_IMM));
        f.add(new Form("shufpd", 0x66, 0xC6, 16, Shape.XX_IMM));
        f.add(new Form("unpcklps", 0, 0x14, 16, Shape.XX));
        f.add(new Form("unpckhpd", 0x66, 0x15, 16, Shape.XX));
        f.add(new Form("movaps", 0, 0x28, 16, Shape.XX));
        f.add(new Form("movups", 0, 0x10, 16, Shape.XX));
        f.add(new Form("movss", 0xF3, 0x10, 4, Shape.XX));
        f.add(new Form("movsd", 0xF2, 0x10, 8, Shape.XX));
        f.add(new Form("movaps", 0, 0x29, 16, Shape.STORE));
        f.add(new Form("movsd", 0xF2, 0x11, 8, Shape.STORE));
        f.add(new Form("movmskpd", 0x66, 0x50, 0, Shape.G_FROM_X, 0, 4));
        f.add(new Form("cvtdq2ps", 0, 0x5B, 16, Shape.XX));
        f.add(new Form("cvtps2dq", 0x66, 0x5B, 16, Shape.XX));
        f.add(new Form("cvttps2dq", 0xF3, 0x5B, 16, Shape.XX));
        f.add(new Form("cvtdq2pd", 0xF3, 0xE6, 8, Shape.XX));
        f.add(new Form("cvtpd2dq", 0xF2, 0xE6, 16, Shape.XX));
        f.add(new Form("cvttpd2dq", 0x66, 0xE6, 16, Shape.XX));
        f.add(new Form("cvtps2pd", 0, 0x5A, 8, Shape.XX));
        f.add(new Form("cvtpd2ps", 0x66, 0x5A, 16, Shape.XX));
        f.add(new Form("cvtss2sd", 0xF3, 0x5A, 4, Shape.XX));
        f.add(new Form("cvtsd2ss", 0xF2, 0x5A, 8, Shape.XX));
        f.add(new Form("cvtsi2sd", 0xF2, 0x2A, 4, Shape.X_FROM_G, 0, 4));
        f.add(new Form("cvtsi2sd", 0xF2, 0x2A, 8, Shape.X_FROM_G, 0, 8));
        f.add(new Form("cvtsi2ss", 0xF3, 0x2A, 4, Shape.X_FROM_G, 0, 4));
        f.add(new Form("cvtsi2ss", 0xF3, 0x2A, 8, Shape.X_FROM_G, 0, 8));
        f.add(new Form("cvttsd2si", 0xF2, 0x2C, 8, Shape.G_FROM_X, 0, 4));
        f.add(new Form("cvttsd2si", 0xF2, 0x2C, 8, Shape.G_FROM_X, 0, 8));
        f.add(new Form("cvtsd2si", 0xF2, 0x2D, 8, Shape.G_FROM_X, 0, 8));
        f.add(new Form("cvttss2si", 0xF3, 0x2C, 4, Shape.G_FROM_X, 0, 4));
        f.add(new Form("cvtss2si", 0xF3, 0x2D, 4, Shape.G_FROM_X, 0, 8));
        return f.toArray(Form[]::new);
    }

    @Override
    public String name() {
        return fp ? "ssefp" : "sse";
    }

    @Override
    public boolean sequenceSafe() {
        return false;
    }

    @Override
    public void emit(GenContext g) {
        for (int x = 0; x < 16; x++) {
            g.setXmm(x, lane64(g), lane64(g));
        }
        int mxcsr = 0x1F80;
        if (fp) {
            mxcsr |= g.rng.nextInt(4) << 13; // rounding control
            if (g.rng.nextInt(6) == 0) {
                mxcsr |= 0x8000; // FTZ
            }
            if (g.rng.nextInt(6) == 0) {
                mxcsr |= 0x40;   // DAZ
            }
            if (g.rng.nextInt(30) == 0) {
                mxcsr &= ~(1 << (7 + g.rng.nextInt(6))); // one exception unmasked: #XM when it occurs
            }
        }
        g.mxcsr(mxcsr);
        int n = g.rng.nextInt(1, 4);
        String key = null;
        for (int i = 0; i < n; i++) {
            Form f = forms[g.rng.nextInt(forms.length)];
            one(g, f);
            key = key == null ? f.mnemonic() : key;
        }
        g.form(n == 1 ? name() + " " + key : name() + " seq");
    }

    /** A 64-bit lane: two edge singles, an edge double, or integer patterns. */
    private static long lane64(GenContext g) {
        return switch (g.rng.nextInt(4)) {
            case 0 -> (edgeFloat(g) & 0xFFFF_FFFFL) | ((long) edgeFloat(g) << 32);
            case 1 -> edgeDouble(g);
            case 2 -> g.edgeValue(8);
            default -> g.rng.nextLong();
        };
    }

    private static int edgeFloat(GenContext g) {
        return switch (g.rng.nextInt(16)) {
            case 0 -> 0;
            case 1 -> 0x8000_0000;
            case 2 -> 0x7F80_0000;                          // +inf
            case 3 -> 0xFF80_0000;                          // -inf
            case 4 -> 0x7FC0_0000 | g.rng.nextInt(1 << 22); // quiet NaN
            case 5 -> 0x7F80_0001 + g.rng.nextInt(1 << 21); // signalling NaN
            case 6 -> g.rng.nextInt(1, 1 << 23);            // denormal
            case 7 -> 0x7F7F_FFFF;                          // max
            case 8 -> 0x0080_0000;                          // min normal
            case 9 -> Float.floatToRawIntBits((float) g.rng.nextInt(-1000, 1000));
            case 10 -> Float.floatToRawIntBits(g.rng.nextFloat() * 4 - 2);
            case 11 -> Float.floatToRawIntBits((float) (g.rng.nextInt(-3, 4) * Math.pow(2, g.rng.nextInt(-30, 33))));
            case 12 -> 0x4F00_0000;                         // 2^31 (conversion overflow edge)
            case 13 -> 0xCF00_0000;                         // -2^31
            default -> g.rng.nextInt();
        };
    }

    private static long edgeDouble(GenContext g) {
        return switch (g.rng.nextInt(16)) {
            case 0 -> 0;
            case 1 -> 0x8000_0000_0000_0000L;
            case 2 -> 0x7FF0_0000_0000_0000L;
            case 3 -> 0xFFF0_0000_0000_0000L;
            case 4 -> 0x7FF8_0000_0000_0000L | g.rng.nextLong(1L << 51);
            case 5 -> 0x7FF0_0000_0000_0001L + g.rng.nextLong(1L << 50);
            case 6 -> g.rng.nextLong(1, 1L << 52);
            case 7 -> 0x7FEF_FFFF_FFFF_FFFFL;
            case 8 -> 0x0010_0000_0000_0000L;
            case 9 -> Double.doubleToRawLongBits(g.rng.nextInt(-100000, 100000));
            case 10 -> Double.doubleToRawLongBits(g.rng.nextDouble() * 4 - 2);
            case 11 -> Double.doubleToRawLongBits(g.rng.nextInt(-3, 4) * Math.pow(2, g.rng.nextInt(-60, 65)));
            case 12 -> 0x41E0_0000_0000_0000L;              // 2^31
            case 13 -> 0xC3E0_0000_0000_0000L;              // -2^63
            default -> g.rng.nextLong();
        };
    }

    private static Literal x(int n) {
        return new Literal("xmm" + n);
    }

    private void one(GenContext g, Form f) {
        int dst = g.rng.nextInt(16);
        int src = g.rng.nextInt(16);
        boolean mem = f.memSize() > 0 && g.rng.nextInt(3) == 0;
        Mem rm = null;
        if (mem) {
            rm = g.memAligned(f.memSize(), f.memSize() == 16 && g.rng.nextInt(8) != 0 ? 16 : 1);
        }
        var insn = g.asm.op(f.mnemonic(), 0x0F, f.opcode());
        if (f.prefix() != 0) {
            insn.prefix(f.prefix());
        }
        switch (f.shape()) {
            case XX -> {
                insn.xreg(dst);
                if (mem) {
                    insn.rm(rm).show(x(dst), rm);
                } else {
                    insn.xrm(src).show(x(dst), x(src));
                }
            }
            case XX_IMM -> {
                int imm = f.opcode() == 0xC2 ? g.rng.nextInt(8) : g.rng.nextInt(256);
                insn.xreg(dst).imm(imm, 1);
                if (mem) {
                    insn.rm(rm).show(x(dst), rm, new Imm(imm));
                } else {
                    insn.xrm(src).show(x(dst), x(src), new Imm(imm));
                }
            }
            case X_SHIFT_IMM -> {
                int imm = g.rng.nextInt(4) == 0 ? g.rng.nextInt(256) : g.rng.nextInt(0, 66);
                insn.ext(f.ext()).xrm(dst).imm(imm, 1).show(x(dst), new Imm(imm));
            }
            case STORE -> {
                insn.xreg(src);
                if (mem) {
                    insn.rm(rm).show(rm, x(src));
                } else {
                    insn.xrm(dst).show(x(dst), x(src));
                }
            }
            case G_FROM_X, G_FROM_X_IMM -> {
                Reg r = g.pickReg(f.gprSize());
                boolean storeForm = f.opcode() == 0x7E; // movd/movq r/m, xmm: xmm in ModRM.reg
                if (storeForm) {
                    insn.xreg(src).rm(mem ? rm.withSize(f.gprSize()) : r);
                    if (f.gprSize() == 8) {
                        insn.w();
                    }
                    insn.show(mem ? rm.withSize(f.gprSize()) : r, x(src));
                } else {
                    insn.reg(r);
                    if (f.gprSize() == 8) {
                        insn.w();
                    }
                    Mem from = mem && f.shape() == Shape.G_FROM_X && f.memSize() > 0 ? rm : null;
                    if (from != null) {
                        insn.rm(from);
                    } else {
                        insn.xrm(src);
                    }
                    if (f.shape() == Shape.G_FROM_X_IMM) {
                        int imm = g.rng.nextInt(16);
                        insn.imm(imm, 1).show(r, x(src), new Imm(imm));
                    } else {
                        insn.show(r, from != null ? (Operand) from : x(src));
                    }
                }
            }
            case X_FROM_G, X_FROM_G_IMM -> {
                Reg r = g.pickReg(f.gprSize());
                g.setEdge(r);
                if (f.gprSize() == 8) {
                    insn.w();
                }
                Operand from = mem ? rm.withSize(f.shape() == Shape.X_FROM_G_IMM ? 2 : f.gprSize()) : r;
                insn.xreg(dst).rm(from);
                if (f.shape() == Shape.X_FROM_G_IMM) {
                    int imm = g.rng.nextInt(16);
                    insn.imm(imm, 1).show(x(dst), from, new Imm(imm));
                } else {
                    insn.show(x(dst), from);
                }
            }
        }
        insn.emit();
        boolean flags = f.opcode() == 0x2E || f.opcode() == 0x2F;
        g.flagOp(0, flags ? Emit.ALL : 0, 0);
    }
}

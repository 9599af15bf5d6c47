package dev.partita.emulator.decoder;

import static dev.partita.emulator.decoder.OpcodeTable.e;
import static dev.partita.emulator.decoder.OpcodeTable.mod;
import static dev.partita.emulator.decoder.OpcodeTable.reg;
import static dev.partita.emulator.decoder.OpcodeTable.rm;

/** The x87 escape opcodes D8-DF of the one-byte map: memory forms by ModRM.reg, register forms by reg/rm. */
final class X87Table {
    private X87Table() {
    }

    private static final String[] ARITH = {"fadd", "fmul", "fcom", "fcomp", "fsub", "fsubr", "fdiv", "fdivr"};
    private static final String[] IARITH = {"fiadd", "fimul", "ficom", "ficomp", "fisub", "fisubr", "fidiv",
        "fidivr"};

    private static OpcodeEntry x(String spec, int sub) {
        return e(spec, Ops.X87, sub);
    }

    private static OpcodeEntry arith(String[] names, String operand, int form) {
        OpcodeEntry[] g = new OpcodeEntry[8];
        for (int i = 0; i < 8; i++) {
            g[i] = x(names[i] + " " + operand, X87Op.ARITH + form * 8 + i);
        }
        return reg(g);
    }

    /** A ModRM.reg slot whose eight rm values are the same ST(i) instruction. */
    private static OpcodeEntry sti(String spec, int sub) {
        return x(spec, sub);
    }

    static void build(OpcodeEntry[] t) {
        // D8: ST(0) op m32fp / ST(0) op ST(i)
        OpcodeEntry[] d8r = new OpcodeEntry[8];
        for (int i = 0; i < 8; i++) {
            d8r[i] = x(ARITH[i] + " ST,STi", X87Op.ARITH + X87Op.F_ST0_STI * 8 + i);
        }
        t[0xD8] = mod(arith(ARITH, "Md", X87Op.F_M32), reg(d8r));

        t[0xD9] = mod(
                reg(x("fld Md", X87Op.FLD_M32), null, x("fst Md", X87Op.FST_M32), x("fstp Md", X87Op.FSTP_M32),
                        x("fldenv Mblob", X87Op.FLDENV), x("fldcw Mw", X87Op.FLDCW),
                        x("fnstenv Mblob", X87Op.FNSTENV), x("fnstcw Mw", X87Op.FNSTCW)),
                reg(sti("fld STi", X87Op.FLD_STI), sti("fxch STi", X87Op.FXCH),
                        rm(x("fnop", X87Op.FNOP), null, null, null, null, null, null, null),
                        null,
                        rm(x("fchs", X87Op.FCHS), x("fabs", X87Op.FABS), null, null, x("ftst", X87Op.FTST),
                                x("fxam", X87Op.FXAM), null, null),
                        rm(x("fld1", X87Op.FLD1), x("fldl2t", X87Op.FLDL2T), x("fldl2e", X87Op.FLDL2E),
                                x("fldpi", X87Op.FLDPI), x("fldlg2", X87Op.FLDLG2), x("fldln2", X87Op.FLDLN2),
                                x("fldz", X87Op.FLDZ), null),
                        rm(x("f2xm1", X87Op.F2XM1), x("fyl2x", X87Op.FYL2X), x("fptan", X87Op.FPTAN),
                                x("fpatan", X87Op.FPATAN), x("fxtract", X87Op.FXTRACT), x("fprem1", X87Op.FPREM1),
                                x("fdecstp", X87Op.FDECSTP), x("fincstp", X87Op.FINCSTP)),
                        rm(x("fprem", X87Op.FPREM), x("fyl2xp1", X87Op.FYL2XP1), x("fsqrt", X87Op.FSQRT),
                                x("fsincos", X87Op.FSINCOS), x("frndint", X87Op.FRNDINT), x("fscale", X87Op.FSCALE),
                                x("fsin", X87Op.FSIN), x("fcos", X87Op.FCOS))));

        t[0xDA] = mod(arith(IARITH, "Md", X87Op.F_M32I),
                reg(sti("fcmovb ST,STi", X87Op.FCMOV), sti("fcmove ST,STi", X87Op.FCMOV + 1),
                        sti("fcmovbe ST,STi", X87Op.FCMOV + 2), sti("fcmovu ST,STi", X87Op.FCMOV + 3), null,
                        rm(null, x("fucompp", X87Op.FUCOMPP), null, null, null, null, null, null), null, null));

        t[0xDB] = mod(
                reg(x("fild Md", X87Op.FILD_M32), x("fisttp Md", X87Op.FISTTP_M32), x("fist Md", X87Op.FIST_M32),
                        x("fistp Md", X87Op.FISTP_M32), null, x("fld Mt", X87Op.FLD_M80), null,
                        x("fstp Mt", X87Op.FSTP_M80)),
                reg(sti("fcmovnb ST,STi", X87Op.FCMOV + 4), sti("fcmovne ST,STi", X87Op.FCMOV + 5),
                        sti("fcmovnbe ST,STi", X87Op.FCMOV + 6), sti("fcmovnu ST,STi", X87Op.FCMOV + 7),
                        rm(null, null, x("fnclex", X87Op.FNCLEX), x("fninit", X87Op.FNINIT), null, null, null, null),
                        sti("fucomi ST,STi", X87Op.FUCOMI), sti("fcomi ST,STi", X87Op.FCOMI), null));

        // DC: ST(0) op m64fp / ST(i) op ST(0) (sub/subr and div/divr named from ST(i)'s side)
        String[] dcNames = {"fadd", "fmul", null, null, "fsubr", "fsub", "fdivr", "fdiv"};
        int[] dcKinds = {0, 1, -1, -1, 5, 4, 7, 6};
        OpcodeEntry[] dcr = new OpcodeEntry[8];
        OpcodeEntry[] der = new OpcodeEntry[8];
        for (int i = 0; i < 8; i++) {
            if (dcNames[i] != null) {
                dcr[i] = x(dcNames[i] + " STi,ST", X87Op.ARITH + X87Op.F_STI_ST0 * 8 + dcKinds[i]);
                der[i] = x(dcNames[i] + "p STi,ST", X87Op.ARITH + X87Op.F_STI_ST0_POP * 8 + dcKinds[i]);
            }
        }
        der[3] = rm(null, x("fcompp", X87Op.FCOMPP), null, null, null, null, null, null);
        t[0xDC] = mod(arith(ARITH, "Mq", X87Op.F_M64), reg(dcr));

        t[0xDD] = mod(
                reg(x("fld Mq", X87Op.FLD_M64), x("fisttp Mq", X87Op.FISTTP_M64), x("fst Mq", X87Op.FST_M64),
                        x("fstp Mq", X87Op.FSTP_M64), x("frstor Mblob", X87Op.FRSTOR), null,
                        x("fnsave Mblob", X87Op.FNSAVE), x("fnstsw Mw", X87Op.FNSTSW_M)),
                reg(sti("ffree STi", X87Op.FFREE), null, sti("fst STi", X87Op.FST_STI), sti("fstp STi", X87Op.FSTP_STI),
                        sti("fucom STi", X87Op.FUCOM), sti("fucomp STi", X87Op.FUCOMP), null, null));

        t[0xDE] = mod(arith(IARITH, "Mw", X87Op.F_M16I), reg(der));

        t[0xDF] = mod(
                reg(x("fild Mw", X87Op.FILD_M16), x("fisttp Mw", X87Op.FISTTP_M16), x("fist Mw", X87Op.FIST_M16),
                        x("fistp Mw", X87Op.FISTP_M16), x("fbld Mt", X87Op.FBLD), x("fild Mq", X87Op.FILD_M64),
                        x("fbstp Mt", X87Op.FBSTP), x("fistp Mq", X87Op.FISTP_M64)),
                reg(sti("ffreep STi", X87Op.FFREEP), null, null, null,
                        rm(x("fnstsw AX", X87Op.FNSTSW_AX), null, null, null, null, null, null, null),
                        sti("fucomip ST,STi", X87Op.FUCOMIP), sti("fcomip ST,STi", X87Op.FCOMIP), null));
    }
}

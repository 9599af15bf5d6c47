package dev.partita.emulator.decoder;

/**
 * Sub-operations of {@link Ops#X87}. Arithmetic uses {@code ARITH + form * 8 + kind}: kind is the
 * ModRM.reg order of D8 (0 add, 1 mul, 2 com, 3 comp, 4 sub, 5 subr, 6 div, 7 divr, always meaning
 * "destination op source"), form one of the {@code F_*} constants.
 */
public final class X87Op {
    private X87Op() {
    }

    /** ST(0) op m32fp. */
    public static final int F_M32 = 0;
    /** ST(0) op m64fp. */
    public static final int F_M64 = 1;
    /** ST(0) op ST(i). */
    public static final int F_ST0_STI = 2;
    /** ST(i) op ST(0). */
    public static final int F_STI_ST0 = 3;
    /** ST(i) op ST(0), then pop. */
    public static final int F_STI_ST0_POP = 4;
    /** ST(0) op m16int. */
    public static final int F_M16I = 5;
    /** ST(0) op m32int. */
    public static final int F_M32I = 6;
    /** First arithmetic id; arithmetic ids run to ARITH + 56. */
    public static final int ARITH = 0;

    public static final int FLD_M32 = 64, FLD_M64 = 65, FLD_M80 = 66, FLD_STI = 67;
    public static final int FST_M32 = 68, FST_M64 = 69, FSTP_M32 = 70, FSTP_M64 = 71, FSTP_M80 = 72;
    public static final int FST_STI = 73, FSTP_STI = 74;
    public static final int FILD_M16 = 75, FILD_M32 = 76, FILD_M64 = 77;
    public static final int FIST_M16 = 78, FIST_M32 = 79, FISTP_M16 = 80, FISTP_M32 = 81, FISTP_M64 = 82;
    public static final int FISTTP_M16 = 83, FISTTP_M32 = 84, FISTTP_M64 = 85;
    public static final int FCHS = 86, FABS = 87, FTST = 88, FXAM = 89;
    public static final int FLD1 = 90, FLDL2T = 91, FLDL2E = 92, FLDPI = 93, FLDLG2 = 94, FLDLN2 = 95, FLDZ = 96;
    public static final int F2XM1 = 97, FYL2X = 98, FPTAN = 99, FPATAN = 100, FXTRACT = 101, FPREM1 = 102;
    public static final int FDECSTP = 103, FINCSTP = 104, FPREM = 105, FYL2XP1 = 106, FSQRT = 107;
    public static final int FSINCOS = 108, FRNDINT = 109, FSCALE = 110, FSIN = 111, FCOS = 112;
    public static final int FXCH = 113, FNOP = 114, FUCOM = 115, FUCOMP = 116, FUCOMPP = 117, FCOMPP = 118;
    public static final int FCOMI = 119, FCOMIP = 120, FUCOMI = 121, FUCOMIP = 122;
    /** FCMOVcc ST(0), ST(i): sub = FCMOV + index (0 B, 1 E, 2 BE, 3 U, 4 NB, 5 NE, 6 NBE, 7 NU). */
    public static final int FCMOV = 123;
    public static final int FFREE = 131, FFREEP = 132;
    public static final int FLDCW = 133, FNSTCW = 134, FNSTSW_M = 135, FNSTSW_AX = 136;
    public static final int FNINIT = 137, FNCLEX = 138, FLDENV = 139, FNSTENV = 140, FRSTOR = 141, FNSAVE = 142;
    public static final int FWAIT = 143, FBLD = 144, FBSTP = 145;

    public static final int COUNT = 146;
}

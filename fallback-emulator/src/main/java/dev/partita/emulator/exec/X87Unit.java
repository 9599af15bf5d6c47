package dev.partita.emulator.exec;

import static dev.partita.emulator.exec.IntegerOps.mask;

import dev.partita.emulator.cpu.ControlBits.Cr0;
import dev.partita.emulator.cpu.CpuException;
import dev.partita.emulator.cpu.CpuState;
import dev.partita.emulator.cpu.LazyFlags;
import dev.partita.emulator.decoder.DecodedInsn;
import dev.partita.emulator.decoder.X87Op;

/**
 * The x87 subset C libraries use: loads and stores (32/64/80-bit real, 16/32/64-bit integer,
 * FISTTP), the four arithmetic operations in all forms, compares (FCOM/FUCOM/FCOMI/FUCOMI and popping
 * forms, FTST, FXAM), FCHS/FABS/FSQRT/FRNDINT/FSCALE/FXTRACT/FPREM(1), the transcendental
 * instructions, FXCH, constants, FCMOVcc, FFREE, control/status word access, FNINIT/FNCLEX and
 * FLDENV/FNSTENV/FRSTOR/FNSAVE (32-bit protected-mode layout; 16-bit layout for 16-bit operand size).
 *
 * <p>Why one class: every x87 instruction reads and changes the same register-stack state (TOP,
 * the tag word, the status word's condition codes and exception flags), and the helpers that keep
 * that state consistent (push, pop, stack-fault checks, tag computation) are shared by all forms;
 * splitting by instruction group would spread those invariants over several classes. The 80-bit
 * format conversions are already apart in {@link Float80}, and the FXSAVE image in
 * {@link FxsaveLayout}.
 *
 * <p>Precision: registers hold the exact 80-bit form ({@code CpuState.fpuMantissa/fpuExponent}).
 * Arithmetic (add, subtract, multiply, divide, square root), conversions to and from memory formats,
 * compares, FRNDINT, FSCALE, FXTRACT, FPREM/FPREM1 and FBLD/FBSTP are exact: computed by
 * {@link ExtendedArithmetic} and {@link X87Conversions} with the control word's precision and
 * rounding control, raising IE/DE/ZE/OE/UE/PE, SF and C1 as the SDM defines. The transcendental
 * instructions (F2XM1, FYL2X, FYL2XP1, FPTAN, FPATAN, FSIN, FCOS, FSINCOS) are evaluated to about
 * 200 bits by {@link X87Transcendentals} and rounded once, so they are correctly rounded; hardware
 * results are only specified to about one unit in the last place, so they can differ from a given
 * CPU in the last bit. An unmasked invalid, zero-divide or denormal exception leaves the destination unchanged
 * (a denormal one stops the instruction before it computes); an unmasked overflow or underflow of a
 * register result stores it at full precision with the exponent adjusted by 24576, and one of a store
 * to memory stores nothing. A pending unmasked exception raises #MF (vector 16) at the next waiting x87
 * instruction when CR0.NE is set; with CR0.NE clear no external FERR# interrupt is modelled.
 * FPREM/FPREM1 with an exponent difference of 64 or more reduce by a chosen 32-bit step (the SDM
 * leaves that step to the implementation). Owned by the vCPU thread.
  */
final class X87Unit {

    // Status word bits.
    private static final int IE = 1;
    private static final int ZE = 1 << 2;
    private static final int EXCEPTIONS = 0x3F;
    private static final int SF = 1 << 6;
    private static final int ES = 1 << 7;
    private static final int C0 = 1 << 8;
    private static final int C1 = 1 << 9;
    private static final int C2 = 1 << 10;
    private static final int C3 = 1 << 14;
    private static final int B = 1 << 15;
    private static final int CC_MASK = C0 | C1 | C2 | C3;

    private final OperandAccess in;
    private final CpuState cpu;

    private final ExtendedArithmetic fx = new ExtendedArithmetic();
    private final X87Conversions conv = new X87Conversions(fx);
    private final X87Transcendentals tx = new X87Transcendentals(fx);

    X87Unit(OperandAccess in) {
        this.in = in;
        this.cpu = in.cpu;
    }

    // ------------------------------------------------------------------ register stack

    private int top() {
        return (cpu.fsw >>> 11) & 7;
    }

    private void setTop(int t) {
        cpu.fsw = (cpu.fsw & ~(7 << 11)) | ((t & 7) << 11);
    }

    private int phys(int i) {
        return (top() + i) & 7;
    }

    private boolean empty(int i) {
        return (cpu.ftwAbridged & (1 << phys(i))) == 0;
    }

    private void setStRaw(int i, int exp, long mant) {
        int p = phys(i);
        cpu.fpuExponent[p] = exp;
        cpu.fpuMantissa[p] = mant;
        cpu.ftwAbridged |= 1 << p;
    }

    /**
     * Pushes a value; a full stack is an overflow (IE|SF|C1) that pushes the indefinite NaN, or,
     * with IE unmasked, leaves the stack unchanged.
     */
    private void pushRaw(int exp, long mant) {
        int t = (top() - 1) & 7;
        if ((cpu.ftwAbridged & (1 << t)) != 0) {
            cpu.fsw |= IE | SF | C1;
            if (unmasked(IE)) {
                return;
            }
            exp = Float80.INDEFINITE_EXP;
            mant = Float80.INDEFINITE_MANT;
        }
        setTop(t);
        setStRaw(0, exp, mant);
    }

    /** Status word at the start of the current instruction. */
    private int fswBefore;

    /**
     * Pops ST(0), unless the current instruction raised an unmasked invalid, zero-divide or
     * denormal exception: then its operands, and the stack, stay as they were.
     */
    void pop() {
        if (((cpu.fsw & ~fswBefore) & (IE | ZE | 2) & ~cpu.fcw) != 0) {
            return;
        }
        int t = top();
        cpu.ftwAbridged &= ~(1 << t);
        setTop(t + 1);
    }

    // ------------------------------------------------------------------ dispatch

    void execute(DecodedInsn d) {
        if ((cpu.cr0 & (Cr0.EM | Cr0.TS)) != 0) {
            if (d.sub != X87Op.FWAIT || (cpu.cr0 & (Cr0.MP | Cr0.TS)) == (Cr0.MP | Cr0.TS)) {
                throw CpuException.nm();
            }
        }
        int sub = d.sub;
        fswBefore = cpu.fsw;
        if (waits(sub) && (cpu.fsw & EXCEPTIONS & ~cpu.fcw) != 0 && (cpu.cr0 & Cr0.NE) != 0) {
            throw CpuException.of(MF_VECTOR);
        }
        if (sub < 64) {
            arith(d, sub >> 3, sub & 7);
            return;
        }
        int sti = d.modrm & 7;
        switch (sub) {
            case X87Op.FLD_M32 -> loadReal(in.read(d.seg, in.ea(d), 4), 23, 8);
            case X87Op.FLD_M64 -> loadReal(in.read(d.seg, in.ea(d), 8), 52, 11);
            case X87Op.FLD_M80 -> {
                long ea = in.ea(d);
                long mant = in.read(d.seg, ea, 8);
                int exp = (int) in.read(d.seg, (ea + 8) & mask(d.addrSize), 2);
                pushRaw(exp, mant);
            }
            case X87Op.FLD_STI -> {
                int p = phys(sti);
                cpu.fsw &= ~C1;
                if ((cpu.ftwAbridged & (1 << p)) == 0) {
                    // The underflow is reported (C1 = 0) even when the push also overflows.
                    cpu.fsw |= IE | SF;
                    if (unmasked(IE)) {
                        return;
                    }
                    setTop(top() - 1);
                    setStRaw(0, Float80.INDEFINITE_EXP, Float80.INDEFINITE_MANT);
                } else {
                    pushRaw(cpu.fpuExponent[p], cpu.fpuMantissa[p]);
                }
            }
            case X87Op.FST_M32, X87Op.FSTP_M32 -> storeReal(d, 4, 23, 8, sub == X87Op.FSTP_M32);
            case X87Op.FST_M64, X87Op.FSTP_M64 -> storeReal(d, 8, 52, 11, sub == X87Op.FSTP_M64);
            case X87Op.FSTP_M80 -> {
                long ea = in.ea(d);
                int p = phys(0);
                int exp;
                long mant;
                cpu.fsw &= ~C1;
                if ((cpu.ftwAbridged & (1 << p)) == 0) {
                    cpu.fsw |= IE | SF;
                    if (unmasked(IE)) {
                        return;
                    }
                    exp = Float80.INDEFINITE_EXP;
                    mant = Float80.INDEFINITE_MANT;
                } else {
                    exp = cpu.fpuExponent[p];
                    mant = cpu.fpuMantissa[p];
                }
                in.mmu.probeWrite(d.seg, (ea + 8) & mask(d.addrSize), 2);
                in.write(d.seg, ea, 8, mant);
                in.write(d.seg, (ea + 8) & mask(d.addrSize), 2, exp);
                pop();
            }
            case X87Op.FST_STI, X87Op.FSTP_STI -> {
                cpu.fsw &= ~C1;
                if (empty(0)) {
                    stackUnderflow();
                    if (unmasked(IE)) {
                        return;
                    }
                    setStRaw(sti, Float80.INDEFINITE_EXP, Float80.INDEFINITE_MANT);
                } else {
                    int src = phys(0);
                    setStRaw(sti, cpu.fpuExponent[src], cpu.fpuMantissa[src]);
                }
                if (sub == X87Op.FSTP_STI) {
                    pop();
                }
            }
            case X87Op.FILD_M16 -> pushInt64((short) in.read(d.seg, in.ea(d), 2));
            case X87Op.FILD_M32 -> pushInt64((int) in.read(d.seg, in.ea(d), 4));
            case X87Op.FILD_M64 -> pushInt64(in.read(d.seg, in.ea(d), 8));
            case X87Op.FIST_M16, X87Op.FISTP_M16, X87Op.FISTTP_M16 -> storeInt(d, 2, sub == X87Op.FISTTP_M16,
                    sub != X87Op.FIST_M16);
            case X87Op.FIST_M32, X87Op.FISTP_M32, X87Op.FISTTP_M32 -> storeInt(d, 4, sub == X87Op.FISTTP_M32,
                    sub != X87Op.FIST_M32);
            case X87Op.FISTP_M64, X87Op.FISTTP_M64 -> storeInt(d, 8, sub == X87Op.FISTTP_M64, true);
            case X87Op.FBLD -> {
                long ea = in.ea(d);
                long low = in.read(d.seg, ea, 8);
                int high = (int) in.read(d.seg, (ea + 8) & mask(d.addrSize), 2);
                conv.loadBcd(low, high);
                cpu.fsw &= ~C1;
                pushRaw(fx.exp, fx.mant);
            }
            case X87Op.FBSTP -> storeBcd(d);
            case X87Op.FCHS, X87Op.FABS -> {
                cpu.fsw &= ~C1;
                if (empty(0)) {
                    stackUnderflow();
                    if (!unmasked(IE)) {
                        setStRaw(0, Float80.INDEFINITE_EXP, Float80.INDEFINITE_MANT);
                    }
                    return;
                }
                int p = phys(0);
                cpu.fpuExponent[p] = sub == X87Op.FCHS ? cpu.fpuExponent[p] ^ 0x8000 : cpu.fpuExponent[p] & 0x7FFF;
            }
            case X87Op.FTST -> compareSt0(0, 0, false, false);
            case X87Op.FXAM -> examine();
            case X87Op.FLD1 -> pushConstant(0x3FFF, 0x8000_0000_0000_0000L, 0);
            case X87Op.FLDL2T -> pushConstant(0x4000, 0xD49A_784B_CD1B_8AFEL, 1);
            case X87Op.FLDL2E -> pushConstant(0x3FFF, 0xB8AA_3B29_5C17_F0BBL, 2);
            case X87Op.FLDPI -> pushConstant(0x4000, 0xC90F_DAA2_2168_C234L, 2);
            case X87Op.FLDLG2 -> pushConstant(0x3FFD, 0x9A20_9A84_FBCF_F798L, 2);
            case X87Op.FLDLN2 -> pushConstant(0x3FFE, 0xB172_17F7_D1CF_79ABL, 2);
            case X87Op.FLDZ -> pushConstant(0, 0, 0);
            case X87Op.F2XM1 -> transcendental(sub);
            case X87Op.FYL2X, X87Op.FYL2XP1, X87Op.FPATAN -> transcendental2(sub);
            case X87Op.FPTAN -> transcendental(sub);
            case X87Op.FXTRACT -> extract();
            case X87Op.FPREM, X87Op.FPREM1 -> partialRemainder(sub == X87Op.FPREM1);
            case X87Op.FDECSTP -> {
                setTop(top() - 1);
                cpu.fsw &= ~C1;
            }
            case X87Op.FINCSTP -> {
                setTop(top() + 1);
                cpu.fsw &= ~C1;
            }
            case X87Op.FSQRT -> unary(0);
            case X87Op.FSINCOS -> transcendental(sub);
            case X87Op.FRNDINT -> unary(1);
            case X87Op.FSCALE -> {
                if (begin2(0, 1)) {
                    fx.scale(cpu.fpuExponent[phys(0)], cpu.fpuMantissa[phys(0)], cpu.fpuExponent[phys(1)],
                            cpu.fpuMantissa[phys(1)]);
                    finish(0);
                }
            }
            case X87Op.FSIN, X87Op.FCOS -> transcendental(sub);
            case X87Op.FXCH -> {
                int a = phys(0);
                int b = phys(sti);
                cpu.fsw &= ~C1;
                boolean va = (cpu.ftwAbridged & (1 << a)) != 0;
                boolean vb = (cpu.ftwAbridged & (1 << b)) != 0;
                if (!va || !vb) {
                    stackUnderflow();
                    if (unmasked(IE)) {
                        return;
                    }
                    if (!va) {
                        setRaw(a, Float80.INDEFINITE_EXP, Float80.INDEFINITE_MANT);
                    }
                    if (!vb) {
                        setRaw(b, Float80.INDEFINITE_EXP, Float80.INDEFINITE_MANT);
                    }
                }
                int te = cpu.fpuExponent[a];
                long tm = cpu.fpuMantissa[a];
                cpu.fpuExponent[a] = cpu.fpuExponent[b];
                cpu.fpuMantissa[a] = cpu.fpuMantissa[b];
                cpu.fpuExponent[b] = te;
                cpu.fpuMantissa[b] = tm;
            }
            case X87Op.FNOP, X87Op.FWAIT -> {
            }
            case X87Op.FUCOM, X87Op.FUCOMP -> {
                compareRegs(sti, true, false);
                if (sub == X87Op.FUCOMP) {
                    pop();
                }
            }
            case X87Op.FUCOMPP, X87Op.FCOMPP -> {
                compareRegs(1, sub == X87Op.FUCOMPP, false);
                pop();
                pop();
            }
            case X87Op.FCOMI, X87Op.FCOMIP, X87Op.FUCOMI, X87Op.FUCOMIP -> {
                compareRegs(sti, sub == X87Op.FUCOMI || sub == X87Op.FUCOMIP, true);
                if (sub == X87Op.FCOMIP || sub == X87Op.FUCOMIP) {
                    pop();
                }
            }
            case X87Op.FFREE -> cpu.ftwAbridged &= ~(1 << phys(sti));
            case X87Op.FFREEP -> {
                cpu.ftwAbridged &= ~(1 << phys(sti));
                pop();
            }
            case X87Op.FLDCW -> cpu.fcw = (int) in.read(d.seg, in.ea(d), 2) | 0x40;
            case X87Op.FNSTCW -> in.write(d.seg, in.ea(d), 2, cpu.fcw);
            case X87Op.FNSTSW_M -> in.write(d.seg, in.ea(d), 2, statusWord());
            case X87Op.FNSTSW_AX -> in.setReg(0, 2, statusWord());
            case X87Op.FNINIT -> {
                cpu.fcw = 0x037F;
                cpu.fsw = 0;
                cpu.ftwAbridged = 0;
                cpu.fop = 0;
                cpu.fip = 0;
                cpu.fdp = 0;
            }
            case X87Op.FNCLEX -> cpu.fsw &= ~(0xFF | B);
            case X87Op.FNSTENV, X87Op.FNSAVE -> {
                long ea = in.ea(d);
                storeEnvironment(d, ea);
                if (sub == X87Op.FNSAVE) {
                    long regs = ea + (d.opSize == 2 ? 14 : 28);
                    for (int i = 0; i < 8; i++) {
                        int p = phys(i);
                        long a = (regs + i * 10L) & mask(d.addrSize);
                        in.write(d.seg, a, 8, cpu.fpuMantissa[p]);
                        in.write(d.seg, (a + 8) & mask(d.addrSize), 2, cpu.fpuExponent[p]);
                    }
                    execute(ninit(d));
                } else {
                    cpu.fcw |= 0x3F; // FNSTENV masks all exceptions
                }
            }
            case X87Op.FLDENV, X87Op.FRSTOR -> {
                long ea = in.ea(d);
                loadEnvironment(d, ea);
                if (sub == X87Op.FRSTOR) {
                    long regs = ea + (d.opSize == 2 ? 14 : 28);
                    for (int i = 0; i < 8; i++) {
                        int p = phys(i);
                        long a = (regs + i * 10L) & mask(d.addrSize);
                        cpu.fpuMantissa[p] = in.read(d.seg, a, 8);
                        cpu.fpuExponent[p] = (int) in.read(d.seg, (a + 8) & mask(d.addrSize), 2);
                    }
                }
            }
            default -> {
                if (sub >= X87Op.FCMOV && sub < X87Op.FCMOV + 8) {
                    fcmov(sub - X87Op.FCMOV, sti);
                } else {
                    throw SystemInterface.notImplemented(d.entry != null ? d.entry.mnemonic : "x87 op " + sub);
                }
            }
        }
    }

    private static final long ONE_MANT = 0x8000_0000_0000_0000L;

    /**
     * FSIN, FCOS, FSINCOS, FPTAN (ST(0) in radians; |ST(0)| >= 2^63 sets C2 and changes nothing)
     * and F2XM1 (defined for |ST(0)| <= 1; outside it this computes 2^x - 1 all the same).
     */
    private void transcendental(int sub) {
        boolean twoResults = sub == X87Op.FSINCOS || sub == X87Op.FPTAN;
        if (!begin2(0, 0)) {
            if (twoResults && !unmasked(IE)) {
                pushRaw(Float80.INDEFINITE_EXP, Float80.INDEFINITE_MANT);
            }
            return;
        }
        int e = cpu.fpuExponent[phys(0)];
        long m = cpu.fpuMantissa[phys(0)];
        int exp2 = 0;
        long m2 = 0;
        boolean trig = sub != X87Op.F2XM1;
        if (fx.nanOperand(e, m)) {
            exp2 = fx.exp;
            m2 = fx.mant;
        } else if (ExtendedArithmetic.isInf(e, m)) {
            if (trig) {
                fx.indefinite();
                exp2 = fx.exp;
                m2 = fx.mant;
            } else {
                fx.exp = ExtendedArithmetic.negative(e) ? 0xBFFF : 0x7FFF; // -inf -> -1, +inf -> +inf
                fx.mant = ONE_MANT;
            }
        } else if (trig && (e & 0x7FFF) - 16383 >= 63) {
            cpu.fsw = (cpu.fsw & ~C1) | C2; // out of range: operand unchanged
            return;
        } else if (ExtendedArithmetic.isZero(e, m)) {
            fx.exp = e;
            fx.mant = 0;
            if (sub == X87Op.FCOS) {
                fx.exp = 0x3FFF;
                fx.mant = ONE_MANT;
            }
            exp2 = 0x3FFF;
            m2 = ONE_MANT;
        } else {
            if (ExtendedArithmetic.isDenormal(e, m)) {
                fx.flags |= 2;
            }
            java.math.BigDecimal v = X87Transcendentals.value(e, m);
            X87Transcendentals.precisionFor(v);
            if (!trig) {
                if (v.abs().compareTo(java.math.BigDecimal.ONE) == 0) {
                    // 2^1 - 1 = 1 and 2^-1 - 1 = -0.5 are exact.
                    fx.exp = v.signum() > 0 ? 0x3FFF : 0xBFFE;
                    fx.mant = ONE_MANT;
                } else {
                    tx.result(X87Transcendentals.exp2m1(v));
                }
            } else {
                java.math.BigDecimal[] sc = X87Transcendentals.sinCos(v);
                switch (sub) {
                    case X87Op.FSIN -> tx.result(sc[0]);
                    case X87Op.FCOS -> tx.result(sc[1]);
                    case X87Op.FPTAN -> {
                        tx.result(sc[0].divide(sc[1], new java.math.MathContext(64)));
                        exp2 = 0x3FFF;
                        m2 = ONE_MANT;
                    }
                    default -> {
                        // FSINCOS: cos rounded second determines C1; sin goes to ST(1).
                        tx.result(sc[0]);
                        exp2 = fx.exp;
                        m2 = fx.mant;
                        tx.result(sc[1]);
                        int sinExp = exp2;
                        long sinMant = m2;
                        exp2 = fx.exp;
                        m2 = fx.mant;
                        fx.exp = sinExp;
                        fx.mant = sinMant;
                    }
                }
            }
        }
        if (trig) {
            cpu.fsw &= ~C2;
        }
        boolean suppressed = (fx.flags & (IE | ZE | 2) & ~cpu.fcw) != 0;
        finish(0);
        if (twoResults && !suppressed) {
            pushRaw(exp2, m2);
        }
    }

    /** FYL2X (ST(1) * log2 ST(0)), FYL2XP1 (ST(1) * log2(ST(0) + 1)), FPATAN (atan(ST(1) / ST(0))); pop. */
    private void transcendental2(int sub) {
        if (!begin2(1, 0)) {
            pop();
            return;
        }
        int ex = cpu.fpuExponent[phys(0)];
        long mx = cpu.fpuMantissa[phys(0)];
        int ey = cpu.fpuExponent[phys(1)];
        long my = cpu.fpuMantissa[phys(1)];
        if (!fx.nanOperands(ey, my, ex, mx)) {
            boolean finite = (ex & 0x7FFF) != 0x7FFF;
            X87Transcendentals.precisionFor(finite ? X87Transcendentals.value(ex, mx).subtract(
                    sub == X87Op.FYL2X ? java.math.BigDecimal.ONE : java.math.BigDecimal.ZERO) : java.math.BigDecimal.ONE);
            boolean logOfZero = sub == X87Op.FYL2X && ExtendedArithmetic.isZero(ex, mx);
            if (!logOfZero && (ExtendedArithmetic.isDenormal(ex, mx) || ExtendedArithmetic.isDenormal(ey, my))) {
                fx.flags |= 2; // (log2 of zero reports ZE without DE, like a division by zero)
            }
            transcendentalValue(sub, ex, mx, ey, my);
        }
        finish(1);
        pop();
    }

    private void transcendentalValue(int sub, int ex, long mx, int ey, long my) {
        boolean infX = ExtendedArithmetic.isInf(ex, mx);
        boolean infY = ExtendedArithmetic.isInf(ey, my);
        boolean zeroX = ExtendedArithmetic.isZero(ex, mx);
        boolean zeroY = ExtendedArithmetic.isZero(ey, my);
        boolean negX = ExtendedArithmetic.negative(ex);
        boolean negY = ExtendedArithmetic.negative(ey);
        if (sub == X87Op.FPATAN) {
            java.math.BigDecimal pi = X87Transcendentals.pi();
            if (infX || infY || zeroX || zeroY) {
                // atan2 of the special cases: multiples of pi/4 with the sign of y.
                java.math.BigDecimal r;
                if (zeroY && !infX) {
                    r = negX ? pi : java.math.BigDecimal.ZERO;
                } else if (infY && infX) {
                    r = negX ? pi.multiply(java.math.BigDecimal.valueOf(3)).divide(java.math.BigDecimal.valueOf(4)) : pi.divide(java.math.BigDecimal.valueOf(4));
                } else if (infY || zeroX) {
                    r = pi.divide(java.math.BigDecimal.valueOf(2));
                } else {
                    r = negX ? pi : java.math.BigDecimal.ZERO; // x infinite, y finite
                }
                if (r.signum() == 0) {
                    fx.exp = negY ? 0x8000 : 0;
                    fx.mant = 0;
                } else {
                    tx.result(negY ? r.negate() : r);
                }
                return;
            }
            tx.result(X87Transcendentals.atan2(X87Transcendentals.value(ey, my), X87Transcendentals.value(ex, mx)));
            return;
        }
        if (sub == X87Op.FYL2X) {
            if ((negX && !zeroX) || (zeroX && zeroY) || (infX && zeroY) || (infY && !zeroX && !infX
                    && ExtendedArithmetic.compare(ex, mx, 0x3FFF, ONE_MANT) == 0)) {
                fx.indefinite();
                return;
            }
            if (zeroX) {
                fx.flags |= ZE;
                fx.exp = (negY ? 0 : 0x8000) | 0x7FFF;
                fx.mant = ONE_MANT;
                return;
            }
            int below = infX ? 1 : ExtendedArithmetic.compare(ex, mx, 0x3FFF, ONE_MANT); // log2 x sign
            if (infX || infY) {
                if (below == 0) {
                    fx.exp = negY ? 0x8000 : 0;
                    fx.mant = 0;
                } else {
                    fx.exp = ((below < 0) != negY ? 0x8000 : 0) | 0x7FFF;
                    fx.mant = ONE_MANT;
                }
                return;
            }
            int lz = Long.numberOfLeadingZeros(mx);
            if ((mx << lz) == ONE_MANT) {
                // x is a power of two: y * k exactly (then rounded like a multiplication).
                int k = Math.max(ex & 0x7FFF, 1) - 16383 - lz;
                conv.fromInteger(java.math.BigInteger.valueOf(k), false);
                int ke = fx.exp;
                long km = fx.mant;
                fx.control(cpu.fcw | 0x300);
                fx.multiply(ey, my, ke, km);
                return;
            }
            if (zeroY) {
                fx.exp = (negY != (below < 0)) ? 0x8000 : 0;
                fx.mant = 0;
                return;
            }
            tx.result(X87Transcendentals.value(ey, my).multiply(X87Transcendentals.log2(X87Transcendentals.value(ex, mx))));
            return;
        }
        // FYL2XP1: defined for |x| < 1 - sqrt(2)/2 (and +inf, where log2 is +inf).
        if ((infX && (negX || zeroY)) || (infY && zeroX)) {
            fx.indefinite();
            return;
        }
        if (infX) {
            fx.exp = (negY ? 0x8000 : 0) | 0x7FFF;
            fx.mant = ONE_MANT;
            return;
        }
        if (zeroX || zeroY) {
            fx.exp = (negX != negY) ? 0x8000 : 0;
            fx.mant = 0;
            return;
        }
        if (infY) {
            fx.exp = ((negX != negY) ? 0x8000 : 0) | 0x7FFF;
            fx.mant = ONE_MANT;
            return;
        }
        tx.result(X87Transcendentals.value(ey, my).multiply(X87Transcendentals.log2p1(X87Transcendentals.value(ex, mx))));
    }

    /** #MF. */
    private static final int MF_VECTOR = 16;

    /** Whether the instruction is a waiting one (checks for pending unmasked exceptions first). */
    private static boolean waits(int sub) {
        return switch (sub) {
            case X87Op.FNINIT, X87Op.FNCLEX, X87Op.FNSTCW, X87Op.FNSTSW_M, X87Op.FNSTSW_AX, X87Op.FNSTENV,
                    X87Op.FNSAVE -> false;
            default -> true;
        };
    }

    private boolean unmasked(int exception) {
        return (cpu.fcw & exception) == 0;
    }

    private void stackUnderflow() {
        cpu.fsw = (cpu.fsw | IE | SF) & ~C1;
    }

    private void setRaw(int p, int exp, long mant) {
        cpu.fpuExponent[p] = exp;
        cpu.fpuMantissa[p] = mant;
        cpu.ftwAbridged |= 1 << p;
    }

    /** Starts an operation on ST(i) and ST(j): false (after a stack fault) when one is empty. */
    private boolean begin2(int i, int j) {
        fx.flags = 0;
        fx.roundedUp = false;
        fx.control(cpu.fcw);
        if (empty(i) || empty(j)) {
            stackUnderflow();
            if (!unmasked(IE)) {
                setStRaw(i, Float80.INDEFINITE_EXP, Float80.INDEFINITE_MANT);
            }
            return false;
        }
        return true;
    }

    /**
     * Merges the operation's exceptions into the status word, sets C1 from its rounding and writes
     * its result to ST(dest) unless an unmasked invalid, zero-divide or denormal exception
     * suppresses it.
     */
    private void finish(int dest) {
        int f = fx.flags;
        if ((f & 2 & ~cpu.fcw) != 0 && (f & IE) == 0) {
            // An unmasked denormal operand stops the instruction before it computes anything.
            cpu.fsw = (cpu.fsw & ~C1) | 2;
            return;
        }
        cpu.fsw = (cpu.fsw & ~C1) | f | (fx.roundedUp ? C1 : 0);
        if ((f & (IE | ZE | 2) & ~cpu.fcw) != 0) {
            return;
        }
        setStRaw(dest, fx.exp, fx.mant);
    }

    /** FSQRT (0) or FRNDINT (1) on ST(0). */
    private void unary(int which) {
        if (!begin2(0, 0)) {
            return;
        }
        int e = cpu.fpuExponent[phys(0)];
        long m = cpu.fpuMantissa[phys(0)];
        if (which == 0) {
            fx.sqrt(e, m);
        } else {
            fx.roundToInteger(e, m);
        }
        finish(0);
    }

    private void loadReal(long bits, int fracBits, int expBits) {
        fx.flags = 0;
        conv.load(bits, fracBits, expBits);
        cpu.fsw &= ~C1;
        if ((fx.flags & ~cpu.fcw & (IE | 2)) != 0) {
            cpu.fsw |= fx.flags;
            return;
        }
        cpu.fsw |= fx.flags;
        pushRaw(fx.exp, fx.mant);
    }

    private void storeReal(DecodedInsn d, int size, int fracBits, int expBits, boolean popAfter) {
        long ea = in.ea(d);
        fx.flags = 0;
        fx.control(cpu.fcw);
        long bits;
        if (empty(0)) {
            stackUnderflow();
            if (unmasked(IE)) {
                return;
            }
            bits = size == 4 ? 0xFFC0_0000L : 0xFFF8_0000_0000_0000L;
        } else {
            bits = conv.store(cpu.fpuExponent[phys(0)], cpu.fpuMantissa[phys(0)], fracBits, expBits);
            cpu.fsw = (cpu.fsw & ~C1) | fx.flags | (fx.roundedUp ? C1 : 0);
            if ((fx.flags & ~cpu.fcw & (IE | ExtendedArithmetic.OE | ExtendedArithmetic.UE)) != 0) {
                return; // an unmasked invalid, overflow or underflow stores nothing and does not pop
            }
        }
        in.write(d.seg, ea, size, bits);
        if (popAfter) {
            pop();
        }
    }

    /** FLD1/FLDZ/FLDPI...: the 64-bit significand rounded toward zero plus whether RN/RU round up (bit 1 RN, bit 0 always for RU). */
    private void pushConstant(int exp, long truncated, int roundUp) {
        int rc = (cpu.fcw >>> 10) & 3;
        long m = truncated;
        if ((rc == 0 && roundUp == 2) || (rc == 2 && roundUp != 0)) {
            m++;
        }
        cpu.fsw &= ~C1;
        pushRaw(exp, m);
    }

    private void storeBcd(DecodedInsn d) {
        long ea = in.ea(d);
        fx.flags = 0;
        long[] image;
        if (empty(0)) {
            stackUnderflow();
            if (unmasked(IE)) {
                return;
            }
            image = new long[] {0xC000_0000_0000_0000L, 0xFFFF};
        } else {
            image = conv.storeBcd(cpu.fpuExponent[phys(0)], cpu.fpuMantissa[phys(0)], (cpu.fcw >>> 10) & 3);
            cpu.fsw = (cpu.fsw & ~C1) | fx.flags | (fx.roundedUp ? C1 : 0);
            if ((fx.flags & ~cpu.fcw & IE) != 0) {
                return;
            }
        }
        in.mmu.probeWrite(d.seg, (ea + 8) & mask(d.addrSize), 2);
        in.write(d.seg, ea, 8, image[0]);
        in.write(d.seg, (ea + 8) & mask(d.addrSize), 2, image[1]);
        pop();
    }

    /** FXTRACT: ST(0) becomes its unbiased exponent, then its significand (exponent 0) is pushed. */
    private void extract() {
        if (!begin2(0, 0)) {
            return;
        }
        int p = phys(0);
        int e = cpu.fpuExponent[p];
        long m = cpu.fpuMantissa[p];
        int sigExp;
        long sigMant;
        int expExp;
        long expMant;
        if (fx.nanOperand(e, m)) {
            sigExp = expExp = fx.exp;
            sigMant = expMant = fx.mant;
        } else if (ExtendedArithmetic.isZero(e, m)) {
            fx.flags |= ZE;
            expExp = 0xFFFF;
            expMant = 0x8000_0000_0000_0000L;
            sigExp = e;
            sigMant = 0;
        } else if (ExtendedArithmetic.isInf(e, m)) {
            expExp = 0x7FFF;
            expMant = 0x8000_0000_0000_0000L;
            sigExp = e;
            sigMant = m;
        } else {
            if (ExtendedArithmetic.isDenormal(e, m)) {
                fx.flags |= 2;
            }
            int lz = Long.numberOfLeadingZeros(m);
            int unbiased = Math.max(e & 0x7FFF, 1) - 16383 - lz;
            conv.fromInteger(java.math.BigInteger.valueOf(unbiased), false);
            expExp = fx.exp;
            expMant = fx.mant;
            sigExp = (e & 0x8000) | 0x3FFF;
            sigMant = m << lz;
        }
        cpu.fsw = (cpu.fsw & ~C1) | fx.flags;
        if ((fx.flags & ~cpu.fcw & (IE | ZE | 2)) != 0) {
            return;
        }
        setStRaw(0, expExp, expMant);
        pushRaw(sigExp, sigMant);
    }

    /**
     * FPREM (truncating quotient) and FPREM1 (nearest quotient): ST(0) = ST(0) - Q * ST(1), exact;
     * C0, C3, C1 receive the quotient's low three bits and C2 is cleared when the reduction is
     * complete; with an exponent difference of 64 or more only a partial reduction is done and C2 set.
     */
    private void partialRemainder(boolean nearest) {
        if (!begin2(0, 1)) {
            return;
        }
        int ea = cpu.fpuExponent[phys(0)];
        long ma = cpu.fpuMantissa[phys(0)];
        int eb = cpu.fpuExponent[phys(1)];
        long mb = cpu.fpuMantissa[phys(1)];
        int cc = 0;
        if (fx.nanOperands(ea, ma, eb, mb)) {
            cc = -1;
        } else if (ExtendedArithmetic.isInf(ea, ma) || ExtendedArithmetic.isZero(eb, mb)) {
            fx.indefinite();
            cc = -1;
        } else {
            if (ExtendedArithmetic.isDenormal(ea, ma) || ExtendedArithmetic.isDenormal(eb, mb)) {
                fx.flags |= 2;
            }
            if (ExtendedArithmetic.isZero(ea, ma) || ExtendedArithmetic.isInf(eb, mb)) {
                // ST(0) is kept; a pseudo-denormal is rewritten in its normal encoding (exponent 1).
                fx.exp = (ea & 0x7FFF) == 0 && ma < 0 ? (ea & 0x8000) | 1 : ea;
                fx.mant = ma;
                if (ExtendedArithmetic.isDenormal(fx.exp, fx.mant) && unmasked(ExtendedArithmetic.UE)) {
                    fx.flags |= ExtendedArithmetic.UE; // a tiny result with underflow unmasked
                }
            } else {
                java.math.BigInteger a = ExtendedArithmetic.magnitude(ma);
                java.math.BigInteger b = ExtendedArithmetic.magnitude(mb);
                int xa = ExtendedArithmetic.lsbExponent(ea);
                int xb = ExtendedArithmetic.lsbExponent(eb);
                int diff = (a.bitLength() + xa) - (b.bitLength() + xb);
                int lo = Math.min(xa, xb);
                java.math.BigInteger sa = a.shiftLeft(xa - lo);
                java.math.BigInteger sb = b.shiftLeft(xb - lo);
                boolean partial = diff >= 64;
                if (partial) {
                    // Reduce by a quotient truncated to its top 32 bits: ST(1) * QQ * 2^(diff - 32).
                    sb = sb.shiftLeft(diff - 32);
                }
                java.math.BigInteger[] qr = sa.divideAndRemainder(sb);
                java.math.BigInteger quot = qr[0];
                java.math.BigInteger rem = qr[1];
                if (nearest && !partial) {
                    int c = rem.shiftLeft(1).compareTo(sb);
                    if (c > 0 || (c == 0 && quot.testBit(0))) {
                        quot = quot.add(java.math.BigInteger.ONE);
                        rem = rem.subtract(sb);
                    }
                }
                boolean neg = ExtendedArithmetic.negative(ea) != (rem.signum() < 0);
                if (rem.signum() == 0) {
                    fx.exp = ea & 0x8000;
                    fx.mant = 0;
                } else {
                    fx.roundToRegister(neg, rem.abs(), lo, 64); // exact: no rounding happens
                }
                if (partial) {
                    cc = C2;
                } else {
                    int q = quot.intValue();
                    cc = ((q & 1) != 0 ? C1 : 0) | ((q & 2) != 0 ? C3 : 0) | ((q & 4) != 0 ? C0 : 0);
                }
            }
        }
        fx.roundedUp = false;
        if (cc >= 0) {
            cpu.fsw = (cpu.fsw & ~CC_MASK) | cc;
            cpu.fsw |= fx.flags;
            if ((fx.flags & ~cpu.fcw & (IE | 2)) == 0) {
                setStRaw(0, fx.exp, fx.mant);
            }
        } else {
            cpu.fsw = (cpu.fsw & ~(C1 | C2)) | fx.flags;
            if ((fx.flags & ~cpu.fcw & IE) == 0) {
                setStRaw(0, fx.exp, fx.mant);
            }
        }
    }

    private final DecodedInsn ninitInsn = new DecodedInsn();

    private DecodedInsn ninit(DecodedInsn like) {
        ninitInsn.copyFrom(like);
        ninitInsn.sub = X87Op.FNINIT;
        return ninitInsn;
    }

    private int statusWord() {
        int s = cpu.fsw;
        if ((s & 0x3F & ~cpu.fcw) != 0) {
            s |= ES | B;
        }
        return s & 0xFFFF;
    }

    private void pushInt64(long v) {
        cpu.fsw &= ~C1;
        // Exact: a 64-bit integer always fits the 64-bit significand.
        if (v == 0) {
            pushRaw(0, 0);
            return;
        }
        int sign = v < 0 ? 0x8000 : 0;
        long mag = v < 0 ? -v : v; // MIN_VALUE stays 0x8000...: correct magnitude as unsigned
        int lz = Long.numberOfLeadingZeros(mag);
        pushRaw(sign | (16383 + 63 - lz), mag << lz);
    }

    private void storeInt(DecodedInsn d, int size, boolean truncate, boolean popAfter) {
        long ea = in.ea(d);
        fx.flags = 0;
        long result = 0;
        boolean invalid;
        if (empty(0)) {
            stackUnderflow();
            invalid = true;
        } else {
            int rc = truncate ? 3 : (cpu.fcw >>> 10) & 3;
            java.math.BigInteger r = conv.toInteger(cpu.fpuExponent[phys(0)], cpu.fpuMantissa[phys(0)], rc,
                    java.math.BigInteger.ONE.shiftLeft(size * 8 - 1));
            invalid = r == null;
            if (!invalid) {
                result = r.longValue();
            }
            cpu.fsw = (cpu.fsw & ~C1) | fx.flags | (fx.roundedUp ? C1 : 0);
        }
        if (invalid) {
            cpu.fsw = (cpu.fsw & ~C1) | IE;
            if (unmasked(IE)) {
                return;
            }
            result = 1L << (size * 8 - 1); // integer indefinite
        }
        in.write(d.seg, ea, size, result);
        if (popAfter) {
            pop();
        }
    }

    private void arith(DecodedInsn d, int form, int kind) {
        int dest = 0;
        int srcExp;
        long srcMant;
        fx.flags = 0;
        fx.roundedUp = false;
        fx.control(cpu.fcw);
        switch (form) {
            case X87Op.F_M32, X87Op.F_M64 -> {
                long bits = form == X87Op.F_M32 ? in.read(d.seg, in.ea(d), 4) : in.read(d.seg, in.ea(d), 8);
                conv.load(bits, form == X87Op.F_M32 ? 23 : 52, form == X87Op.F_M32 ? 8 : 11);
                // Keep a signalling NaN signalling: the NaN rules below need its class. A denormal
                // source counts (DE) only when the other operand is not a NaN or unsupported.
                fx.flags &= ~IE;
                int other = cpu.fpuExponent[phys(0)];
                long otherMant = cpu.fpuMantissa[phys(0)];
                if (empty(0) || ExtendedArithmetic.isNaN(other, otherMant)
                        || ExtendedArithmetic.isUnsupported(other, otherMant)) {
                    fx.flags &= ~2;
                }
                srcExp = fx.exp;
                srcMant = fx.mant;
                if (ExtendedArithmetic.isNaN(srcExp, srcMant)) {
                    boolean signalling = form == X87Op.F_M32 ? (bits & 0x40_0000L) == 0 : (bits & 0x8_0000_0000_0000L) == 0;
                    if (signalling) {
                        srcMant &= ~0x4000_0000_0000_0000L;
                    }
                }
            }
            case X87Op.F_M16I, X87Op.F_M32I -> {
                long v = form == X87Op.F_M16I ? (short) in.read(d.seg, in.ea(d), 2) : (int) in.read(d.seg, in.ea(d), 4);
                conv.fromInteger(java.math.BigInteger.valueOf(v), false);
                srcExp = fx.exp;
                srcMant = fx.mant;
            }
            case X87Op.F_ST0_STI -> {
                int s = d.modrm & 7;
                if (empty(s) || empty(0)) {
                    stackFault(kind);
                    return;
                }
                srcExp = cpu.fpuExponent[phys(s)];
                srcMant = cpu.fpuMantissa[phys(s)];
            }
            default -> {
                dest = d.modrm & 7;
                if (empty(dest) || empty(0)) {
                    stackFault(kind, dest, form == X87Op.F_STI_ST0_POP);
                    return;
                }
                srcExp = cpu.fpuExponent[phys(0)];
                srcMant = cpu.fpuMantissa[phys(0)];
            }
        }
        if (empty(dest)) {
            stackFault(kind);
            return;
        }
        int dExp = cpu.fpuExponent[phys(dest)];
        long dMant = cpu.fpuMantissa[phys(dest)];
        if (kind == 2 || kind == 3) {
            compareValues(dExp, dMant, srcExp, srcMant, false, false);
            if (kind == 3) {
                pop();
            }
            return;
        }
        if (kind == 7 && ExtendedArithmetic.isZero(dExp, dMant)) {
            fx.flags &= ~2; // division by zero is reported without the dividend's DE
        }
        if (fx.nanOperands(dExp, dMant, srcExp, srcMant)) {
            finish(dest);
            if (form == X87Op.F_STI_ST0_POP) {
                pop();
            }
            return;
        }
        switch (kind) {
            case 0 -> fx.add(dExp, dMant, srcExp, srcMant);
            case 1 -> fx.multiply(dExp, dMant, srcExp, srcMant);
            case 4 -> fx.add(dExp, dMant, srcExp ^ 0x8000, srcMant);
            case 5 -> fx.add(srcExp, srcMant, dExp ^ 0x8000, dMant);
            case 6 -> fx.divide(dExp, dMant, srcExp, srcMant);
            default -> fx.divide(srcExp, srcMant, dExp, dMant);
        }
        finish(dest);
        if (form == X87Op.F_STI_ST0_POP) {
            pop();
        }
    }

    private void stackFault(int kind) {
        stackFault(kind, 0, false);
    }

    private void stackFault(int kind, int dest, boolean popAfter) {
        stackUnderflow();
        if (kind == 2 || kind == 3) {
            cpu.fsw |= C3 | C2 | C0;
            if (kind == 3) {
                pop();
            }
            return;
        }
        if (!unmasked(IE)) {
            setStRaw(dest, Float80.INDEFINITE_EXP, Float80.INDEFINITE_MANT);
        }
        if (popAfter) {
            pop();
        }
    }

    /** FCOM/FUCOM(I) ST(0) with ST(i). */
    private void compareRegs(int sti, boolean quietOnly, boolean toEflags) {
        fx.flags = 0;
        if (empty(0) || empty(sti)) {
            stackUnderflow();
            if (toEflags) {
                in.flags.load(LazyFlags.ZF | LazyFlags.PF | LazyFlags.CF);
            } else {
                cpu.fsw |= C3 | C2 | C0;
            }
            return;
        }
        compareValues(cpu.fpuExponent[phys(0)], cpu.fpuMantissa[phys(0)], cpu.fpuExponent[phys(sti)],
                cpu.fpuMantissa[phys(sti)], quietOnly, toEflags);
    }

    /** FTST: ST(0) with +0. */
    private void compareSt0(int e, long m, boolean quietOnly, boolean toEflags) {
        fx.flags = 0;
        if (empty(0)) {
            stackUnderflow();
            cpu.fsw |= C3 | C2 | C0;
            return;
        }
        compareValues(cpu.fpuExponent[phys(0)], cpu.fpuMantissa[phys(0)], e, m, quietOnly, toEflags);
    }

    /**
     * FCOM/FUCOM/FTST (C3 C2 C0 = 000 >, 001 <, 100 =, 111 unordered) or FCOMI/FUCOMI (ZF PF CF the
     * same way; OF SF AF cleared). Unsupported operands and signalling NaNs raise IE; quiet NaNs
     * too unless {@code quietOnly}; denormal operands raise DE. C1 is cleared.
     */
    private void compareValues(int ea, long ma, int eb, long mb, boolean quietOnly, boolean toEflags) {
        int flags = 0;
        int result; // -1, 0, 1, or 2 for unordered
        if (ExtendedArithmetic.isUnsupported(ea, ma) || ExtendedArithmetic.isUnsupported(eb, mb)) {
            flags |= IE;
            result = 2;
        } else if (ExtendedArithmetic.isNaN(ea, ma) || ExtendedArithmetic.isNaN(eb, mb)) {
            result = 2;
            if (!quietOnly || ExtendedArithmetic.isSignaling(ea, ma) || ExtendedArithmetic.isSignaling(eb, mb)) {
                flags |= IE;
            }
        } else {
            if (ExtendedArithmetic.isDenormal(ea, ma) || ExtendedArithmetic.isDenormal(eb, mb)) {
                flags |= 2;
            }
            result = ExtendedArithmetic.compare(ea, ma, eb, mb);
        }
        cpu.fsw = (cpu.fsw & ~C1) | flags | fx.flags;
        if (toEflags) {
            in.flags.load(switch (result) {
                case 2 -> LazyFlags.ZF | LazyFlags.PF | LazyFlags.CF;
                case 1 -> 0;
                case -1 -> LazyFlags.CF;
                default -> LazyFlags.ZF;
            });
        } else {
            int cc = switch (result) {
                case 2 -> C3 | C2 | C0;
                case 1 -> 0;
                case -1 -> C0;
                default -> C3;
            };
            cpu.fsw = (cpu.fsw & ~CC_MASK) | cc;
        }
    }

    private void examine() {
        int p = phys(0);
        int exp = cpu.fpuExponent[p];
        long mant = cpu.fpuMantissa[p];
        int cc = (exp & 0x8000) != 0 ? C1 : 0;
        int e = exp & 0x7FFF;
        if ((cpu.ftwAbridged & (1 << p)) == 0) {
            cc |= C3 | C0;
        } else if (e == 0) {
            cc |= mant == 0 ? C3 : C3 | C2;
        } else if (mant >= 0) {
            cc |= 0; // unsupported: unnormal, pseudo-NaN, pseudo-infinity
        } else if (e == 0x7FFF) {
            cc |= (mant << 1) == 0 ? C2 | C0 : C0;
        } else {
            cc |= C2;
        }
        cpu.fsw = (cpu.fsw & ~CC_MASK) | cc;
    }

    private void fcmov(int cond, int sti) {
        boolean take = switch (cond & 3) {
            case 0 -> in.flags.cf();
            case 1 -> in.flags.zf();
            case 2 -> in.flags.cf() || in.flags.zf();
            default -> in.flags.pf();
        };
        if (cond >= 4) {
            take = !take;
        }
        if (empty(0) || empty(sti)) {
            // Whatever the condition, an empty operand is a stack underflow that loads ST(0).
            stackUnderflow();
            if (!unmasked(IE)) {
                setStRaw(0, Float80.INDEFINITE_EXP, Float80.INDEFINITE_MANT);
            }
            return;
        }
        if (take) {
            int src = phys(sti);
            setStRaw(0, cpu.fpuExponent[src], cpu.fpuMantissa[src]);
        }
    }

    /** Full tag word (2 bits per register) from the abridged form and the register contents. */
    private int fullTagWord() {
        int tw = 0;
        for (int p = 0; p < 8; p++) {
            int tag;
            if ((cpu.ftwAbridged & (1 << p)) == 0) {
                tag = 3;
            } else {
                int e = cpu.fpuExponent[p] & 0x7FFF;
                long m = cpu.fpuMantissa[p];
                if (e == 0 && m == 0) {
                    tag = 1;
                } else if (e == 0x7FFF || e == 0 || m >= 0) {
                    tag = 2;
                } else {
                    tag = 0;
                }
            }
            tw |= tag << (2 * p);
        }
        return tw;
    }

    private void storeEnvironment(DecodedInsn d, long ea) {
        long am = mask(d.addrSize);
        if (d.opSize == 2) {
            in.write(d.seg, ea, 2, cpu.fcw);
            in.write(d.seg, (ea + 2) & am, 2, statusWord());
            in.write(d.seg, (ea + 4) & am, 2, fullTagWord());
            in.write(d.seg, (ea + 6) & am, 2, cpu.fip);
            in.write(d.seg, (ea + 8) & am, 2, 0);
            in.write(d.seg, (ea + 10) & am, 2, cpu.fdp);
            in.write(d.seg, (ea + 12) & am, 2, 0);
        } else {
            in.write(d.seg, ea, 4, cpu.fcw | 0xFFFF_0000L);
            in.write(d.seg, (ea + 4) & am, 4, statusWord() | 0xFFFF_0000L);
            in.write(d.seg, (ea + 8) & am, 4, fullTagWord() | 0xFFFF_0000L);
            in.write(d.seg, (ea + 12) & am, 4, cpu.fip & 0xFFFF_FFFFL);
            in.write(d.seg, (ea + 16) & am, 4, (cpu.fop & 0x7FF) << 16);
            in.write(d.seg, (ea + 20) & am, 4, cpu.fdp & 0xFFFF_FFFFL);
            in.write(d.seg, (ea + 24) & am, 4, 0xFFFF_0000L);
        }
    }

    private void loadEnvironment(DecodedInsn d, long ea) {
        long am = mask(d.addrSize);
        int step = d.opSize == 2 ? 2 : 4;
        cpu.fcw = (int) in.read(d.seg, ea, 2) | 0x40;
        cpu.fsw = (int) in.read(d.seg, (ea + step) & am, 2);
        int tw = (int) in.read(d.seg, (ea + 2L * step) & am, 2);
        int abridged = 0;
        for (int p = 0; p < 8; p++) {
            if (((tw >>> (2 * p)) & 3) != 3) {
                abridged |= 1 << p;
            }
        }
        cpu.ftwAbridged = abridged;
    }
}

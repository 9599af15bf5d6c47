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
 * <p>Precision: registers hold the exact 80-bit form ({@code CpuState.fpuMantissa/fpuExponent}), so
 * FLD m80/FSTP m80 and register moves keep every bit; arithmetic converts operands to double,
 * computes at double precision (53-bit significand, the precision-control setting is not applied)
 * and stores the result back in 80-bit form. Exceptions are reported in the status word (IE, ZE, SF,
 * C1); unmasked exceptions do not raise #MF (documented gap). Owned by the vCPU thread.
 */
final class X87Unit {

    // Status word bits.
    private static final int IE = 1;
    private static final int ZE = 1 << 2;
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

    /** ST(i) as a double; an empty register is a stack underflow (IE|SF) and reads as NaN. */
    double st(int i) {
        int p = phys(i);
        if ((cpu.ftwAbridged & (1 << p)) == 0) {
            cpu.fsw |= IE | SF;
            cpu.fsw &= ~C1;
            return Double.NaN;
        }
        return Float80.toDouble(cpu.fpuExponent[p], cpu.fpuMantissa[p]);
    }

    private void setSt(int i, double v) {
        int p = phys(i);
        cpu.fpuExponent[p] = Float80.exponentWord(v);
        cpu.fpuMantissa[p] = Float80.mantissa(v);
        cpu.ftwAbridged |= 1 << p;
    }

    private void setStRaw(int i, int exp, long mant) {
        int p = phys(i);
        cpu.fpuExponent[p] = exp;
        cpu.fpuMantissa[p] = mant;
        cpu.ftwAbridged |= 1 << p;
    }

    /** Pushes a value; a full stack is an overflow (IE|SF|C1) and pushes the indefinite NaN. */
    void push(double v) {
        int t = (top() - 1) & 7;
        setTop(t);
        if ((cpu.ftwAbridged & (1 << t)) != 0) {
            cpu.fsw |= IE | SF | C1;
            setStRaw(0, Float80.INDEFINITE_EXP, Float80.INDEFINITE_MANT);
            return;
        }
        setSt(0, v);
    }

    private void pushRaw(int exp, long mant) {
        int t = (top() - 1) & 7;
        setTop(t);
        if ((cpu.ftwAbridged & (1 << t)) != 0) {
            cpu.fsw |= IE | SF | C1;
            exp = Float80.INDEFINITE_EXP;
            mant = Float80.INDEFINITE_MANT;
        }
        setStRaw(0, exp, mant);
    }

    void pop() {
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
        if (sub < 64) {
            arith(d, sub >> 3, sub & 7);
            return;
        }
        int sti = d.modrm & 7;
        switch (sub) {
            case X87Op.FLD_M32 -> push(Float.intBitsToFloat((int) in.read(d.seg, in.ea(d), 4)));
            case X87Op.FLD_M64 -> push(Double.longBitsToDouble(in.read(d.seg, in.ea(d), 8)));
            case X87Op.FLD_M80 -> {
                long ea = in.ea(d);
                long mant = in.read(d.seg, ea, 8);
                int exp = (int) in.read(d.seg, (ea + 8) & mask(d.addrSize), 2);
                pushRaw(exp, mant);
            }
            case X87Op.FLD_STI -> {
                int p = phys(sti);
                if ((cpu.ftwAbridged & (1 << p)) == 0) {
                    cpu.fsw |= IE | SF;
                    pushRaw(Float80.INDEFINITE_EXP, Float80.INDEFINITE_MANT);
                } else {
                    pushRaw(cpu.fpuExponent[p], cpu.fpuMantissa[p]);
                }
            }
            case X87Op.FST_M32, X87Op.FSTP_M32 -> {
                in.write(d.seg, in.ea(d), 4, Float.floatToRawIntBits((float) st(0)) & 0xFFFF_FFFFL);
                if (sub == X87Op.FSTP_M32) {
                    pop();
                }
            }
            case X87Op.FST_M64, X87Op.FSTP_M64 -> {
                in.write(d.seg, in.ea(d), 8, Double.doubleToRawLongBits(st(0)));
                if (sub == X87Op.FSTP_M64) {
                    pop();
                }
            }
            case X87Op.FSTP_M80 -> {
                long ea = in.ea(d);
                int p = phys(0);
                int exp;
                long mant;
                if ((cpu.ftwAbridged & (1 << p)) == 0) {
                    cpu.fsw |= IE | SF;
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
                int src = phys(0);
                setStRaw(sti, cpu.fpuExponent[src], cpu.fpuMantissa[src]);
                if (sub == X87Op.FSTP_STI) {
                    pop();
                }
            }
            case X87Op.FILD_M16 -> push((short) in.read(d.seg, in.ea(d), 2));
            case X87Op.FILD_M32 -> push((int) in.read(d.seg, in.ea(d), 4));
            case X87Op.FILD_M64 -> pushInt64(in.read(d.seg, in.ea(d), 8));
            case X87Op.FIST_M16, X87Op.FISTP_M16, X87Op.FISTTP_M16 -> storeInt(d, 2, sub == X87Op.FISTTP_M16,
                    sub != X87Op.FIST_M16);
            case X87Op.FIST_M32, X87Op.FISTP_M32, X87Op.FISTTP_M32 -> storeInt(d, 4, sub == X87Op.FISTTP_M32,
                    sub != X87Op.FIST_M32);
            case X87Op.FISTP_M64, X87Op.FISTTP_M64 -> storeInt(d, 8, sub == X87Op.FISTTP_M64, true);
            case X87Op.FCHS -> setSt(0, -st(0));
            case X87Op.FABS -> setSt(0, Math.abs(st(0)));
            case X87Op.FTST -> compare(st(0), 0.0, false);
            case X87Op.FXAM -> examine();
            case X87Op.FLD1 -> push(1.0);
            case X87Op.FLDL2T -> push(3.321928094887362347870319429489390175864831393);
            case X87Op.FLDL2E -> push(1.442695040888963407359924681001892137426645954);
            case X87Op.FLDPI -> push(Math.PI);
            case X87Op.FLDLG2 -> push(0.301029995663981195213738894724493026768189881);
            case X87Op.FLDLN2 -> push(0.693147180559945309417232121458176568075500134);
            case X87Op.FLDZ -> push(0.0);
            case X87Op.F2XM1 -> setSt(0, Math.pow(2, st(0)) - 1);
            case X87Op.FYL2X -> {
                double r = st(1) * (Math.log(st(0)) / Math.log(2));
                pop();
                setSt(0, r);
            }
            case X87Op.FYL2XP1 -> {
                double r = st(1) * (Math.log1p(st(0)) / Math.log(2));
                pop();
                setSt(0, r);
            }
            case X87Op.FPTAN -> {
                setSt(0, Math.tan(st(0)));
                push(1.0);
                cpu.fsw &= ~C2;
            }
            case X87Op.FPATAN -> {
                double r = Math.atan2(st(1), st(0));
                pop();
                setSt(0, r);
            }
            case X87Op.FXTRACT -> {
                double v = st(0);
                int e = Math.getExponent(v);
                double sig = Math.scalb(v, -e);
                setSt(0, e);
                push(sig);
            }
            case X87Op.FPREM, X87Op.FPREM1 -> {
                double a = st(0);
                double b = st(1);
                double r = sub == X87Op.FPREM ? a % b : Math.IEEEremainder(a, b);
                long q = (long) ((a - r) / b);
                setSt(0, r);
                cpu.fsw = (cpu.fsw & ~CC_MASK) | ((q & 1) != 0 ? C1 : 0) | ((q & 2) != 0 ? C3 : 0)
                        | ((q & 4) != 0 ? C0 : 0);
            }
            case X87Op.FDECSTP -> setTop(top() - 1);
            case X87Op.FINCSTP -> setTop(top() + 1);
            case X87Op.FSQRT -> {
                double v = st(0);
                if (v < 0) {
                    cpu.fsw |= IE;
                }
                setSt(0, Math.sqrt(v));
            }
            case X87Op.FSINCOS -> {
                double v = st(0);
                setSt(0, Math.sin(v));
                push(Math.cos(v));
                cpu.fsw &= ~C2;
            }
            case X87Op.FRNDINT -> setSt(0, round(st(0), (cpu.fcw >>> 10) & 3));
            case X87Op.FSCALE -> setSt(0, Math.scalb(st(0), (int) Math.max(-100000, Math.min(100000, trunc(st(1))))));
            case X87Op.FSIN -> {
                setSt(0, Math.sin(st(0)));
                cpu.fsw &= ~C2;
            }
            case X87Op.FCOS -> {
                setSt(0, Math.cos(st(0)));
                cpu.fsw &= ~C2;
            }
            case X87Op.FXCH -> {
                int a = phys(0);
                int b = phys(sti);
                int te = cpu.fpuExponent[a];
                long tm = cpu.fpuMantissa[a];
                boolean va = (cpu.ftwAbridged & (1 << a)) != 0;
                boolean vb = (cpu.ftwAbridged & (1 << b)) != 0;
                cpu.fpuExponent[a] = cpu.fpuExponent[b];
                cpu.fpuMantissa[a] = cpu.fpuMantissa[b];
                cpu.fpuExponent[b] = te;
                cpu.fpuMantissa[b] = tm;
                cpu.ftwAbridged = (cpu.ftwAbridged & ~((1 << a) | (1 << b))) | (vb ? 1 << a : 0) | (va ? 1 << b : 0);
            }
            case X87Op.FNOP, X87Op.FWAIT -> {
            }
            case X87Op.FUCOM, X87Op.FUCOMP -> {
                compare(st(0), st(sti), true);
                if (sub == X87Op.FUCOMP) {
                    pop();
                }
            }
            case X87Op.FUCOMPP, X87Op.FCOMPP -> {
                compare(st(0), st(1), sub == X87Op.FUCOMPP);
                pop();
                pop();
            }
            case X87Op.FCOMI, X87Op.FCOMIP, X87Op.FUCOMI, X87Op.FUCOMIP -> {
                compareToEflags(st(0), st(sti), sub == X87Op.FUCOMI || sub == X87Op.FUCOMIP);
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

    private static double trunc(double v) {
        return v < 0 ? Math.ceil(v) : Math.floor(v);
    }

    private static double round(double v, int rc) {
        return switch (rc) {
            case 0 -> Math.rint(v);
            case 1 -> Math.floor(v);
            case 2 -> Math.ceil(v);
            default -> trunc(v);
        };
    }

    private void storeInt(DecodedInsn d, int size, boolean truncate, boolean popAfter) {
        long ea = in.ea(d);
        int p = phys(0);
        long result;
        boolean invalid;
        if ((cpu.ftwAbridged & (1 << p)) == 0) {
            cpu.fsw |= SF;
            invalid = true;
            result = 0;
        } else {
            int rc = truncate ? 3 : (cpu.fcw >>> 10) & 3;
            long[] out = intScratch;
            invalid = !toInteger(cpu.fpuExponent[p], cpu.fpuMantissa[p], rc, size, out);
            result = out[0];
        }
        if (invalid) {
            cpu.fsw |= IE;
            result = 1L << (size * 8 - 1); // integer indefinite
        }
        in.write(d.seg, ea, size, result);
        if (popAfter) {
            pop();
        }
    }

    private final long[] intScratch = new long[1];

    /**
     * Rounds the exact 80-bit value to an integer of {@code size} bytes with rounding control
     * {@code rc}; returns false when it is NaN, infinite or out of range.
     */
    static boolean toInteger(int exp, long mant, int rc, int size, long[] out) {
        boolean neg = (exp & 0x8000) != 0;
        int e = exp & 0x7FFF;
        if (e == 0x7FFF) {
            return false;
        }
        long mag;
        long frac; // fraction bits, MSB = 1/2
        int unbiased = e - 16383;
        if (mant == 0) {
            mag = 0;
            frac = 0;
        } else if (unbiased >= 64) {
            return false;
        } else if (unbiased < 0) {
            mag = 0;
            frac = unbiased == -1 ? mant : (unbiased >= -64 ? (mant >>> (-unbiased - 1)) | 1 : 1);
        } else {
            int shift = 63 - unbiased;
            mag = shift == 0 ? mant : mant >>> shift;
            frac = shift == 0 ? 0 : mant << (64 - shift);
        }
        boolean up = switch (rc) {
            case 0 -> Long.compareUnsigned(frac, 0x8000_0000_0000_0000L) > 0
                    || (frac == 0x8000_0000_0000_0000L && (mag & 1) != 0);
            case 1 -> neg && frac != 0;
            case 2 -> !neg && frac != 0;
            default -> false;
        };
        if (up) {
            mag++;
            if (mag == 0) {
                return false;
            }
        }
        long limit = 1L << (size * 8 - 1); // as unsigned for size 8
        if (neg ? Long.compareUnsigned(mag, limit) > 0 : Long.compareUnsigned(mag, limit) >= 0) {
            return false;
        }
        out[0] = neg ? -mag : mag;
        return true;
    }

    private void arith(DecodedInsn d, int form, int kind) {
        double src;
        int dest = 0;
        switch (form) {
            case X87Op.F_M32 -> src = Float.intBitsToFloat((int) in.read(d.seg, in.ea(d), 4));
            case X87Op.F_M64 -> src = Double.longBitsToDouble(in.read(d.seg, in.ea(d), 8));
            case X87Op.F_M16I -> src = (short) in.read(d.seg, in.ea(d), 2);
            case X87Op.F_M32I -> src = (int) in.read(d.seg, in.ea(d), 4);
            case X87Op.F_ST0_STI -> src = st(d.modrm & 7);
            default -> {
                dest = d.modrm & 7;
                src = st(0);
            }
        }
        double a = st(dest);
        if (kind == 2 || kind == 3) {
            compare(a, src, false);
            if (kind == 3) {
                pop();
            }
            return;
        }
        double r = switch (kind) {
            case 0 -> a + src;
            case 1 -> a * src;
            case 4 -> a - src;
            case 5 -> src - a;
            case 6 -> divide(a, src);
            default -> divide(src, a);
        };
        if (Double.isNaN(r) && !Double.isNaN(a) && !Double.isNaN(src)) {
            cpu.fsw |= IE;
        }
        setSt(dest, r);
        if (form == X87Op.F_STI_ST0_POP) {
            pop();
        }
    }

    private double divide(double a, double b) {
        if (b == 0 && a != 0 && !Double.isNaN(a) && !Double.isInfinite(a)) {
            cpu.fsw |= ZE;
        }
        return a / b;
    }

    /** FCOM/FUCOM/FTST: C3 C2 C0 = 000 (>), 001 (<), 100 (=), 111 (unordered). */
    private void compare(double a, double b, boolean quietOnly) {
        int cc;
        if (Double.isNaN(a) || Double.isNaN(b)) {
            cc = C3 | C2 | C0;
            if (!quietOnly) {
                cpu.fsw |= IE;
            }
        } else if (a > b) {
            cc = 0;
        } else if (a < b) {
            cc = C0;
        } else {
            cc = C3;
        }
        cpu.fsw = (cpu.fsw & ~CC_MASK) | cc;
    }

    /** FCOMI/FUCOMI: ZF PF CF like C3 C2 C0; OF, SF, AF cleared. */
    private void compareToEflags(double a, double b, boolean quietOnly) {
        int f;
        if (Double.isNaN(a) || Double.isNaN(b)) {
            f = LazyFlags.ZF | LazyFlags.PF | LazyFlags.CF;
            if (!quietOnly) {
                cpu.fsw |= IE;
            }
        } else if (a > b) {
            f = 0;
        } else if (a < b) {
            f = LazyFlags.CF;
        } else {
            f = LazyFlags.ZF;
        }
        in.flags.load(f);
        cpu.fsw &= ~C1;
    }

    private void examine() {
        int p = phys(0);
        int exp = cpu.fpuExponent[p];
        long mant = cpu.fpuMantissa[p];
        int cc = (exp & 0x8000) != 0 ? C1 : 0;
        int e = exp & 0x7FFF;
        if ((cpu.ftwAbridged & (1 << p)) == 0) {
            cc |= C3 | C0;
        } else if (e == 0x7FFF) {
            cc |= (mant << 1) == 0 ? C2 | C0 : C0;
        } else if (e == 0) {
            cc |= mant == 0 ? C3 : C3 | C2;
        } else if (mant < 0) {
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

package dev.partita.emulator.exec;

import dev.partita.emulator.decoder.DecodedInsn;
import dev.partita.emulator.decoder.SimdOp;

/**
 * SSE/SSE2/SSE3 floating point: packed and scalar arithmetic (ADD, SUB, MUL, DIV, MIN, MAX, SQRT,
 * RCP, RSQRT), compares (CMPxx, (U)COMISx), shuffles and unpacks of floats, horizontal ops and every
 * CVT form between ints, floats and doubles. MIN/MAX return the second (source) operand when either
 * is NaN or both are zero, as the SDM specifies. Float-to-integer conversions use MXCSR.RC (or
 * truncate) and give the integer indefinite value on NaN or overflow. Exception flags are
 * accumulated per instruction ({@link SseExceptions}) into MXCSR; an unmasked one raises #XM (#UD
 * without CR4.OSXMMEXCPT) with the destination XMM register unchanged (a GPR destination of
 * CVT*2SI is written only after the check). Arithmetic rounds to nearest regardless of MXCSR.RC.
 * <p>Why one class: it is one table of floating-point semantics in which every operation shares
 * the per-instruction exception accumulation, the MXCSR rounding and the NaN and zero rules, and
 * the packed and scalar, single and double forms of an operation sit together so each SDM special
 * case is written once. Operand fetch stays in {@link SimdUnit}.
 * Stateless.
 */
final class SimdFloat {
    private SimdFloat() {
    }

    private static float f(long chunk, int i) {
        return Float.intBitsToFloat((int) (chunk >>> (32 * i)));
    }

    private static long fbits(float v) {
        return Float.floatToRawIntBits(v) & 0xFFFF_FFFFL;
    }

    private static double dbl(long bits) {
        return Double.longBitsToDouble(bits);
    }

    private static long dbits(double v) {
        return Double.doubleToRawLongBits(v);
    }

    /** Single-precision lane op with its exceptions accumulated in {@code u.exc}. */
    private static final int DAZ = 1 << 6;
    private static final int FTZ = 1 << 15;

    private static float quiet(float v) {
        return Float.intBitsToFloat(Float.floatToRawIntBits(v) | 0x0040_0000);
    }

    private static double quiet(double v) {
        return Double.longBitsToDouble(Double.doubleToRawLongBits(v) | 0x0008_0000_0000_0000L);
    }

    /** x86 NaN propagation: the first source if it is a NaN, else the second, quieted. */
    private static float nanOf(float a, float b) {
        return quiet(Float.isNaN(a) ? a : b);
    }

    private static double nanOf(double a, double b) {
        return quiet(Double.isNaN(a) ? a : b);
    }

    /** The exact-zero sum of operands of opposite sign is -0 when rounding toward -infinity. */
    private static boolean negativeZeroSum(int kind, double a, double b, double r, int rc) {
        if (r != 0 || rc != 1 || kind != SseExceptions.ADD && kind != SseExceptions.SUB) {
            return false;
        }
        double bb = kind == SseExceptions.ADD ? b : -b;
        return !(a == 0 && bb == 0 && Math.copySign(1.0, a) == Math.copySign(1.0, bb));
    }

    /** DAZ: a denormal operand reads as a zero of the same sign (and reports no DE). */
    private static float daz(SimdUnit u, float v) {
        return (u.mx & DAZ) != 0 && SseExceptions.denormal(v) ? Math.copySign(0f, v) : v;
    }

    private static double daz(SimdUnit u, double v) {
        return (u.mx & DAZ) != 0 && SseExceptions.denormal(v) ? Math.copySign(0.0, v) : v;
    }

    /** Applies MXCSR.RC to a round-to-nearest result, given the sign of (exact - nearest). */
    private static float direct(float r, int errSign, int rc) {
        if (errSign == 0 || rc == 0 || Float.isNaN(r)) {
            return r;
        }
        return switch (rc) {
            case 1 -> errSign < 0 ? Math.nextDown(r) : r;
            case 2 -> errSign > 0 ? Math.nextUp(r) : r;
            default -> r > 0 && errSign < 0 ? Math.nextDown(r) : r < 0 && errSign > 0 ? Math.nextUp(r) : r;
        };
    }

    private static double direct(double r, int errSign, int rc) {
        if (errSign == 0 || rc == 0 || Double.isNaN(r)) {
            return r;
        }
        return switch (rc) {
            case 1 -> errSign < 0 ? Math.nextDown(r) : r;
            case 2 -> errSign > 0 ? Math.nextUp(r) : r;
            default -> r > 0 && errSign < 0 ? Math.nextDown(r) : r < 0 && errSign > 0 ? Math.nextUp(r) : r;
        };
    }

    /**
     * Whether lane exceptions {@code e} include an unmasked OE or UE. The instruction then faults (#XM) and
     * delivers no result; the PE that comes with the fault says whether the result rounded to the format's
     * precision with an unbounded exponent would be inexact, not whether the delivered (overflowed or
     * denormalized) value is: see {@link #withUnboundedPrecision}.
     */
    private static boolean unmaskedPostComputation(SimdUnit u, int e) {
        return (e & (SseExceptions.OE | SseExceptions.UE) & ~(u.mx >>> 7)) != 0;
    }

    private static int withUnboundedPrecision(int e, boolean inexactUnbounded) {
        return inexactUnbounded ? e | SseExceptions.PE : e & ~SseExceptions.PE;
    }

    /** FTZ: a tiny result becomes a zero of the same sign, reporting UE and PE. */
    private static float ftz(SimdUnit u, float r, int e) {
        if ((u.mx & FTZ) != 0 && (u.mx & (1 << 11)) != 0 && r != 0 && Math.abs(r) < Float.MIN_NORMAL) {
            u.exc |= SseExceptions.UE | SseExceptions.PE;
            return Math.copySign(0f, r);
        }
        return r;
    }

    private static double ftz(SimdUnit u, double r, int e) {
        if ((u.mx & FTZ) != 0 && (u.mx & (1 << 11)) != 0 && r != 0 && Math.abs(r) < Double.MIN_NORMAL) {
            u.exc |= SseExceptions.UE | SseExceptions.PE;
            return Math.copySign(0.0, r);
        }
        return r;
    }

    /** Single-precision lane op with MXCSR rounding, DAZ/FTZ and its exceptions accumulated in {@code u.exc}. */
    private static float fopx(SimdUnit u, int kind, float a0, float b0) {
        float a = daz(u, a0);
        float b = daz(u, b0);
        if (kind == SseExceptions.MIN || kind == SseExceptions.MAX) {
            float r = fop(kind, a, b);
            u.exc |= SseExceptions.single(kind, a, b, r);
            return r; // with DAZ a denormal operand takes part (and is returned) as zero
        }
        if (Float.isNaN(a) || Float.isNaN(b)) {
            u.exc |= SseExceptions.single(kind, a, b, Float.NaN);
            return nanOf(a, b);
        }
        float r = fop(kind, a, b);
        int e = SseExceptions.single(kind, a, b, r);
        int rc = (u.mx >>> 13) & 3;
        if ((e & SseExceptions.PE) != 0 && rc != 0) {
            boolean wasInf = Float.isInfinite(r);
            r = direct(r, SseExceptions.errSign(kind, a, b, r), rc);
            if (Float.isInfinite(r) && !wasInf) {
                e |= SseExceptions.OE;
            }
        } else if (negativeZeroSum(kind, a, b, r, rc)) {
            r = -0f;
        }
        if (unmaskedPostComputation(u, e)) {
            e = withUnboundedPrecision(e, SseExceptions.inexactUnbounded(kind, a, b));
        }
        u.exc |= e;
        return ftz(u, r, e);
    }

    private static double dopx(SimdUnit u, int kind, double a0, double b0) {
        double a = daz(u, a0);
        double b = daz(u, b0);
        if (kind == SseExceptions.MIN || kind == SseExceptions.MAX) {
            double r = dop(kind, a, b);
            u.exc |= SseExceptions.dbl(kind, a, b, r);
            return r;
        }
        if (Double.isNaN(a) || Double.isNaN(b)) {
            u.exc |= SseExceptions.dbl(kind, a, b, Double.NaN);
            return nanOf(a, b);
        }
        double r = dop(kind, a, b);
        int e = SseExceptions.dbl(kind, a, b, r);
        int rc = (u.mx >>> 13) & 3;
        if ((e & SseExceptions.PE) != 0 && rc != 0) {
            boolean wasInf = Double.isInfinite(r);
            r = direct(r, SseExceptions.errSign(kind, a, b, r), rc);
            if (Double.isInfinite(r) && !wasInf) {
                e |= SseExceptions.OE;
            }
        } else if (negativeZeroSum(kind, a, b, r, rc)) {
            r = -0.0;
        }
        if (unmaskedPostComputation(u, e)) {
            e = withUnboundedPrecision(e, SseExceptions.inexactUnbounded(kind, a, b));
        }
        u.exc |= e;
        return ftz(u, r, e);
    }

    private static float sqrtx(SimdUnit u, float a0) {
        float a = daz(u, a0);
        if (Float.isNaN(a)) {
            u.exc |= SseExceptions.snan(a) ? SseExceptions.IE : 0;
            return quiet(a);
        }
        float r = (float) Math.sqrt(a);
        int e = SseExceptions.single(SseExceptions.SQRT, a, 0, r);
        int rc = (u.mx >>> 13) & 3;
        if ((e & SseExceptions.PE) != 0 && rc != 0) {
            r = direct(r, SseExceptions.errSign(SseExceptions.SQRT, a, 0, r), rc);
        }
        u.exc |= e;
        return r;
    }

    private static double sqrtx(SimdUnit u, double a0) {
        double a = daz(u, a0);
        if (Double.isNaN(a)) {
            u.exc |= SseExceptions.snan(a) ? SseExceptions.IE : 0;
            return quiet(a);
        }
        double r = Math.sqrt(a);
        int e = SseExceptions.dbl(SseExceptions.SQRT, a, 0, r);
        int rc = (u.mx >>> 13) & 3;
        if ((e & SseExceptions.PE) != 0 && rc != 0) {
            r = direct(r, SseExceptions.errSign(SseExceptions.SQRT, a, 0, r), rc);
        }
        u.exc |= e;
        return r;
    }

    private static float narrow(SimdUnit u, double v0) {
        double v = daz(u, v0);
        if (Double.isNaN(v)) {
            long bits = Double.doubleToRawLongBits(v);
            u.exc |= SseExceptions.snan(v) ? SseExceptions.IE : 0;
            return Float.intBitsToFloat((int) ((bits >>> 63) << 31) | 0x7FC0_0000
                    | (int) ((bits >>> 29) & 0x003F_FFFF));
        }
        float r = (float) v;
        int e = SseExceptions.toSingle(v, r);
        int rc = (u.mx >>> 13) & 3;
        if ((e & SseExceptions.PE) != 0 && rc != 0) {
            int sign = Float.isInfinite(r) ? -(int) Math.signum(r) : Double.compare(v, (double) r);
            r = direct(r, sign, rc);
        }
        if (unmaskedPostComputation(u, e)) {
            e = withUnboundedPrecision(e, SseExceptions.narrowInexactUnbounded(v));
        }
        u.exc |= e;
        return ftz(u, r, e);
    }

    private static double widen(SimdUnit u, float v0) {
        float v = daz(u, v0);
        u.exc |= SseExceptions.toDouble(v);
        if (Float.isNaN(v)) {
            int bits = Float.floatToRawIntBits(v);
            return Double.longBitsToDouble(((long) (bits >>> 31) << 63) | 0x7FF8_0000_0000_0000L
                    | ((long) (bits & 0x003F_FFFF) << 29));
        }
        return v;
    }

    private static long toIntx(SimdUnit u, float v0, int mxcsr, boolean truncate, int bytes) {
        return toIntx(u, (double) daz(u, v0), mxcsr, truncate, bytes);
    }

    private static long toIntx(SimdUnit u, double v0, int mxcsr, boolean truncate, int bytes) {
        double v = daz(u, v0);
        double rr = truncate ? (v < 0 ? Math.ceil(v) : Math.floor(v)) : roundMx(v, mxcsr);
        double lim = Math.scalb(1.0, bytes * 8 - 1);
        if (Double.isNaN(rr) || rr >= lim || rr < -lim) {
            u.exc |= SseExceptions.IE;
            return bytes == 8 ? Long.MIN_VALUE : 0x8000_0000L;
        }
        if (rr != v) {
            u.exc |= SseExceptions.PE;
        }
        long i = (long) rr;
        return bytes == 8 ? i : i & 0xFFFF_FFFFL;
    }

    private static double roundMx(double v, int mxcsr) {
        return switch ((mxcsr >>> 13) & 3) {
            case 0 -> Math.rint(v);
            case 1 -> Math.floor(v);
            case 2 -> Math.ceil(v);
            default -> v < 0 ? Math.ceil(v) : Math.floor(v);
        };
    }

    private static float fop(int kind, float a, float b) {
        return switch (kind) {
            case 0 -> a + b;
            case 1 -> a * b;
            case 2 -> a - b;
            case 3 -> a < b ? a : b;   // MIN: NaN or equal -> second operand
            case 4 -> a / b;
            default -> a > b ? a : b;  // MAX
        };
    }

    private static double dop(int kind, double a, double b) {
        return switch (kind) {
            case 0 -> a + b;
            case 1 -> a * b;
            case 2 -> a - b;
            case 3 -> a < b ? a : b;
            case 4 -> a / b;
            default -> a > b ? a : b;
        };
    }

    private static boolean predicate(int p, double a, double b) {
        boolean unordered = Double.isNaN(a) || Double.isNaN(b);
        return switch (p & 7) {
            case 0 -> a == b;
            case 1 -> a < b;
            case 2 -> a <= b;
            case 3 -> unordered;
            case 4 -> unordered || a != b;
            case 5 -> unordered || !(a < b);
            case 6 -> unordered || !(a <= b);
            default -> !unordered;
        };
    }

    /** Rounds per MXCSR.RC (or truncates) and converts; out of range or NaN gives the indefinite value. */
    static long toInt(double v, int mxcsr, boolean truncate, int bytes) {
        double r;
        if (truncate) {
            r = v < 0 ? Math.ceil(v) : Math.floor(v);
        } else {
            r = switch ((mxcsr >>> 13) & 3) {
                case 0 -> Math.rint(v);
                case 1 -> Math.floor(v);
                case 2 -> Math.ceil(v);
                default -> v < 0 ? Math.ceil(v) : Math.floor(v);
            };
        }
        double lim = Math.scalb(1.0, bytes * 8 - 1);
        if (Double.isNaN(r) || r >= lim || r < -lim) {
            return bytes == 8 ? Long.MIN_VALUE : 0x8000_0000L;
        }
        long i = (long) r;
        return bytes == 8 ? i : i & 0xFFFF_FFFFL;
    }

    static void execute(SimdUnit u, DecodedInsn d) {
        long[] x = u.xmm();
        int dr = 2 * d.reg;
        long saveLo = x[dr];
        long saveHi = x[dr + 1];
        u.exc = 0;
        u.mx = u.operands().cpu.mxcsr;
        compute(u, d);
        int exc = SseExceptions.resolve(u.exc, u.operands().cpu.mxcsr);
        if (exc != 0) {
            OperandAccess in = u.operands();
            int masks = (in.cpu.mxcsr >>> 7) & 0x3F;
            int pre = exc & (SseExceptions.IE | SseExceptions.DE | SseExceptions.ZE);
            if ((pre & ~masks) != 0) {
                exc = pre; // an unmasked pre-computation exception: no result, no post-computation flags
            }
            in.cpu.mxcsr |= exc;
            int unmasked = exc & ~masks;
            if (unmasked != 0) {
                // The destination keeps its old value; the flags stay set (SDM 11.5.1).
                x[dr] = saveLo;
                x[dr + 1] = saveHi;
                throw (in.cpu.cr4 & dev.partita.emulator.cpu.ControlBits.Cr4.OSXMMEXCPT) != 0
                        ? dev.partita.emulator.cpu.CpuException.of(dev.partita.emulator.cpu.Vectors.XM)
                        : dev.partita.emulator.cpu.CpuException.ud();
            }
        }
    }

    /** Sets the accumulated flags and raises #XM/#UD now if one is unmasked (before a GPR write). */
    private static void raiseIfUnmasked(SimdUnit u) {
        OperandAccess in = u.operands();
        int exc = SseExceptions.resolve(u.exc, in.cpu.mxcsr);
        if ((exc & ~(in.cpu.mxcsr >>> 7) & 0x3F) != 0) {
            in.cpu.mxcsr |= exc;
            u.exc = 0;
            throw (in.cpu.cr4 & dev.partita.emulator.cpu.ControlBits.Cr4.OSXMMEXCPT) != 0
                    ? dev.partita.emulator.cpu.CpuException.of(dev.partita.emulator.cpu.Vectors.XM)
                    : dev.partita.emulator.cpu.CpuException.ud();
        }
    }

    private static void compute(SimdUnit u, DecodedInsn d) {
        OperandAccess in = u.operands();
        long[] x = u.xmm();
        int sub = d.sub;
        int dr = 2 * d.reg;
        int mx = in.cpu.mxcsr;
        if (sub >= SimdOp.ADDPS && sub <= SimdOp.MAXSD) {
            int kind = (sub - SimdOp.ADDPS) >> 2;
            int type = (sub - SimdOp.ADDPS) & 3;
            arith(u, d, x, dr, kind, type);
            return;
        }
        switch (sub) {
            case SimdOp.SQRTPS -> {
                u.loadFloatSource(d, 16, true);
                x[dr] = fbits(sqrtx(u, f(u.srcLo(), 0))) | fbits(sqrtx(u, f(u.srcLo(), 1))) << 32;
                x[dr + 1] = fbits(sqrtx(u, f(u.srcHi(), 0))) | fbits(sqrtx(u, f(u.srcHi(), 1))) << 32;
            }
            case SimdOp.SQRTPD -> {
                u.loadFloatSource(d, 16, true);
                x[dr] = dbits(sqrtx(u, dbl(u.srcLo())));
                x[dr + 1] = dbits(sqrtx(u, dbl(u.srcHi())));
            }
            case SimdOp.SQRTSS -> {
                u.loadFloatSource(d, 4, true);
                x[dr] = (x[dr] & ~0xFFFF_FFFFL) | fbits(sqrtx(u, f(u.srcLo(), 0)));
            }
            case SimdOp.SQRTSD -> {
                u.loadFloatSource(d, 8, true);
                x[dr] = dbits(sqrtx(u, dbl(u.srcLo())));
            }
            case SimdOp.RSQRTPS, SimdOp.RCPPS -> {
                u.loadFloatSource(d, 16, true);
                boolean rs = sub == SimdOp.RSQRTPS;
                long lo = 0;
                long hi = 0;
                for (int i = 0; i < 2; i++) {
                    lo |= fbits(recip(f(u.srcLo(), i), rs)) << (32 * i);
                    hi |= fbits(recip(f(u.srcHi(), i), rs)) << (32 * i);
                }
                x[dr] = lo;
                x[dr + 1] = hi;
            }
            case SimdOp.RSQRTSS, SimdOp.RCPSS -> {
                u.loadFloatSource(d, 4, true);
                x[dr] = (x[dr] & ~0xFFFF_FFFFL) | fbits(recip(f(u.srcLo(), 0), sub == SimdOp.RSQRTSS));
            }
            case SimdOp.CMPPS -> {
                u.loadFloatSource(d, 16, true);
                int p = (int) d.imm;
                long lo = 0;
                long hi = 0;
                for (int i = 0; i < 2; i++) {
                    lo |= (cmpf(u, p, f(x[dr], i), f(u.srcLo(), i)) ? 0xFFFF_FFFFL : 0) << (32 * i);
                    hi |= (cmpf(u, p, f(x[dr + 1], i), f(u.srcHi(), i)) ? 0xFFFF_FFFFL : 0) << (32 * i);
                }
                x[dr] = lo;
                x[dr + 1] = hi;
            }
            case SimdOp.CMPPD -> {
                u.loadFloatSource(d, 16, true);
                int p = (int) d.imm;
                long lo = cmpd(u, p, dbl(x[dr]), dbl(u.srcLo())) ? -1L : 0;
                x[dr + 1] = cmpd(u, p, dbl(x[dr + 1]), dbl(u.srcHi())) ? -1L : 0;
                x[dr] = lo;
            }
            case SimdOp.CMPSS -> {
                u.loadFloatSource(d, 4, true);
                boolean t = cmpf(u, (int) d.imm, f(x[dr], 0), f(u.srcLo(), 0));
                x[dr] = (x[dr] & ~0xFFFF_FFFFL) | (t ? 0xFFFF_FFFFL : 0);
            }
            case SimdOp.CMPSD -> {
                u.loadFloatSource(d, 8, true);
                x[dr] = cmpd(u, (int) d.imm, dbl(x[dr]), dbl(u.srcLo())) ? -1L : 0;
            }
            case SimdOp.UCOMISS, SimdOp.COMISS -> {
                u.loadFloatSource(d, 4, true);
                float a = daz(u, f(x[dr], 0));
                float b = daz(u, f(u.srcLo(), 0));
                u.exc |= comisExceptions(sub == SimdOp.COMISS, Float.isNaN(a) || Float.isNaN(b),
                        SseExceptions.snan(a) || SseExceptions.snan(b), SseExceptions.denormal(a) || SseExceptions.denormal(b));
                raiseIfUnmasked(u); // #XM leaves RFLAGS unchanged
                u.compareFlags(a, b);
            }
            case SimdOp.UCOMISD, SimdOp.COMISD -> {
                u.loadFloatSource(d, 8, true);
                double a = daz(u, dbl(x[dr]));
                double b = daz(u, dbl(u.srcLo()));
                u.exc |= comisExceptions(sub == SimdOp.COMISD, Double.isNaN(a) || Double.isNaN(b),
                        SseExceptions.snan(a) || SseExceptions.snan(b), SseExceptions.denormal(a) || SseExceptions.denormal(b));
                raiseIfUnmasked(u); // #XM leaves RFLAGS unchanged
                u.compareFlags(a, b);
            }
            case SimdOp.SHUFPS -> {
                u.loadFloatSource(d, 16, true);
                int imm = (int) d.imm;
                long[] dv = {x[dr], x[dr + 1]};
                long[] sv = {u.srcLo(), u.srcHi()};
                long lane0 = pick32(dv, imm & 3);
                long lane1 = pick32(dv, (imm >>> 2) & 3);
                long lane2 = pick32(sv, (imm >>> 4) & 3);
                long lane3 = pick32(sv, (imm >>> 6) & 3);
                x[dr] = lane0 | (lane1 << 32);
                x[dr + 1] = lane2 | (lane3 << 32);
            }
            case SimdOp.SHUFPD -> {
                u.loadFloatSource(d, 16, true);
                int imm = (int) d.imm;
                long lo = (imm & 1) != 0 ? x[dr + 1] : x[dr];
                long hi = (imm & 2) != 0 ? u.srcHi() : u.srcLo();
                x[dr] = lo;
                x[dr + 1] = hi;
            }
            case SimdOp.HADDPS, SimdOp.HSUBPS -> {
                u.loadFloatSource(d, 16, true);
                boolean add = sub == SimdOp.HADDPS;
                float a0 = f(x[dr], 0), a1 = f(x[dr], 1), a2 = f(x[dr + 1], 0), a3 = f(x[dr + 1], 1);
                float b0 = f(u.srcLo(), 0), b1 = f(u.srcLo(), 1), b2 = f(u.srcHi(), 0), b3 = f(u.srcHi(), 1);
                int k = add ? SseExceptions.ADD : SseExceptions.SUB;
                x[dr] = fbits(fopx(u, k, a0, a1)) | fbits(fopx(u, k, a2, a3)) << 32;
                x[dr + 1] = fbits(fopx(u, k, b0, b1)) | fbits(fopx(u, k, b2, b3)) << 32;
            }
            case SimdOp.HADDPD, SimdOp.HSUBPD -> {
                u.loadFloatSource(d, 16, true);
                boolean add = sub == SimdOp.HADDPD;
                double a0 = dbl(x[dr]), a1 = dbl(x[dr + 1]), b0 = dbl(u.srcLo()), b1 = dbl(u.srcHi());
                int k = add ? SseExceptions.ADD : SseExceptions.SUB;
                x[dr] = dbits(dopx(u, k, a0, a1));
                x[dr + 1] = dbits(dopx(u, k, b0, b1));
            }
            case SimdOp.ADDSUBPS -> {
                u.loadFloatSource(d, 16, true);
                long lo = fbits(fopx(u, SseExceptions.SUB, f(x[dr], 0), f(u.srcLo(), 0)))
                        | fbits(fopx(u, SseExceptions.ADD, f(x[dr], 1), f(u.srcLo(), 1))) << 32;
                x[dr + 1] = fbits(fopx(u, SseExceptions.SUB, f(x[dr + 1], 0), f(u.srcHi(), 0)))
                        | fbits(fopx(u, SseExceptions.ADD, f(x[dr + 1], 1), f(u.srcHi(), 1))) << 32;
                x[dr] = lo;
            }
            case SimdOp.ADDSUBPD -> {
                u.loadFloatSource(d, 16, true);
                x[dr] = dbits(dopx(u, SseExceptions.SUB, dbl(x[dr]), dbl(u.srcLo())));
                x[dr + 1] = dbits(dopx(u, SseExceptions.ADD, dbl(x[dr + 1]), dbl(u.srcHi())));
            }
            default -> convert(u, d, x, dr, mx);
        }
    }

    private static float fromInt(SimdUnit u, long v) {
        float r = v;
        int e = SseExceptions.fromIntSingle(v, r);
        if (e != 0) {
            r = direct(r, intErrSign(v, r), (u.mx >>> 13) & 3);
        }
        u.exc |= e;
        return r;
    }

    private static double fromIntD(SimdUnit u, long v) {
        double r = v;
        int e = SseExceptions.fromIntDouble(v, r);
        if (e != 0) {
            r = direct(r, intErrSign(v, r), (u.mx >>> 13) & 3);
        }
        u.exc |= e;
        return r;
    }

    /** Sign of (v - r) for an integer converted to a floating-point value r (|r| <= 2^63). */
    private static int intErrSign(long v, double r) {
        if (r >= 0x1p63) {
            return -1;
        }
        return Long.signum(v - (long) r);
    }

    private static int comisExceptions(boolean signalling, boolean nan, boolean snan, boolean denormal) {
        if (nan) {
            return snan || signalling ? SseExceptions.IE : 0;
        }
        return denormal ? SseExceptions.DE : 0;
    }

    private static boolean cmpf(SimdUnit u, int p, float a0, float b0) {
        float a = daz(u, a0);
        float b = daz(u, b0);
        u.exc |= SseExceptions.compare(p, a, b, SseExceptions.snan(a), SseExceptions.snan(b),
                SseExceptions.denormal(a) || SseExceptions.denormal(b));
        return predicate(p, a, b);
    }

    private static boolean cmpd(SimdUnit u, int p, double a0, double b0) {
        double a = daz(u, a0);
        double b = daz(u, b0);
        u.exc |= SseExceptions.compare(p, a, b, SseExceptions.snan(a), SseExceptions.snan(b),
                SseExceptions.denormal(a) || SseExceptions.denormal(b));
        return predicate(p, a, b);
    }

    private static long pick32(long[] v, int i) {
        return (v[i >> 1] >>> (32 * (i & 1))) & 0xFFFF_FFFFL;
    }

    private static float recip(float v, boolean sqrt) {
        return sqrt ? (float) (1.0 / Math.sqrt(v)) : 1.0f / v;
    }

    private static void arith(SimdUnit u, DecodedInsn d, long[] x, int dr, int kind, int type) {
        switch (type) {
            case 0 -> {
                u.loadFloatSource(d, 16, true);
                x[dr] = fbits(fopx(u, kind, f(x[dr], 0), f(u.srcLo(), 0))) | fbits(fopx(u, kind, f(x[dr], 1), f(u.srcLo(), 1))) << 32;
                x[dr + 1] = fbits(fopx(u, kind, f(x[dr + 1], 0), f(u.srcHi(), 0)))
                        | fbits(fopx(u, kind, f(x[dr + 1], 1), f(u.srcHi(), 1))) << 32;
            }
            case 1 -> {
                u.loadFloatSource(d, 16, true);
                x[dr] = dbits(dopx(u, kind, dbl(x[dr]), dbl(u.srcLo())));
                x[dr + 1] = dbits(dopx(u, kind, dbl(x[dr + 1]), dbl(u.srcHi())));
            }
            case 2 -> {
                u.loadFloatSource(d, 4, true);
                x[dr] = (x[dr] & ~0xFFFF_FFFFL) | fbits(fopx(u, kind, f(x[dr], 0), f(u.srcLo(), 0)));
            }
            default -> {
                u.loadFloatSource(d, 8, true);
                x[dr] = dbits(dopx(u, kind, dbl(x[dr]), dbl(u.srcLo())));
            }
        }
    }

    private static void convert(SimdUnit u, DecodedInsn d, long[] x, int dr, int mx) {
        OperandAccess in = u.operands();
        switch (d.sub) {
            case SimdOp.CVTSI2SS -> {
                long v = in.readRm(d, d.size);
                long iv = d.size == 8 ? v : (int) v;
                float r = fromInt(u, iv);
                x[dr] = (x[dr] & ~0xFFFF_FFFFL) | fbits(r);
            }
            case SimdOp.CVTSI2SD -> {
                long v = in.readRm(d, d.size);
                long iv = d.size == 8 ? v : (int) v;
                x[dr] = dbits(fromIntD(u, iv));
            }
            case SimdOp.CVTTSS2SI, SimdOp.CVTSS2SI -> {
                u.loadFloatSource(d, 4, true);
                long v = toIntx(u, f(u.srcLo(), 0), mx, d.sub == SimdOp.CVTTSS2SI, d.size);
                raiseIfUnmasked(u);
                in.setReg(d.reg, d.size, v);
            }
            case SimdOp.CVTTSD2SI, SimdOp.CVTSD2SI -> {
                u.loadFloatSource(d, 8, true);
                long v = toIntx(u, dbl(u.srcLo()), mx, d.sub == SimdOp.CVTTSD2SI, d.size);
                raiseIfUnmasked(u);
                in.setReg(d.reg, d.size, v);
            }
            case SimdOp.CVTPI2PS -> {
                long v = mmxOrMem(u, d);
                x[dr] = fbits(fromInt(u, (int) v)) | fbits(fromInt(u, (int) (v >>> 32))) << 32;
            }
            case SimdOp.CVTPI2PD -> {
                long v = mmxOrMem(u, d);
                x[dr] = dbits((int) v);
                x[dr + 1] = dbits((int) (v >>> 32));
            }
            case SimdOp.CVTTPS2PI, SimdOp.CVTPS2PI -> {
                u.loadFloatSource(d, 8, true);
                boolean t = d.sub == SimdOp.CVTTPS2PI;
                long lo = toIntx(u, f(u.srcLo(), 0), mx, t, 4);
                long hi = toIntx(u, f(u.srcLo(), 1), mx, t, 4);
                u.setMmxReg(d.reg, lo | (hi << 32));
            }
            case SimdOp.CVTTPD2PI, SimdOp.CVTPD2PI -> {
                u.loadFloatSource(d, 16, true);
                boolean t = d.sub == SimdOp.CVTTPD2PI;
                long lo = toIntx(u, dbl(u.srcLo()), mx, t, 4);
                long hi = toIntx(u, dbl(u.srcHi()), mx, t, 4);
                u.setMmxReg(d.reg, lo | (hi << 32));
            }
            case SimdOp.CVTPS2PD -> {
                u.loadFloatSource(d, 8, true);
                long s = u.srcLo();
                x[dr] = dbits(widen(u, f(s, 0)));
                x[dr + 1] = dbits(widen(u, f(s, 1)));
            }
            case SimdOp.CVTPD2PS -> {
                u.loadFloatSource(d, 16, true);
                x[dr] = fbits(narrow(u, dbl(u.srcLo()))) | fbits(narrow(u, dbl(u.srcHi()))) << 32;
                x[dr + 1] = 0;
            }
            case SimdOp.CVTSS2SD -> {
                u.loadFloatSource(d, 4, true);
                x[dr] = dbits(widen(u, f(u.srcLo(), 0)));
            }
            case SimdOp.CVTSD2SS -> {
                u.loadFloatSource(d, 8, true);
                x[dr] = (x[dr] & ~0xFFFF_FFFFL) | fbits(narrow(u, dbl(u.srcLo())));
            }
            case SimdOp.CVTDQ2PS -> {
                u.loadFloatSource(d, 16, true);
                long lo = u.srcLo();
                long hi = u.srcHi();
                x[dr] = fbits(fromInt(u, (int) lo)) | fbits(fromInt(u, (int) (lo >>> 32))) << 32;
                x[dr + 1] = fbits(fromInt(u, (int) hi)) | fbits(fromInt(u, (int) (hi >>> 32))) << 32;
            }
            case SimdOp.CVTPS2DQ, SimdOp.CVTTPS2DQ -> {
                u.loadFloatSource(d, 16, true);
                boolean t = d.sub == SimdOp.CVTTPS2DQ;
                long lo = u.srcLo();
                long hi = u.srcHi();
                x[dr] = toIntx(u, f(lo, 0), mx, t, 4) | toIntx(u, f(lo, 1), mx, t, 4) << 32;
                x[dr + 1] = toIntx(u, f(hi, 0), mx, t, 4) | toIntx(u, f(hi, 1), mx, t, 4) << 32;
            }
            case SimdOp.CVTTPD2DQ, SimdOp.CVTPD2DQ -> {
                u.loadFloatSource(d, 16, true);
                boolean t = d.sub == SimdOp.CVTTPD2DQ;
                x[dr] = toIntx(u, dbl(u.srcLo()), mx, t, 4) | toIntx(u, dbl(u.srcHi()), mx, t, 4) << 32;
                x[dr + 1] = 0;
            }
            case SimdOp.CVTDQ2PD -> {
                u.loadFloatSource(d, 8, true);
                long s = u.srcLo();
                x[dr] = dbits((int) s);
                x[dr + 1] = dbits((int) (s >>> 32));
            }
            default -> throw SystemInterface.notImplemented(d.entry != null ? d.entry.mnemonic : "simd op " + d.sub);
        }
    }

    /** The 64-bit MMX-or-memory source of CVTPI2PS/PD (an MMX register source switches to MMX mode). */
    private static long mmxOrMem(SimdUnit u, DecodedInsn d) {
        if (d.rm >= 0) {
            long v = u.mmxReg(d.rm);
            u.setMmxReg(d.rm, v);
            return v;
        }
        u.loadFloatSource(d, 8, false);
        return u.srcLo();
    }
}

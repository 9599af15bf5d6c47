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
    private static float fopx(SimdUnit u, int kind, float a, float b) {
        float r = fop(kind, a, b);
        u.exc |= SseExceptions.single(kind, a, b, r);
        return r;
    }

    private static double dopx(SimdUnit u, int kind, double a, double b) {
        double r = dop(kind, a, b);
        u.exc |= SseExceptions.dbl(kind, a, b, r);
        return r;
    }

    private static float sqrtx(SimdUnit u, float a) {
        float r = (float) Math.sqrt(a);
        u.exc |= SseExceptions.single(SseExceptions.SQRT, a, 0, r);
        return r;
    }

    private static double sqrtx(SimdUnit u, double a) {
        double r = Math.sqrt(a);
        u.exc |= SseExceptions.dbl(SseExceptions.SQRT, a, 0, r);
        return r;
    }

    private static float narrow(SimdUnit u, double v) {
        float r = (float) v;
        u.exc |= SseExceptions.toSingle(v, r);
        return r;
    }

    private static double widen(SimdUnit u, float v) {
        u.exc |= SseExceptions.toDouble(v);
        return v;
    }

    private static long toIntx(SimdUnit u, double v, int mxcsr, boolean truncate, int bytes) {
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
        compute(u, d);
        int exc = u.exc;
        if (exc != 0) {
            Interpreter in = u.interp();
            in.cpu.mxcsr |= exc;
            int unmasked = exc & ~(in.cpu.mxcsr >>> 7) & 0x3F;
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
        Interpreter in = u.interp();
        int exc = u.exc;
        if ((exc & ~(in.cpu.mxcsr >>> 7) & 0x3F) != 0) {
            in.cpu.mxcsr |= exc;
            u.exc = 0;
            throw (in.cpu.cr4 & dev.partita.emulator.cpu.ControlBits.Cr4.OSXMMEXCPT) != 0
                    ? dev.partita.emulator.cpu.CpuException.of(dev.partita.emulator.cpu.Vectors.XM)
                    : dev.partita.emulator.cpu.CpuException.ud();
        }
    }

    private static void compute(SimdUnit u, DecodedInsn d) {
        Interpreter in = u.interp();
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
                float a = f(x[dr], 0);
                float b = f(u.srcLo(), 0);
                u.exc |= comisExceptions(sub == SimdOp.COMISS, Float.isNaN(a) || Float.isNaN(b),
                        SseExceptions.snan(a) || SseExceptions.snan(b), SseExceptions.denormal(a) || SseExceptions.denormal(b));
                u.compareFlags(a, b);
            }
            case SimdOp.UCOMISD, SimdOp.COMISD -> {
                u.loadFloatSource(d, 8, true);
                double a = dbl(x[dr]);
                double b = dbl(u.srcLo());
                u.exc |= comisExceptions(sub == SimdOp.COMISD, Double.isNaN(a) || Double.isNaN(b),
                        SseExceptions.snan(a) || SseExceptions.snan(b), SseExceptions.denormal(a) || SseExceptions.denormal(b));
                u.compareFlags(a, b);
            }
            case SimdOp.SHUFPS -> {
                u.loadFloatSource(d, 16, true);
                int imm = (int) d.imm;
                long[] dv = {x[dr], x[dr + 1]};
                long[] sv = {u.srcLo(), u.srcHi()};
                long e0 = pick32(dv, imm & 3);
                long e1 = pick32(dv, (imm >>> 2) & 3);
                long e2 = pick32(sv, (imm >>> 4) & 3);
                long e3 = pick32(sv, (imm >>> 6) & 3);
                x[dr] = e0 | (e1 << 32);
                x[dr + 1] = e2 | (e3 << 32);
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

    private static float fromInt(SimdUnit u, int v) {
        float r = v;
        u.exc |= SseExceptions.fromIntSingle(v, r);
        return r;
    }

    private static int comisExceptions(boolean signalling, boolean nan, boolean snan, boolean denormal) {
        if (nan) {
            return snan || signalling ? SseExceptions.IE : 0;
        }
        return denormal ? SseExceptions.DE : 0;
    }

    private static boolean cmpf(SimdUnit u, int p, float a, float b) {
        u.exc |= SseExceptions.compare(p, a, b, SseExceptions.snan(a), SseExceptions.snan(b),
                SseExceptions.denormal(a) || SseExceptions.denormal(b));
        return predicate(p, a, b);
    }

    private static boolean cmpd(SimdUnit u, int p, double a, double b) {
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
        Interpreter in = u.interp();
        switch (d.sub) {
            case SimdOp.CVTSI2SS -> {
                long v = in.readRm(d, d.size);
                long iv = d.size == 8 ? v : (int) v;
                float r = (float) iv;
                u.exc |= SseExceptions.fromIntSingle(iv, r);
                x[dr] = (x[dr] & ~0xFFFF_FFFFL) | fbits(r);
            }
            case SimdOp.CVTSI2SD -> {
                long v = in.readRm(d, d.size);
                long iv = d.size == 8 ? v : (int) v;
                x[dr] = dbits((double) iv);
                u.exc |= SseExceptions.fromIntDouble(iv, (double) iv);
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

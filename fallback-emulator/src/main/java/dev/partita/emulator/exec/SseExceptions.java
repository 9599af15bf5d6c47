package dev.partita.emulator.exec;

/**
 * The six SIMD floating-point exception conditions (MXCSR bits 0-5) of one scalar lane operation,
 * computed from the operands and the rounded result with error-free transformations (TwoSum, FMA
 * remainders) or exact wider arithmetic. Precedence follows the SDM: an SNaN operand or an invalid
 * operation reports only IE; QNaN operands report nothing (except where a compare signals); then DE
 * for denormal operands, ZE for division by zero, and OE/UE/PE for the rounded result (masked OE and
 * UE come with PE). Tininess is detected after rounding (the result is subnormal or zero). A tiny
 * exact result is reported as {@link #TINY}, which {@link #resolve} turns into UE only while UE is
 * unmasked (SDM: masked underflow needs a tiny and inexact result, unmasked underflow any tiny
 * result). DAZ/FTZ are not applied. Stateless.
 */
final class SseExceptions {
    private SseExceptions() {
    }

    static final int IE = 1;
    static final int DE = 1 << 1;
    static final int ZE = 1 << 2;
    static final int OE = 1 << 3;
    static final int UE = 1 << 4;
    static final int PE = 1 << 5;
    /** Not an MXCSR flag: an exact result is tiny (nonzero subnormal). See {@link #resolve}. */
    static final int TINY = 1 << 6;
    private static final int UM = 1 << 11;

    /** The MXCSR flags of accumulated conditions {@code exc} under {@code mxcsr}'s underflow mask. */
    static int resolve(int exc, int mxcsr) {
        int e = exc & 0x3F;
        return (exc & TINY) != 0 && (mxcsr & UM) == 0 ? e | UE : e;
    }

    /** Lane operation kinds (the SSE arithmetic order of SimdOp). */
    static final int ADD = 0, MUL = 1, SUB = 2, MIN = 3, DIV = 4, MAX = 5, SQRT = 6;

    static boolean snan(float v) {
        int b = Float.floatToRawIntBits(v);
        return (b & 0x7F80_0000) == 0x7F80_0000 && (b & 0x007F_FFFF) != 0 && (b & 0x0040_0000) == 0;
    }

    static boolean snan(double v) {
        long b = Double.doubleToRawLongBits(v);
        return (b & 0x7FF0_0000_0000_0000L) == 0x7FF0_0000_0000_0000L && (b & 0x000F_FFFF_FFFF_FFFFL) != 0
                && (b & 0x0008_0000_0000_0000L) == 0;
    }

    static boolean denormal(float v) {
        return v != 0 && Math.abs(v) < Float.MIN_NORMAL;
    }

    static boolean denormal(double v) {
        return v != 0 && Math.abs(v) < Double.MIN_NORMAL;
    }

    /** Exceptions of a single-precision operation {@code r = a op b} ({@code b} unused for SQRT). */
    static int single(int kind, float a, float b, float r) {
        boolean unary = kind == SQRT;
        if (Float.isNaN(a) || !unary && Float.isNaN(b)) {
            if (kind == MIN || kind == MAX) {
                return IE;
            }
            return snan(a) || !unary && snan(b) ? IE : 0;
        }
        if (invalid(kind, a, b)) {
            return IE;
        }
        int e = denormal(a) || !unary && denormal(b) ? DE : 0;
        if (kind == MIN || kind == MAX) {
            return e;
        }
        if (kind == DIV && b == 0) {
            return Float.isInfinite(a) ? 0 : ZE; // measured: a denormal dividend reports only ZE
        }
        if (Float.isInfinite(r)) {
            return Float.isInfinite(a) || !unary && Float.isInfinite(b) ? e : e | OE | PE;
        }
        if (Float.isInfinite(a) || !unary && Float.isInfinite(b)) {
            return e;
        }
        boolean inexact;
        double exact;
        switch (kind) {
            case ADD, SUB -> {
                double x = a;
                double y = kind == ADD ? b : -b;
                exact = x + y;
                double bb = exact - x;
                double err = (x - (exact - bb)) + (y - bb);
                inexact = err != 0 || (double) r != exact;
            }
            case MUL -> {
                exact = (double) a * (double) b;
                inexact = (double) r != exact;
            }
            case DIV -> {
                exact = (double) a / (double) b;
                inexact = (double) r * (double) b != (double) a;
            }
            default -> {
                exact = Math.sqrt(a);
                inexact = (double) r * (double) r != (double) a;
            }
        }
        if (inexact) {
            e |= PE;
            if (Math.abs(r) < Float.MIN_NORMAL && exact != 0) {
                e |= UE;
            }
        } else if (r != 0 && Math.abs(r) < Float.MIN_NORMAL) {
            e |= TINY;
        }
        return e;
    }

    /**
     * Whether {@code a op b} (finite, nonzero operands; ADD, SUB, MUL or DIV) rounded to single precision
     * with an unbounded exponent is inexact. Products and quotients are computed on operands scaled into
     * [1, 2), where the significand of the result is the same and nothing over- or underflows; a sum
     * whose result is tiny is always exact, and an overflowing one is checked on operands halved twice.
     */
    static boolean inexactUnbounded(int kind, float a, float b) {
        return switch (kind) {
            case MUL, DIV -> {
                float x = unit(a);
                float y = unit(b);
                yield (single(kind, x, y, kind == MUL ? x * y : x / y) & PE) != 0;
            }
            case ADD, SUB -> {
                float x = Math.scalb(a, -2);
                float y = Math.scalb(b, -2);
                float r = kind == ADD ? x + y : x - y;
                yield Math.abs(r) >= Float.MIN_NORMAL && (single(kind, x, y, r) & PE) != 0;
            }
            default -> false;
        };
    }

    /** As {@link #inexactUnbounded(int, float, float)} in double precision. */
    static boolean inexactUnbounded(int kind, double a, double b) {
        return switch (kind) {
            case MUL, DIV -> {
                double x = unit(a);
                double y = unit(b);
                yield (dbl(kind, x, y, kind == MUL ? x * y : x / y) & PE) != 0;
            }
            case ADD, SUB -> {
                double x = Math.scalb(a, -2);
                double y = Math.scalb(b, -2);
                double r = kind == ADD ? x + y : x - y;
                yield Math.abs(r) >= Double.MIN_NORMAL && (dbl(kind, x, y, r) & PE) != 0;
            }
            default -> false;
        };
    }

    /** Whether {@code v} narrowed to single precision with an unbounded exponent is inexact. */
    static boolean narrowInexactUnbounded(double v) {
        double x = unit(v);
        return (double) (float) x != x;
    }

    /** {@code v} scaled by a power of two into [1, 2) in magnitude (exact; zero, infinity and NaN unchanged). */
    private static float unit(float v) {
        if (v == 0 || Float.isInfinite(v) || Float.isNaN(v)) {
            return v;
        }
        float x = Math.abs(v) < Float.MIN_NORMAL ? Math.scalb(v, 64) : v; // subnormal: normalise first (exact)
        return Math.scalb(x, -Math.getExponent(x));
    }

    private static double unit(double v) {
        if (v == 0 || Double.isInfinite(v) || Double.isNaN(v)) {
            return v;
        }
        double x = Math.abs(v) < Double.MIN_NORMAL ? Math.scalb(v, 128) : v;
        return Math.scalb(x, -Math.getExponent(x));
    }

    private static boolean invalid(int kind, double a, double b) {
        return switch (kind) {
            case ADD -> Double.isInfinite(a) && Double.isInfinite(b) && a != b;
            case SUB -> Double.isInfinite(a) && Double.isInfinite(b) && a == b;
            case MUL -> Double.isInfinite(a) && b == 0 || a == 0 && Double.isInfinite(b);
            case DIV -> a == 0 && b == 0 || Double.isInfinite(a) && Double.isInfinite(b);
            case SQRT -> a < 0;
            default -> false;
        };
    }

    /** Exceptions of a double-precision operation {@code r = a op b} ({@code b} unused for SQRT). */
    static int dbl(int kind, double a, double b, double r) {
        boolean unary = kind == SQRT;
        if (Double.isNaN(a) || !unary && Double.isNaN(b)) {
            if (kind == MIN || kind == MAX) {
                return IE;
            }
            return snan(a) || !unary && snan(b) ? IE : 0;
        }
        if (invalid(kind, a, b)) {
            return IE;
        }
        int e = denormal(a) || !unary && denormal(b) ? DE : 0;
        if (kind == MIN || kind == MAX) {
            return e;
        }
        if (kind == DIV && b == 0) {
            return Double.isInfinite(a) ? 0 : ZE;
        }
        if (Double.isInfinite(r)) {
            return Double.isInfinite(a) || !unary && Double.isInfinite(b) ? e : e | OE | PE;
        }
        if (Double.isInfinite(a) || !unary && Double.isInfinite(b)) {
            return e;
        }
        boolean inexact = switch (kind) {
            case ADD, SUB -> {
                double y = kind == ADD ? b : -b;
                double bb = r - a;
                yield (a - (r - bb)) + (y - bb) != 0;
            }
            case MUL -> productInexact(a, b, r);
            case DIV -> b != 0 && quotientInexact(a, b, r);
            default -> sqrtInexact(a, r);
        };
        if (inexact) {
            e |= PE;
            if (Math.abs(r) < Double.MIN_NORMAL) {
                e |= UE;
            }
        } else if (r != 0 && Math.abs(r) < Double.MIN_NORMAL) {
            e |= TINY;
        }
        return e;
    }

    private static boolean sqrtInexact(double a, double r) {
        return sqrtErrSign(a, r) != 0;
    }

    private static boolean productInexact(double a, double b, double r) {
        return mulErrSign(a, b, r) != 0;
    }

    private static boolean quotientInexact(double a, double b, double r) {
        return divErrSign(a, b, r) != 0;
    }

    /*
     * Exact remainders with the operands scaled to [1, 2) by their exponents, so that the FMA
     * remainder neither underflows nor overflows whatever the magnitudes (scaling by powers of two
     * is exact for every finite double, subnormals included).
     */

    /** Sign of (a*b - r) for finite a, b and a product r rounded to nearest. */
    static int mulErrSign(double a, double b, double r) {
        if (a == 0 || b == 0) {
            return 0;
        }
        if (r == 0) {
            return (int) (Math.signum(a) * Math.signum(b));
        }
        int ea = Math.getExponent(a);
        int eb = Math.getExponent(b);
        double sr = Math.scalb(r, -(ea + eb));
        return (int) Math.signum(Math.fma(Math.scalb(a, -ea), Math.scalb(b, -eb), -sr));
    }

    /** Sign of (a/b - r) for finite a, non-zero finite b and a quotient r rounded to nearest. */
    static int divErrSign(double a, double b, double r) {
        if (a == 0) {
            return 0;
        }
        if (r == 0) {
            return (int) (Math.signum(a) * Math.signum(b));
        }
        int ea = Math.getExponent(a);
        int eb = Math.getExponent(b);
        double sa = Math.scalb(a, -ea);
        double sb = Math.scalb(b, -eb);
        double sr = Math.scalb(r, eb - ea);
        return (int) Math.signum(Math.fma(-sr, sb, sa)) * (b < 0 ? -1 : 1);
    }

    /** Sign of (sqrt(a) - r) for finite a >= 0 and a root r rounded to nearest. */
    static int sqrtErrSign(double a, double r) {
        if (a == 0) {
            return 0;
        }
        int ea = Math.getExponent(a) & ~1;
        double sa = Math.scalb(a, -ea);
        double sr = Math.scalb(r, -ea / 2);
        return (int) Math.signum(Math.fma(-sr, sr, sa));
    }

    /**
     * Sign of (exact - r) for a rounded-to-nearest single-precision result r of {@code a op b}, for
     * applying directed rounding. Overflowed results report the direction back toward the finite range.
     */
    static int errSign(int kind, float a, float b, float r) {
        if (Float.isInfinite(r)) {
            return -(int) Math.signum(r);
        }
        double x = a;
        double y = b;
        double rd = r;
        return switch (kind) {
            case ADD, SUB -> {
                double yy = kind == ADD ? y : -y;
                double s = x + yy;
                double bb = s - x;
                double err = (x - (s - bb)) + (yy - bb);
                yield s != rd ? (s > rd ? 1 : -1) : (int) Math.signum(err);
            }
            case MUL -> Double.compare(x * y, rd) > 0 ? 1 : x * y < rd ? -1 : 0;
            case DIV -> (int) Math.signum(x - rd * y) * (y < 0 ? -1 : 1);
            default -> (int) Math.signum(x - rd * rd);
        };
    }

    /** Sign of (exact - r) for a rounded-to-nearest double result r of {@code a op b}. */
    static int errSign(int kind, double a, double b, double r) {
        if (Double.isInfinite(r)) {
            return -(int) Math.signum(r);
        }
        return switch (kind) {
            case ADD, SUB -> {
                double y = kind == ADD ? b : -b;
                double bb = r - a;
                yield (int) Math.signum((a - (r - bb)) + (y - bb));
            }
            case MUL -> mulErrSign(a, b, r);
            case DIV -> divErrSign(a, b, r);
            default -> sqrtErrSign(a, r);
        };
    }

    /** Exceptions of narrowing {@code v} to single precision (CVTSD2SS, CVTPD2PS). */
    static int toSingle(double v, float r) {
        if (Double.isNaN(v)) {
            return snan(v) ? IE : 0;
        }
        int e = denormal(v) ? DE : 0;
        if (Double.isInfinite(v)) {
            return e;
        }
        if (Float.isInfinite(r)) {
            return e | OE | PE;
        }
        if ((double) r != v) {
            e |= PE;
            if (Math.abs(r) < Float.MIN_NORMAL) {
                e |= UE;
            }
        } else if (r != 0 && Math.abs(r) < Float.MIN_NORMAL) {
            e |= TINY;
        }
        return e;
    }

    /** Exceptions of widening a single (CVTSS2SD, CVTPS2PD): exact except SNaN/denormal. */
    static int toDouble(float v) {
        return snan(v) ? IE : denormal(v) ? DE : 0;
    }

    /** Exceptions of an int-to-float conversion: PE when the value is not representable. */
    static int fromIntSingle(long v, float r) {
        return (long) r == v && !(v == Long.MAX_VALUE) ? 0 : PE;
    }

    static int fromIntDouble(long v, double r) {
        return r == v && (long) r == v && v != Long.MAX_VALUE ? 0 : PE;
    }

    /** Exceptions of a float-to-integer conversion: IE for NaN/out of range (indefinite), PE if not integral. */
    static int toInt(double v, boolean invalidResult) {
        if (invalidResult) {
            return IE;
        }
        return v != Math.rint(v) ? PE : 0;
    }

    /** CMPPS/CMPSS predicate exceptions: SNaN always, QNaN for the signalling predicates LT/LE/NLT/NLE. */
    static int compare(int predicate, double a, double b, boolean aSnan, boolean bSnan, boolean denormal) {
        if (Double.isNaN(a) || Double.isNaN(b)) {
            int p = predicate & 7;
            boolean signalling = p == 1 || p == 2 || p == 5 || p == 6;
            return aSnan || bSnan || signalling ? IE : 0;
        }
        return denormal ? DE : 0;
    }
}

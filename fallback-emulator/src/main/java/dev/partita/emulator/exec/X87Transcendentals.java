package dev.partita.emulator.exec;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * The x87 transcendental functions on finite, supported register values: sine, cosine, tangent
 * (argument reduced modulo pi/2 with pi to 100 digits), arctangent of a quotient, base-2 logarithms
 * and 2^x - 1. Each is evaluated with about 200 bits of precision by series ({@link BigDecimal}) and
 * the result rounded once to the 64-bit significand with the control word's rounding mode through
 * {@link ExtendedArithmetic#roundToRegister}; the result is thus correctly rounded except for
 * arguments whose value lies within 2^-200 of a rounding boundary. Special operands (NaN, infinity,
 * zero, out-of-range) are the caller's. The working precision is per thread; an instance is used
 * only by the owning vCPU's thread.
 */
final class X87Transcendentals {

    /**
     * Working precision: 64 significant digits, plus twice the decimal exponent of a small
     * argument, so that the second term of every series (relative size about x^2) is kept and a
     * result near a rounding boundary (cos x = 1 - x^2/2 for tiny x) rounds the right way.
     */
    private static final ThreadLocal<MathContext> CONTEXT =
            ThreadLocal.withInitial(() -> new MathContext(64, RoundingMode.HALF_EVEN));

    private static MathContext mc() {
        return CONTEXT.get();
    }

    /** Sets the working precision for an argument {@code v} (called first by each evaluation). */
    static void precisionFor(BigDecimal v) {
        int extra = 0;
        if (v.signum() != 0) {
            int log10 = v.precision() - v.scale(); // floor(log10 |v|) + 1
            if (log10 < 0) {
                extra = Math.min(20000, -2 * log10);
            }
        }
        CONTEXT.set(new MathContext(64 + extra, RoundingMode.HALF_EVEN));
    }
    private static final BigDecimal PI = new BigDecimal(
            "3.14159265358979323846264338327950288419716939937510582097494459230781640628620899862803482534211706798");
    private static final BigDecimal LN2 = new BigDecimal(
            "0.69314718055994530941723212145817656807550013436025525412068000949339362196969471560586332699641868754");
    private static BigDecimal eps() {
        return BigDecimal.ONE.movePointLeft(mc().getPrecision() + 6);
    }
    private static final BigDecimal TWO = BigDecimal.valueOf(2);

    private final ExtendedArithmetic x;

    X87Transcendentals(ExtendedArithmetic x) {
        this.x = x;
    }

    /** The exact value of a finite register value. */
    static BigDecimal value(int e, long m) {
        BigDecimal mag = new BigDecimal(ExtendedArithmetic.magnitude(m));
        int lsb = ExtendedArithmetic.lsbExponent(e);
        BigDecimal v = lsb >= 0 ? mag.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(lsb)))
                : mag.divide(new BigDecimal(BigInteger.ONE.shiftLeft(-lsb)));
        return ExtendedArithmetic.negative(e) ? v.negate() : v;
    }

    /** Rounds {@code v} into the result register value (sets PE, C1, UE as for any rounding). */
    void result(BigDecimal v) {
        if (v.signum() == 0) {
            x.roundToRegister(false, BigInteger.ZERO, 0, 64);
            return;
        }
        boolean neg = v.signum() < 0;
        BigDecimal a = v.abs();
        long approxBits = a.unscaledValue().bitLength() - (long) Math.ceil(a.scale() * 3.321928094887362);
        int exp2 = (int) approxBits - 200;
        BigDecimal scaled = exp2 <= 0 ? a.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(-exp2)))
                : a.divide(new BigDecimal(BigInteger.ONE.shiftLeft(exp2)));
        BigInteger whole = scaled.toBigInteger();
        BigInteger mag = whole.shiftLeft(1);
        // The series value is inexact: always keep a sticky bit (the true value is irrational here).
        mag = mag.setBit(0);
        x.roundToRegister(neg, mag, exp2 - 1, 64);
        x.flags |= ExtendedArithmetic.PE;
    }

    /** sin and cos of v (|v| < 2^63), as {sin, cos}. */
    static BigDecimal[] sinCos(BigDecimal v) {
        BigDecimal halfPi = PI.divide(TWO);
        BigInteger k = v.divide(halfPi, MathContext.DECIMAL128).setScale(0, RoundingMode.HALF_EVEN).toBigInteger();
        BigDecimal r = v.subtract(halfPi.multiply(new BigDecimal(k)));
        BigDecimal s = sinSeries(r);
        BigDecimal c = cosSeries(r);
        return switch (k.intValue() & 3) {
            case 0 -> new BigDecimal[] {s, c};
            case 1 -> new BigDecimal[] {c, s.negate()};
            case 2 -> new BigDecimal[] {s.negate(), c.negate()};
            default -> new BigDecimal[] {c.negate(), s};
        };
    }

    private static BigDecimal sinSeries(BigDecimal r) {
        BigDecimal r2 = r.multiply(r, mc());
        BigDecimal term = r;
        BigDecimal sum = r;
        for (int n = 1; term.abs().compareTo(eps().multiply(r.abs().max(eps()))) > 0 && n < 200; n++) {
            term = term.multiply(r2, mc()).divide(BigDecimal.valueOf((2L * n) * (2L * n + 1)), mc()).negate();
            sum = sum.add(term, mc());
        }
        return sum;
    }

    private static BigDecimal cosSeries(BigDecimal r) {
        BigDecimal r2 = r.multiply(r, mc());
        BigDecimal term = BigDecimal.ONE;
        BigDecimal sum = BigDecimal.ONE;
        for (int n = 1; term.abs().compareTo(eps()) > 0 && n < 200; n++) {
            term = term.multiply(r2, mc()).divide(BigDecimal.valueOf((2L * n - 1) * (2L * n)), mc()).negate();
            sum = sum.add(term, mc());
        }
        return sum;
    }

    /** atan(t) for any finite t. */
    static BigDecimal atan(BigDecimal t) {
        if (t.signum() < 0) {
            return atan(t.negate()).negate();
        }
        if (t.compareTo(BigDecimal.ONE) > 0) {
            return PI.divide(TWO).subtract(atan(BigDecimal.ONE.divide(t, mc())), mc());
        }
        // Two halvings: atan(t) = 2 atan(t / (1 + sqrt(1 + t^2))).
        BigDecimal u = t;
        for (int i = 0; i < 3; i++) {
            u = u.divide(BigDecimal.ONE.add(BigDecimal.ONE.add(u.multiply(u, mc())).sqrt(mc())), mc());
        }
        BigDecimal u2 = u.multiply(u, mc());
        BigDecimal term = u;
        BigDecimal sum = u;
        for (int n = 1; term.abs().compareTo(eps().multiply(u.max(eps()))) > 0 && n < 400; n++) {
            term = term.multiply(u2, mc()).negate();
            sum = sum.add(term.divide(BigDecimal.valueOf(2L * n + 1), mc()), mc());
        }
        return sum.multiply(BigDecimal.valueOf(8), mc());
    }

    /** atan2(y, x) for finite, not both zero. */
    static BigDecimal atan2(BigDecimal y, BigDecimal xv) {
        if (xv.signum() == 0) {
            BigDecimal h = PI.divide(TWO);
            return y.signum() < 0 ? h.negate() : h;
        }
        BigDecimal a = atan(y.divide(xv, mc()));
        if (xv.signum() > 0) {
            return a;
        }
        return y.signum() < 0 ? a.subtract(PI, mc()) : a.add(PI, mc());
    }

    /** ln(v) for v > 0. */
    static BigDecimal ln(BigDecimal v) {
        // v = m * 2^k with m in [1, 2).
        int k = v.unscaledValue().bitLength() - (int) Math.ceil(v.scale() * 3.321928094887362);
        BigDecimal m = k >= 0 ? v.divide(new BigDecimal(BigInteger.ONE.shiftLeft(k)))
                : v.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(-k)));
        while (m.compareTo(TWO) >= 0) {
            m = m.divide(TWO);
            k++;
        }
        while (m.compareTo(BigDecimal.ONE) < 0) {
            m = m.multiply(TWO);
            k--;
        }
        return LN2.multiply(BigDecimal.valueOf(k)).add(atanhSeries(m.subtract(BigDecimal.ONE).divide(m.add(BigDecimal.ONE), mc())).multiply(TWO), mc());
    }

    /** ln(1 + v) for |v| small, without cancellation. */
    static BigDecimal ln1p(BigDecimal v) {
        return atanhSeries(v.divide(TWO.add(v), mc())).multiply(TWO, mc());
    }

    private static BigDecimal atanhSeries(BigDecimal u) {
        BigDecimal u2 = u.multiply(u, mc());
        BigDecimal term = u;
        BigDecimal sum = u;
        for (int n = 1; term.abs().compareTo(eps().multiply(u.abs().max(eps()))) > 0 && n < 2000; n++) {
            term = term.multiply(u2, mc());
            sum = sum.add(term.divide(BigDecimal.valueOf(2L * n + 1), mc()), mc());
        }
        return sum;
    }

    static BigDecimal log2(BigDecimal v) {
        return ln(v).divide(LN2, mc());
    }

    static BigDecimal log2p1(BigDecimal v) {
        return ln1p(v).divide(LN2, mc());
    }

    /** 2^v - 1 for |v| <= 1. */
    static BigDecimal exp2m1(BigDecimal v) {
        BigDecimal z = v.multiply(LN2, mc());
        BigDecimal term = z;
        BigDecimal sum = z;
        for (int n = 2; term.abs().compareTo(eps().multiply(z.abs().max(eps()))) > 0 && n < 400; n++) {
            term = term.multiply(z, mc()).divide(BigDecimal.valueOf(n), mc());
            sum = sum.add(term, mc());
        }
        return sum;
    }

    static BigDecimal pi() {
        return PI;
    }
}

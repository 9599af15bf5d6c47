package dev.partita.emulator.exec;

import java.math.BigInteger;

/**
 * Exact x87 extended-precision arithmetic on the 80-bit register format: add, subtract, multiply,
 * divide, square root, round to integer and scale, each computed exactly (with {@link BigInteger})
 * and rounded once to the precision-control width (24, 53 or 64 significand bits) and rounding mode
 * of the control word, over the x87 register exponent range. Operand classes follow the SDM: zeros,
 * denormals and pseudo-denormals (denormal operand, DE), normals, infinities, quiet and signalling
 * NaNs, and unsupported encodings (pseudo-NaN, pseudo-infinity, unnormal: invalid, IE). Tininess is
 * detected after rounding (the rounded result with an unbounded exponent is below the smallest normal); the masked responses to overflow and underflow are
 * produced, and with those exceptions unmasked the full-precision result with its exponent adjusted
 * by 24576 ({@link #WRAP}).
 *
 * <p>Why one class of this length: every operation shares the one rounding routine, the operand
 * classification and the exception rules, whose interplay (tininess after rounding, the masked and
 * unmasked overflow/underflow responses, C1) is what makes results bit-exact; conversions to and
 * from memory formats and the transcendentals are apart ({@link X87Conversions},
 * {@link X87Transcendentals}).
 *
 * <p>Each operation leaves its result in {@link #exp}/{@link #mant}, ORs exception bits into
 * {@link #flags} and sets {@link #roundedUp} (the C1 value). Not thread-safe: one instance per
 * vCPU, used only by that vCPU's thread.
 */
final class ExtendedArithmetic {

    static final int IE = 1, DE = 2, ZE = 4, OE = 8, UE = 16, PE = 32;

    static final int EMIN = -16382;
    static final int EMAX = 16383;
    private static final long INT_BIT = 0x8000_0000_0000_0000L;
    private static final long QUIET_BIT = 0x4000_0000_0000_0000L;

    /** Rounding control (0 nearest, 1 down, 2 up, 3 toward zero). */
    int rc;
    /** Significand bits from precision control. */
    int precision = 64;
    /** Exception bits raised so far (the caller clears and merges them). */
    int flags;
    /** The last rounding increased the magnitude (C1). */
    boolean roundedUp;
    /** Result exponent word (sign in bit 15). */
    int exp;
    /** Result significand. */
    long mant;

    /** Underflow is unmasked: a tiny result raises UE even when exact. */
    boolean underflowUnmasked;
    /** Overflow is unmasked. */
    boolean overflowUnmasked;

    /** Takes RC, PC and the underflow mask from a control word. */
    void control(int fcw) {
        underflowUnmasked = (fcw & UE) == 0;
        overflowUnmasked = (fcw & OE) == 0;
        rc = (fcw >>> 10) & 3;
        precision = switch ((fcw >>> 8) & 3) {
            case 0 -> 24;
            case 2 -> 53;
            default -> 64;
        };
    }

    // ---------------------------------------------------------------- classification

    static boolean isNaN(int e, long m) {
        return (e & 0x7FFF) == 0x7FFF && m < 0 && (m << 1) != 0;
    }

    static boolean isSignaling(int e, long m) {
        return isNaN(e, m) && (m & QUIET_BIT) == 0;
    }

    static boolean isInf(int e, long m) {
        return (e & 0x7FFF) == 0x7FFF && m == INT_BIT;
    }

    /** Pseudo-NaN, pseudo-infinity or unnormal: an invalid operand. */
    static boolean isUnsupported(int e, long m) {
        return (e & 0x7FFF) != 0 && m >= 0;
    }

    static boolean isZero(int e, long m) {
        return (e & 0x7FFF) == 0 && m == 0;
    }

    static boolean isDenormal(int e, long m) {
        return (e & 0x7FFF) == 0 && m != 0;
    }

    static boolean negative(int e) {
        return (e & 0x8000) != 0;
    }

    /** Exponent of the significand's bit 0 (value = mant * 2^lsbExponent). */
    static int lsbExponent(int e) {
        return Math.max(e & 0x7FFF, 1) - 16383 - 63;
    }

    static BigInteger magnitude(long m) {
        return m >= 0 ? BigInteger.valueOf(m) : BigInteger.valueOf(m >>> 1).shiftLeft(1).or(BigInteger.valueOf(m & 1));
    }

    private void set(int e, long m) {
        exp = e;
        mant = m;
    }

    void indefinite() {
        flags |= IE;
        set(Float80.INDEFINITE_EXP, Float80.INDEFINITE_MANT);
    }

    private void infinity(boolean neg) {
        set((neg ? 0x8000 : 0) | 0x7FFF, INT_BIT);
    }

    private void zero(boolean neg) {
        set(neg ? 0x8000 : 0, 0);
    }

    /**
     * Handles unsupported and NaN operands of a two-operand operation; returns true when the result
     * is set. The larger-significand NaN wins between two NaNs of the same kind, the quiet one
     * between a quiet and a signalling NaN; a signalling operand raises IE.
     */
    boolean nanOperands(int ea, long ma, int eb, long mb) {
        if (isUnsupported(ea, ma) || isUnsupported(eb, mb)) {
            indefinite();
            return true;
        }
        boolean na = isNaN(ea, ma);
        boolean nb = isNaN(eb, mb);
        if (!na && !nb) {
            return false;
        }
        boolean sa = isSignaling(ea, ma);
        boolean sb = isSignaling(eb, mb);
        if (sa || sb) {
            flags |= IE;
        }
        boolean pickA;
        if (na && nb) {
            if (sa != sb) {
                pickA = sb;
            } else {
                int c = Long.compareUnsigned(ma | QUIET_BIT, mb | QUIET_BIT);
                pickA = c > 0 || (c == 0 && (ea & 0xFFFF) <= (eb & 0xFFFF));
            }
        } else {
            pickA = na;
        }
        set(pickA ? ea : eb, (pickA ? ma : mb) | QUIET_BIT);
        return true;
    }

    /** One-operand form: unsupported or NaN operand; returns true when the result is set. */
    boolean nanOperand(int e, long m) {
        if (isUnsupported(e, m)) {
            indefinite();
            return true;
        }
        if (isNaN(e, m)) {
            if (isSignaling(e, m)) {
                flags |= IE;
            }
            set(e, m | QUIET_BIT);
            return true;
        }
        return false;
    }

    private void denormals(int ea, long ma, int eb, long mb) {
        if (isDenormal(ea, ma) || isDenormal(eb, mb)) {
            flags |= DE;
        }
    }

    // ---------------------------------------------------------------- rounding

    /** Rounded significand and the exponent of its bit 0, from {@link #round}. */
    BigInteger q;
    int qLsb;

    /**
     * Rounds {@code mag * 2^exp2} (mag > 0; its lowest bit may be a sticky bit) to {@code prec} bits
     * within exponent range [emin, emax] with {@link #rc}. Sets {@link #q}/{@link #qLsb}, PE/UE, C1;
     * returns false on overflow (after setting OE and PE; the caller packs the overflow result).
     */
    boolean round(boolean neg, BigInteger mag, int exp2, int prec, int emin, int emax) {
        return round(neg, mag, exp2, prec, emin, emax, false);
    }

    /** Exponent bias adjustment of the x87's unmasked overflow/underflow response. */
    static final int WRAP = 24576;

    /** The last {@link #round} with {@code wrap} kept full precision for an unmasked over/underflow. */
    private boolean wrapped;

    /**
     * As above; with {@code wrap}, an unmasked underflow rounds at full precision (no
     * denormalization) and an unmasked overflow keeps the rounded value, both to be stored with
     * the exponent adjusted by {@link #WRAP}, PE then meaning that rounding was inexact.
     */
    boolean round(boolean neg, BigInteger mag, int exp2, int prec, int emin, int emax, boolean wrap) {
        wrapped = false;
        int top = mag.bitLength() - 1 + exp2;
        // Tininess after rounding: the value rounded to prec bits with an unbounded exponent is
        // below the smallest normal.
        boolean tiny = top < emin - 1 || (top == emin - 1 && roundedBitLength(neg, mag, mag.bitLength() - prec) <= prec);
        boolean wrapUnder = wrap && tiny && underflowUnmasked;
        int lsb = (wrapUnder ? top : Math.max(top, emin)) - (prec - 1);
        int shift = lsb - exp2;
        BigInteger r;
        boolean inexact;
        boolean up = false;
        if (shift <= 0) {
            r = mag.shiftLeft(-shift);
            inexact = false;
        } else {
            r = mag.shiftRight(shift);
            BigInteger rest = mag.subtract(r.shiftLeft(shift));
            inexact = rest.signum() != 0;
            up = inexact && roundsUp(neg, r, rest, shift);
        }
        if (up) {
            r = r.add(BigInteger.ONE);
            if (r.bitLength() > prec) {
                r = r.shiftRight(1);
                lsb++;
            }
        }
        roundedUp = up;
        if (inexact) {
            flags |= PE;
        }
        if (tiny && (inexact || underflowUnmasked)) {
            flags |= UE;
        }
        q = r;
        qLsb = lsb;
        wrapped = wrapUnder;
        if (r.signum() != 0 && r.bitLength() - 1 + lsb > emax) {
            if (wrap && overflowUnmasked) {
                flags |= OE;
                wrapped = true;
                return true;
            }
            flags |= OE | PE;
            return false;
        }
        return true;
    }

    /** Whether dropping {@code shift} low bits (remainder {@code rest}, kept part {@code r}) rounds up. */
    private boolean roundsUp(boolean neg, BigInteger r, BigInteger rest, int shift) {
        return switch (rc) {
            case 0 -> {
                int c = rest.compareTo(BigInteger.ONE.shiftLeft(shift - 1));
                yield c > 0 || (c == 0 && r.testBit(0));
            }
            case 1 -> neg;
            case 2 -> !neg;
            default -> false;
        };
    }

    /** Bit length of {@code mag} after rounding away its low {@code shift} bits. */
    private int roundedBitLength(boolean neg, BigInteger mag, int shift) {
        if (shift <= 0) {
            return mag.bitLength() - shift;
        }
        BigInteger r = mag.shiftRight(shift);
        BigInteger rest = mag.subtract(r.shiftLeft(shift));
        if (rest.signum() != 0 && roundsUp(neg, r, rest, shift)) {
            r = r.add(BigInteger.ONE);
        }
        return r.bitLength();
    }

    /** Whether an overflow rounds to infinity (else to the largest finite value). */
    boolean overflowToInfinity(boolean neg) {
        return rc == 0 || (rc == 1 && neg) || (rc == 2 && !neg);
    }

    /** Rounds {@code mag * 2^exp2} to an 80-bit register value with {@code prec} bits. */
    void roundToRegister(boolean neg, BigInteger mag, int exp2, int prec) {
        int sign = neg ? 0x8000 : 0;
        if (mag.signum() == 0) {
            roundedUp = false;
            set(sign, 0);
            return;
        }
        if (!round(neg, mag, exp2, prec, EMIN, EMAX, true)) {
            if (overflowToInfinity(neg)) {
                roundedUp = true;
                infinity(neg);
            } else {
                roundedUp = false;
                set(sign | 0x7FFE, -1L << (64 - prec));
            }
            return;
        }
        if (q.signum() == 0) {
            set(sign, 0);
            return;
        }
        int top = q.bitLength() - 1 + qLsb;
        if (wrapped) {
            int biased = top + 16383 + (top > EMAX ? -WRAP : WRAP);
            set(sign | Math.max(1, Math.min(0x7FFE, biased)), q.shiftLeft(63 - (q.bitLength() - 1)).longValue());
        } else if (top < EMIN) {
            set(sign, q.shiftLeft(qLsb - (EMIN - 63)).longValue());
        } else {
            set(sign | (top + 16383), q.shiftLeft(63 - (q.bitLength() - 1)).longValue());
        }
    }

    // ---------------------------------------------------------------- operations

    /** a + b (subtract by flipping b's sign). */
    void add(int ea, long ma, int eb, long mb) {
        roundedUp = false;
        if (nanOperands(ea, ma, eb, mb)) {
            return;
        }
        denormals(ea, ma, eb, mb);
        boolean ia = isInf(ea, ma);
        boolean ib = isInf(eb, mb);
        if (ia || ib) {
            if (ia && ib && negative(ea) != negative(eb)) {
                indefinite();
            } else {
                set(ia ? ea : eb, INT_BIT);
            }
            return;
        }
        boolean za = isZero(ea, ma);
        boolean zb = isZero(eb, mb);
        if (za && zb) {
            zero(negative(ea) == negative(eb) ? negative(ea) : rc == 1);
            return;
        }
        if (zb) {
            roundToRegister(negative(ea), magnitude(ma), lsbExponent(ea), precision);
            return;
        }
        if (za) {
            roundToRegister(negative(eb), magnitude(mb), lsbExponent(eb), precision);
            return;
        }
        BigInteger a = magnitude(ma);
        BigInteger b = magnitude(mb);
        int xa = lsbExponent(ea);
        int xb = lsbExponent(eb);
        // A much smaller operand only acts as a sticky bit below the rounding position.
        int topA = a.bitLength() + xa;
        int topB = b.bitLength() + xb;
        if (topA - topB > 140) {
            b = BigInteger.ONE;
            xb = topA - 140;
        } else if (topB - topA > 140) {
            a = BigInteger.ONE;
            xa = topB - 140;
        }
        int lo = Math.min(xa, xb);
        BigInteger sa = a.shiftLeft(xa - lo);
        BigInteger sb = b.shiftLeft(xb - lo);
        if (negative(ea)) {
            sa = sa.negate();
        }
        if (negative(eb)) {
            sb = sb.negate();
        }
        BigInteger sum = sa.add(sb);
        if (sum.signum() == 0) {
            zero(rc == 1);
            return;
        }
        roundToRegister(sum.signum() < 0, sum.abs(), lo, precision);
    }

    void multiply(int ea, long ma, int eb, long mb) {
        roundedUp = false;
        if (nanOperands(ea, ma, eb, mb)) {
            return;
        }
        denormals(ea, ma, eb, mb);
        boolean neg = negative(ea) != negative(eb);
        boolean ia = isInf(ea, ma);
        boolean ib = isInf(eb, mb);
        boolean za = isZero(ea, ma);
        boolean zb = isZero(eb, mb);
        if (ia || ib) {
            if (za || zb) {
                indefinite();
            } else {
                infinity(neg);
            }
            return;
        }
        if (za || zb) {
            zero(neg);
            return;
        }
        roundToRegister(neg, magnitude(ma).multiply(magnitude(mb)), lsbExponent(ea) + lsbExponent(eb), precision);
    }

    /** a / b. */
    void divide(int ea, long ma, int eb, long mb) {
        roundedUp = false;
        if (nanOperands(ea, ma, eb, mb)) {
            return;
        }
        boolean neg = negative(ea) != negative(eb);
        boolean ia = isInf(ea, ma);
        boolean ib = isInf(eb, mb);
        boolean za = isZero(ea, ma);
        boolean zb = isZero(eb, mb);
        if ((ia && ib) || (za && zb)) {
            indefinite();
            return;
        }
        if (zb && !ia) {
            flags |= ZE;
            infinity(neg);
            return;
        }
        denormals(ea, ma, eb, mb);
        if (ia) {
            infinity(neg);
            return;
        }
        if (ib || za) {
            zero(neg);
            return;
        }
        BigInteger a = magnitude(ma);
        BigInteger b = magnitude(mb);
        int k = Math.max(0, b.bitLength() - a.bitLength() + 70);
        BigInteger[] qr = a.shiftLeft(k).divideAndRemainder(b);
        BigInteger quot = qr[0].shiftLeft(1);
        if (qr[1].signum() != 0) {
            quot = quot.setBit(0);
        }
        roundToRegister(neg, quot, lsbExponent(ea) - lsbExponent(eb) - k - 1, precision);
    }

    void sqrt(int e, long m) {
        roundedUp = false;
        if (nanOperand(e, m)) {
            return;
        }
        if (isZero(e, m)) {
            set(e, 0);
            return;
        }
        if (negative(e)) {
            indefinite();
            return;
        }
        if (isInf(e, m)) {
            set(e, m);
            return;
        }
        if (isDenormal(e, m)) {
            flags |= DE;
        }
        BigInteger a = magnitude(m);
        int x = lsbExponent(e);
        if ((x & 1) != 0) {
            a = a.shiftLeft(1);
            x--;
        }
        a = a.shiftLeft(160);
        x -= 160;
        BigInteger s = a.sqrt();
        BigInteger mag = s.shiftLeft(1);
        if (s.multiply(s).compareTo(a) != 0) {
            mag = mag.setBit(0);
        }
        roundToRegister(false, mag, x / 2 - 1, precision);
    }

    /** FRNDINT: rounds to an integer with {@link #rc} (64-bit precision). */
    void roundToInteger(int e, long m) {
        roundedUp = false;
        if (nanOperand(e, m)) {
            return;
        }
        if (isInf(e, m) || isZero(e, m)) {
            set(e, m);
            return;
        }
        if (isDenormal(e, m)) {
            flags |= DE;
        }
        boolean neg = negative(e);
        int x = lsbExponent(e);
        if (x >= 0) {
            set(e, m);
            return;
        }
        BigInteger mag = magnitude(m);
        // Round at bit position -x: reuse round() with a precision that puts the LSB at 2^0.
        int top = mag.bitLength() - 1 + x;
        int prec = top + 1;
        BigInteger r;
        if (prec <= 0) {
            // |v| < 1: result is 0 or 1 by the rounding mode.
            boolean up = switch (rc) {
                case 0 -> top == -1 && mag.compareTo(BigInteger.ONE.shiftLeft(-x - 1)) > 0;
                case 1 -> neg;
                case 2 -> !neg;
                default -> false;
            };
            flags |= PE;
            roundedUp = up;
            r = up ? BigInteger.ONE : BigInteger.ZERO;
        } else {
            round(neg, mag, x, prec, Integer.MIN_VALUE / 2, EMAX);
            r = q.shiftLeft(qLsb);
        }
        boolean up = roundedUp;
        flags &= ~UE;
        if (r.signum() == 0) {
            zero(neg);
        } else {
            roundToRegister(neg, r, 0, 64);
        }
        roundedUp = up;
    }

    /** FSCALE: a * 2^trunc(b). */
    void scale(int ea, long ma, int eb, long mb) {
        roundedUp = false;
        if (nanOperands(ea, ma, eb, mb)) {
            return;
        }
        denormals(ea, ma, eb, mb);
        boolean ia = isInf(ea, ma);
        boolean ib = isInf(eb, mb);
        boolean za = isZero(ea, ma);
        if (ib) {
            boolean bneg = negative(eb);
            if ((za && !bneg) || (ia && bneg)) {
                indefinite();
            } else if (za || bneg) {
                zero(negative(ea));
            } else {
                infinity(negative(ea));
            }
            return;
        }
        if (ia || za) {
            set(ea, ma);
            return;
        }
        long n = truncatedExponentArgument(eb, mb);
        roundToRegister(negative(ea), magnitude(ma), (int) (lsbExponent(ea) + n), 64);
    }

    /** trunc(b) clamped to +-2^20 (beyond that every finite operand over- or underflows). */
    private static long truncatedExponentArgument(int e, long m) {
        if (isZero(e, m) || isDenormal(e, m)) {
            return 0;
        }
        int x = lsbExponent(e);
        long v;
        if (x >= -43) {
            v = 1 << 20;
        } else if (x <= -64) {
            v = 0;
        } else {
            v = Math.min(1 << 20, m >>> -x);
        }
        return negative(e) ? -v : v;
    }

    /**
     * Exact comparison of two non-NaN, supported values: -1, 0 or 1. Zeros of either sign are
     * equal.
     */
    static int compare(int ea, long ma, int eb, long mb) {
        boolean za = isZero(ea, ma);
        boolean zb = isZero(eb, mb);
        if (za && zb) {
            return 0;
        }
        int sa = za ? 0 : negative(ea) ? -1 : 1;
        int sb = zb ? 0 : negative(eb) ? -1 : 1;
        if (sa != sb) {
            return Integer.compare(sa, sb);
        }
        int c;
        if (isInf(ea, ma) || isInf(eb, mb)) {
            c = Boolean.compare(isInf(ea, ma), isInf(eb, mb));
        } else {
            BigInteger a = magnitude(ma);
            BigInteger b = magnitude(mb);
            int xa = lsbExponent(ea);
            int xb = lsbExponent(eb);
            int lo = Math.min(xa, xb);
            c = a.shiftLeft(xa - lo).compareTo(b.shiftLeft(xb - lo));
        }
        return sa < 0 ? -c : c;
    }
}

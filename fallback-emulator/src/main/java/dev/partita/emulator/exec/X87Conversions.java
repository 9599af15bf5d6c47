package dev.partita.emulator.exec;

import static dev.partita.emulator.exec.ExtendedArithmetic.DE;
import static dev.partita.emulator.exec.ExtendedArithmetic.IE;

import java.math.BigInteger;

/**
 * Conversions between the x87 register format and the memory formats: single and double real
 * (loads exact, with DE for denormal and IE for signalling sources; stores rounded with the control
 * word's rounding mode, with OE/UE/PE and C1), 16/32/64-bit integers (FIST/FISTP/FISTTP) and 18-digit
 * packed BCD (FBLD/FBSTP). Results and flags go through the given {@link ExtendedArithmetic}; not
 * thread-safe, used only by the owning vCPU's thread.
 */
final class X87Conversions {

    private final ExtendedArithmetic x;

    X87Conversions(ExtendedArithmetic x) {
        this.x = x;
    }

    /** Loads a binary interchange value with {@code fracBits} fraction bits and {@code expBits} exponent bits. */
    void load(long bits, int fracBits, int expBits) {
        int total = fracBits + expBits + 1;
        int sign = (int) (bits >>> (total - 1)) & 1;
        int emask = (1 << expBits) - 1;
        int e = (int) (bits >>> fracBits) & emask;
        long f = bits & ((1L << fracBits) - 1);
        int bias = emask >> 1;
        int s = sign << 15;
        if (e == emask) {
            if (f == 0) {
                x.exp = s | 0x7FFF;
                x.mant = 0x8000_0000_0000_0000L;
            } else {
                long m = 0x8000_0000_0000_0000L | (f << (63 - fracBits));
                if ((f >>> (fracBits - 1)) == 0) {
                    x.flags |= IE;
                    m |= 0x4000_0000_0000_0000L;
                }
                x.exp = s | 0x7FFF;
                x.mant = m;
            }
        } else if (e == 0) {
            if (f == 0) {
                x.exp = s;
                x.mant = 0;
            } else {
                x.flags |= DE;
                int lz = Long.numberOfLeadingZeros(f);
                // value = f * 2^(1 - bias - fracBits); normalized significand f << lz.
                x.exp = s | (1 - bias - fracBits + 63 - lz + 16383);
                x.mant = f << lz;
            }
        } else {
            x.exp = s | (e - bias + 16383);
            x.mant = 0x8000_0000_0000_0000L | (f << (63 - fracBits));
        }
    }

    /**
     * Rounds a register value to a binary format ({@code fracBits}, {@code expBits}); returns the
     * bits. Invalid (unsupported or signalling) sources raise IE; NaNs keep their leading payload.
     */
    long store(int e, long m, int fracBits, int expBits) {
        int total = fracBits + expBits + 1;
        long signBit = ExtendedArithmetic.negative(e) ? 1L << (total - 1) : 0;
        long emask = (1L << expBits) - 1;
        long infBits = emask << fracBits;
        x.roundedUp = false;
        if (ExtendedArithmetic.isUnsupported(e, m)) {
            x.flags |= IE;
            return (1L << (total - 1)) | infBits | (1L << (fracBits - 1));
        }
        if (ExtendedArithmetic.isNaN(e, m)) {
            if (ExtendedArithmetic.isSignaling(e, m)) {
                x.flags |= IE;
            }
            long frac = (m << 1) >>> (64 - fracBits);
            return signBit | infBits | frac | (1L << (fracBits - 1));
        }
        if (ExtendedArithmetic.isInf(e, m)) {
            return signBit | infBits;
        }
        if (ExtendedArithmetic.isZero(e, m)) {
            return signBit;
        }
        int bias = (int) (emask >> 1);
        int emin = 1 - bias;
        boolean neg = signBit != 0;
        if (!x.round(neg, ExtendedArithmetic.magnitude(m), ExtendedArithmetic.lsbExponent(e), fracBits + 1, emin, bias)) {
            if (x.overflowToInfinity(neg)) {
                x.roundedUp = true;
                return signBit | infBits;
            }
            return signBit | (infBits - 1);
        }
        BigInteger q = x.q;
        if (q.signum() == 0) {
            return signBit;
        }
        int top = q.bitLength() - 1 + x.qLsb;
        if (top < emin) {
            return signBit | q.shiftLeft(x.qLsb - (emin - fracBits)).longValue();
        }
        long frac = q.shiftLeft(fracBits - (q.bitLength() - 1)).longValue() & ((1L << fracBits) - 1);
        return signBit | ((long) (top + bias) << fracBits) | frac;
    }

    /**
     * Rounds a register value to a signed integer with rounding control {@code rc}. Returns null
     * when the value is a NaN, infinite, unsupported or out of range (the caller stores the
     * indefinite value and raises IE); sets PE and C1 for inexact results.
     */
    BigInteger toInteger(int e, long m, int rc, BigInteger limitExclusive) {
        x.roundedUp = false;
        if ((e & 0x7FFF) == 0x7FFF || ExtendedArithmetic.isUnsupported(e, m)) {
            return null;
        }
        if (ExtendedArithmetic.isZero(e, m)) {
            return BigInteger.ZERO;
        }
        boolean neg = ExtendedArithmetic.negative(e);
        BigInteger mag = ExtendedArithmetic.magnitude(m);
        int lsb = ExtendedArithmetic.lsbExponent(e);
        BigInteger r;
        boolean inexact = false;
        boolean up = false;
        if (lsb >= 0) {
            r = lsb > 80 ? limitExclusive.shiftLeft(1) : mag.shiftLeft(lsb);
        } else {
            int sh = -lsb;
            r = sh >= 70 ? BigInteger.ZERO : mag.shiftRight(sh);
            BigInteger rest = sh >= 70 ? mag : mag.subtract(r.shiftLeft(sh));
            inexact = rest.signum() != 0;
            if (inexact) {
                up = switch (rc) {
                    case 0 -> {
                        if (sh >= 70) {
                            yield false;
                        }
                        int c = rest.compareTo(BigInteger.ONE.shiftLeft(sh - 1));
                        yield c > 0 || (c == 0 && r.testBit(0));
                    }
                    case 1 -> neg;
                    case 2 -> !neg;
                    default -> false;
                };
            }
        }
        if (up) {
            r = r.add(BigInteger.ONE);
        }
        if (neg ? r.compareTo(limitExclusive) > 0 : r.compareTo(limitExclusive) >= 0) {
            return null;
        }
        if (inexact) {
            x.flags |= ExtendedArithmetic.PE;
            x.roundedUp = up;
        }
        return neg ? r.negate() : r;
    }

    /** Sets the result to the exact register value of a signed integer. */
    void fromInteger(BigInteger v, boolean negZero) {
        if (v.signum() == 0) {
            x.exp = negZero ? 0x8000 : 0;
            x.mant = 0;
            return;
        }
        BigInteger a = v.abs();
        int top = a.bitLength() - 1;
        x.exp = (v.signum() < 0 ? 0x8000 : 0) | (top + 16383);
        x.mant = a.shiftLeft(63 - top).longValue();
    }

    private static final BigInteger BCD_LIMIT = BigInteger.TEN.pow(18);

    /** FBLD: 18 packed BCD digits and a sign byte to a register value (invalid digits are undefined). */
    void loadBcd(long low8, int high2) {
        long v = 0;
        for (int i = 8; i >= 0; i--) {
            int b = i == 8 ? high2 & 0xFF : (int) (low8 >>> (8 * i)) & 0xFF;
            v = v * 100 + ((b >>> 4) & 0xF) * 10L + (b & 0xF);
        }
        boolean neg = (high2 & 0x8000) != 0;
        fromInteger(BigInteger.valueOf(neg ? -v : v), neg);
    }

    /**
     * FBSTP: the 10-byte packed BCD image {low 8 bytes, high 2 bytes} of the value rounded with
     * {@code rc}; the packed BCD indefinite with IE when it is not representable.
     */
    long[] storeBcd(int e, long m, int rc) {
        BigInteger r = toInteger(e, m, rc, BCD_LIMIT);
        if (r == null) {
            x.flags |= IE;
            x.roundedUp = false;
            return new long[] {0xC000_0000_0000_0000L, 0xFFFF};
        }
        long v = r.abs().longValue();
        long low = 0;
        int high = ExtendedArithmetic.negative(e) ? 0x8000 : 0;
        for (int i = 0; i < 9; i++) {
            int pair = (int) (v % 100);
            v /= 100;
            int b = ((pair / 10) << 4) | (pair % 10);
            if (i < 8) {
                low |= (long) b << (8 * i);
            } else {
                high |= b;
            }
        }
        return new long[] {low, high};
    }
}

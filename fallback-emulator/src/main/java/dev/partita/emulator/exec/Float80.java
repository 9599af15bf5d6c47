package dev.partita.emulator.exec;

/**
 * Conversions between the x87 80-bit extended format (sign and 15-bit exponent in a 16-bit word,
 * 64-bit significand with an explicit integer bit) and Java doubles. Converting a double to 80 bits
 * is exact; the other direction rounds to nearest-even (so values produced by double arithmetic
 * round-trip exactly, and 80-bit values loaded and stored without arithmetic keep their bits
 * because the registers themselves hold the 80-bit form). Stateless.
 */
final class Float80 {
    private Float80() {
    }

    /** Exponent word of the default quiet NaN ("real indefinite"). */
    static final int INDEFINITE_EXP = 0xFFFF;
    static final long INDEFINITE_MANT = 0xC000_0000_0000_0000L;

    /** The exponent word (sign in bit 15) of {@code d} in 80-bit form. */
    static int exponentWord(double d) {
        long bits = Double.doubleToRawLongBits(d);
        int sign = (int) (bits >>> 63) << 15;
        int e = (int) (bits >>> 52) & 0x7FF;
        long f = bits & 0xF_FFFF_FFFF_FFFFL;
        if (e == 0x7FF) {
            return sign | 0x7FFF;
        }
        if (e == 0) {
            if (f == 0) {
                return sign;
            }
            int shift = Long.numberOfLeadingZeros(f) - 11; // normalize the subnormal
            return sign | (1 - 1023 + 16383 - shift);
        }
        return sign | (e - 1023 + 16383);
    }

    /** The 64-bit significand of {@code d} in 80-bit form. */
    static long mantissa(double d) {
        long bits = Double.doubleToRawLongBits(d);
        int e = (int) (bits >>> 52) & 0x7FF;
        long f = bits & 0xF_FFFF_FFFF_FFFFL;
        if (e == 0x7FF) {
            return f == 0 ? 0x8000_0000_0000_0000L : 0xC000_0000_0000_0000L | (f << 11);
        }
        if (e == 0) {
            if (f == 0) {
                return 0;
            }
            int shift = Long.numberOfLeadingZeros(f) - 11;
            return f << (11 + shift);
        }
        return 0x8000_0000_0000_0000L | (f << 11);
    }

    /** The double nearest to the 80-bit value (round to nearest-even). */
    static double toDouble(int expWord, long mant) {
        boolean neg = (expWord & 0x8000) != 0;
        int e = expWord & 0x7FFF;
        double r;
        if (e == 0x7FFF) {
            if ((mant & 0x7FFF_FFFF_FFFF_FFFFL) == 0) {
                r = Double.POSITIVE_INFINITY;
            } else {
                long payload = (mant >>> 11) & 0xF_FFFF_FFFF_FFFFL;
                r = Double.longBitsToDouble(0x7FF8_0000_0000_0000L | payload);
            }
        } else if (mant == 0) {
            r = 0.0;
        } else {
            int lz = Long.numberOfLeadingZeros(mant); // unnormals/denormals: normalize
            long m = mant << lz;
            int exp = e - 16383 - lz;
            if (e == 0) {
                exp += 1;
            }
            r = scaled(m, exp);
        }
        return neg ? -r : r;
    }

    /** m (normalized, bit 63 set) * 2^(exp - 63), rounded to a double. */
    private static double scaled(long m, int exp) {
        // Round the 64-bit significand to 53 bits, nearest-even.
        long top = m >>> 11;
        long rest = m & 0x7FF;
        if (rest > 0x400 || (rest == 0x400 && (top & 1) != 0)) {
            top++;
            if (top == (1L << 53)) {
                top >>>= 1;
                exp++;
            }
        }
        if (exp > 1023) {
            return Double.POSITIVE_INFINITY;
        }
        if (exp >= -1022) {
            return Math.scalb((double) top, exp - 52);
        }
        // Subnormal result: let the double arithmetic round from the full significand.
        return Math.scalb((double) (m >>> 1), exp - 62);
    }
}

package dev.partita.emulator.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/**
 * Exact extended arithmetic against values worked out by hand (binary expansions of 1/3 and
 * sqrt(2)); the differential test checks the same code against the host CPU.
 */
class ExtendedArithmeticTest {

    private static final int ONE = 0x3FFF;
    private static final long INT_BIT = 0x8000_0000_0000_0000L;

    private static ExtendedArithmetic with(int fcw) {
        ExtendedArithmetic x = new ExtendedArithmetic();
        x.control(fcw);
        return x;
    }

    @Test
    void oneThirdInEveryPrecisionAndRoundingMode() {
        // 1/3 = 1.0101...b * 2^-2: the bits after any even-length prefix are 0101... (below half),
        // after an odd-length prefix 1010... (above half).
        ExtendedArithmetic x = with(0x037F); // 64 bits, nearest
        x.divide(ONE, INT_BIT, ONE + 1, 0xC000_0000_0000_0000L);
        assertEquals(0x3FFD, x.exp);
        assertEquals(0xAAAA_AAAA_AAAA_AAABL, x.mant, "64 bits: next bit 1 then more: rounds up");
        assertTrue(x.roundedUp, "C1");
        assertEquals(ExtendedArithmetic.PE, x.flags);

        x = with(0x0F7F); // toward zero
        x.divide(ONE, INT_BIT, ONE + 1, 0xC000_0000_0000_0000L);
        assertEquals(0xAAAA_AAAA_AAAA_AAAAL, x.mant);
        assertFalse(x.roundedUp);

        x = with(0x027F); // 53 bits, nearest
        x.divide(ONE, INT_BIT, ONE + 1, 0xC000_0000_0000_0000L);
        assertEquals(0xAAAA_AAAA_AAAA_A800L, x.mant, "53 bits end in 1; the rest 0101... rounds down");

        x = with(0x007F); // 24 bits, nearest
        x.divide(ONE, INT_BIT, ONE + 1, 0xC000_0000_0000_0000L);
        assertEquals(0xAAAA_AB00_0000_0000L, x.mant);

        x = with(0x087F); // 24 bits, up
        x.divide(ONE | 0x8000, INT_BIT, ONE + 1, 0xC000_0000_0000_0000L);
        assertEquals(0xBFFD, x.exp);
        assertEquals(0xAAAA_AA00_0000_0000L, x.mant, "-1/3 rounded up (toward +inf) shrinks the magnitude");
        assertFalse(x.roundedUp);
    }

    @Test
    void squareRootOfTwo() {
        ExtendedArithmetic x = with(0x037F);
        x.sqrt(ONE + 1, INT_BIT);
        assertEquals(ONE, x.exp);
        assertEquals(0xB504_F333_F9DE_6484L, x.mant);
        assertFalse(x.roundedUp);
        x = with(0x0B7F); // up
        x.sqrt(ONE + 1, INT_BIT);
        assertEquals(0xB504_F333_F9DE_6485L, x.mant);
        assertTrue(x.roundedUp);
    }

    @Test
    void overflowInvalidAndZeroDivide() {
        ExtendedArithmetic x = with(0x037F);
        x.multiply(0x7FFE, -1L, ONE + 1, INT_BIT);
        assertEquals(0x7FFF, x.exp, "largest * 2 overflows to infinity when rounding to nearest");
        assertEquals(INT_BIT, x.mant);
        assertEquals(ExtendedArithmetic.OE | ExtendedArithmetic.PE, x.flags);

        x = with(0x0F7F);
        x.multiply(0x7FFE, -1L, ONE + 1, INT_BIT);
        assertEquals(0x7FFE, x.exp, "toward zero: the largest finite value");
        assertEquals(-1L, x.mant);

        x = with(0x037F);
        x.add(0x7FFF, INT_BIT, 0xFFFF, INT_BIT);
        assertEquals(Float80.INDEFINITE_EXP, x.exp, "inf + -inf");
        assertEquals(Float80.INDEFINITE_MANT, x.mant);
        assertEquals(ExtendedArithmetic.IE, x.flags);

        x = with(0x037F);
        x.divide(ONE, INT_BIT, 0x8000, 0);
        assertEquals(0xFFFF, x.exp, "1 / -0 = -inf");
        assertEquals(ExtendedArithmetic.ZE, x.flags);

        x = with(0x037F);
        x.add(ONE, 0x4000_0000_0000_0000L, ONE, INT_BIT);
        assertEquals(ExtendedArithmetic.IE, x.flags, "an unnormal operand is invalid");
    }

    @Test
    void denormalResultsAndUnderflow() {
        // Smallest normal / 4: exact denormal (no UE when masked), then /3: inexact and tiny (UE).
        ExtendedArithmetic x = with(0x037F);
        x.divide(1, INT_BIT, ONE + 2, INT_BIT);
        assertEquals(0, x.exp);
        assertEquals(INT_BIT >>> 2, x.mant);
        assertEquals(0, x.flags);
        x = with(0x037F);
        x.divide(0, INT_BIT >>> 2, ONE + 1, 0xC000_0000_0000_0000L);
        assertEquals(ExtendedArithmetic.DE | ExtendedArithmetic.UE | ExtendedArithmetic.PE, x.flags);
        // Unmasked underflow: an exact tiny result still raises UE.
        x = with(0x036F);
        x.divide(1, INT_BIT, ONE + 2, INT_BIT);
        assertEquals(ExtendedArithmetic.UE, x.flags);
    }

    @Test
    void exactCancellationSignFollowsRoundingMode() {
        ExtendedArithmetic x = with(0x037F);
        x.add(ONE, INT_BIT, ONE | 0x8000, INT_BIT);
        assertEquals(0, x.exp);
        x = with(0x077F);
        x.add(ONE, INT_BIT, ONE | 0x8000, INT_BIT);
        assertEquals(0x8000, x.exp, "x - x is -0 when rounding down");
    }

    @Test
    void storesAndIntegerAndBcdConversions() {
        ExtendedArithmetic x = with(0x037F);
        X87Conversions c = new X87Conversions(x);
        assertEquals(0x3EAA_AAABL, c.store(0x3FFD, 0xAAAA_AAAA_AAAA_AAABL, 23, 8), "1/3 to single");
        assertEquals(0x7F80_0000L, c.store(0x7FFE, -1L, 23, 8), "overflow to +inf");
        assertEquals(ExtendedArithmetic.OE | ExtendedArithmetic.PE, x.flags);
        x.flags = 0;
        assertEquals(0xFFC0_0000L, c.store(0xC000, 0x4000_0000_0000_0000L, 23, 8), "unnormal: indefinite");
        assertEquals(ExtendedArithmetic.IE, x.flags);

        x.flags = 0;
        // 2.5 to integer: nearest-even 2, down 2, up 3, toward zero 2.
        int[] expect = {2, 2, 3, 2};
        for (int rc = 0; rc < 4; rc++) {
            BigInteger r = c.toInteger(ONE + 1, 0xA000_0000_0000_0000L, rc, BigInteger.ONE.shiftLeft(15));
            assertEquals(expect[rc], r.intValue(), "rc " + rc);
        }
        assertEquals(null, c.toInteger(ONE + 15, INT_BIT, 0, BigInteger.ONE.shiftLeft(15)), "32768 overflows int16");

        c.loadBcd(0x2345_6789_0123_4567L, 0x8001);
        long[] back = c.storeBcd(x.exp, x.mant, 0);
        assertEquals(0x2345_6789_0123_4567L, back[0]);
        assertEquals(0x8001, back[1]);
        back = c.storeBcd(ONE + 63, INT_BIT, 0);
        assertEquals(0xC000_0000_0000_0000L, back[0], "2^63 does not fit 18 digits: BCD indefinite");
        assertEquals(0xFFFF, back[1]);
    }
}

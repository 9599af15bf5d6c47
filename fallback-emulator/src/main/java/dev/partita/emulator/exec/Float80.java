package dev.partita.emulator.exec;

/**
 * Constants of the x87 80-bit extended format (sign and 15-bit exponent in a 16-bit word, 64-bit
 * significand with an explicit integer bit). Arithmetic on the format is in
 * {@link ExtendedArithmetic}, conversions to and from memory formats in {@link X87Conversions}.
 */
final class Float80 {
    private Float80() {
    }

    /** Exponent word of the default quiet NaN ("real indefinite"). */
    static final int INDEFINITE_EXP = 0xFFFF;
    /** Significand of the real indefinite. */
    static final long INDEFINITE_MANT = 0xC000_0000_0000_0000L;
}

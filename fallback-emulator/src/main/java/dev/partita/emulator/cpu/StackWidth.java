package dev.partita.emulator.cpu;

/**
 * The one place that knows how a stack width (16, 32 or 64 bits: {@link CpuState#stackBits}, or
 * the width of a stack being switched to) shapes stack-pointer arithmetic: offsets wrap at the
 * width, and storing a 16-bit stack pointer keeps RSP's upper bits while a 32-bit one clears them.
 *
 * <p>Stateless.
 */
public final class StackWidth {
    private StackWidth() {
    }

    /** The mask of a {@code bits}-wide stack offset (bits is 16, 32 or 64). */
    public static long mask(int bits) {
        return -1L >>> (64 - bits);
    }

    /** {@code value} reduced to a {@code bits}-wide stack offset. */
    public static long offset(long value, int bits) {
        return value & mask(bits);
    }

    /** RSP after storing the {@code bits}-wide stack pointer {@code value} into {@code rsp}. */
    public static long store(long rsp, long value, int bits) {
        return bits == 16 ? (rsp & ~0xFFFFL) | (value & 0xFFFF) : offset(value, bits);
    }
}

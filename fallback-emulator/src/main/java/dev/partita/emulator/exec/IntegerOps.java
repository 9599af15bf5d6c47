package dev.partita.emulator.exec;

import dev.partita.emulator.cpu.LazyFlags;
import dev.partita.emulator.decoder.Ops.Alu;

/**
 * Two-operand integer arithmetic and logic (ADD, OR, ADC, SBB, AND, SUB, XOR, CMP, INC, DEC, NEG,
 * bit scans and counts) with the operation width as a parameter. Results are returned unmasked
 * (callers store them at the width); flags go to the {@link LazyFlags} passed in. Stateless.
 */
final class IntegerOps {
    private IntegerOps() {
    }

    /** Mask of the low {@code size} bytes. */
    static long mask(int size) {
        return size == 8 ? -1L : (1L << (size << 3)) - 1;
    }

    /** Sign-extends the low {@code size} bytes of {@code v}. */
    static long sext(long v, int size) {
        int sh = 64 - (size << 3);
        return (v << sh) >> sh;
    }

    /** One of the eight group-1 operations; for CMP the result is {@code a} (nothing to store). */
    static long alu(LazyFlags f, int sub, int size, long a, long b) {
        long r;
        switch (sub) {
            case Alu.ADD -> {
                r = a + b;
                f.set(LazyFlags.ADD, size, a, b, r);
            }
            case Alu.OR -> {
                r = a | b;
                f.setLogic(size, r);
            }
            case Alu.ADC -> {
                int c = f.cf() ? 1 : 0;
                r = a + b + c;
                f.set(LazyFlags.ADC, size, a, b, r, c);
            }
            case Alu.SBB -> {
                int c = f.cf() ? 1 : 0;
                r = a - b - c;
                f.set(LazyFlags.SBB, size, a, b, r, c);
            }
            case Alu.AND -> {
                r = a & b;
                f.setLogic(size, r);
            }
            case Alu.SUB -> {
                r = a - b;
                f.set(LazyFlags.SUB, size, a, b, r);
            }
            case Alu.XOR -> {
                r = a ^ b;
                f.setLogic(size, r);
            }
            default -> {
                f.set(LazyFlags.SUB, size, a, b, a - b);
                r = a;
            }
        }
        return r;
    }

    static long inc(LazyFlags f, int size, long a) {
        long r = a + 1;
        f.set(LazyFlags.INC, size, a, 1, r, f.cf() ? 1 : 0);
        return r;
    }

    static long dec(LazyFlags f, int size, long a) {
        long r = a - 1;
        f.set(LazyFlags.DEC, size, a, 1, r, f.cf() ? 1 : 0);
        return r;
    }

    static long neg(LazyFlags f, int size, long a) {
        long r = -a;
        f.set(LazyFlags.SUB, size, 0, a, r);
        return r;
    }

    /**
     * BSF/BSR: ZF=1 and the destination unchanged when the source is zero (AMD documents this;
     * Intel leaves it undefined but behaves the same). The other flags are undefined by the SDM; the
     * host reference (AMD family 19h) clears CF, OF, SF, AF and sets PF from the index (from 0 for a
     * zero source). Returns -1 for "do not write".
     */
    static long bitScan(LazyFlags f, int size, long src, boolean reverse) {
        long v = src & mask(size);
        if (v == 0) {
            f.load(LazyFlags.ZF | LazyFlags.PF);
            return -1;
        }
        long r = reverse ? 63 - Long.numberOfLeadingZeros(v) : Long.numberOfTrailingZeros(v);
        f.load((Long.bitCount(r) & 1) == 0 ? LazyFlags.PF : 0);
        return r;
    }

    /**
     * TZCNT/LZCNT: CF = source zero, ZF = result zero; of the undefined flags the host reference
     * (AMD family 19h) keeps OF and clears SF, AF, PF.
     */
    static long count(LazyFlags f, int size, long src, boolean leading) {
        long v = src & mask(size);
        int bits = size << 3;
        long r;
        if (v == 0) {
            r = bits;
        } else {
            r = leading ? Long.numberOfLeadingZeros(v) - (64 - bits) : Long.numberOfTrailingZeros(v);
        }
        f.merge(LazyFlags.CF | LazyFlags.ZF | LazyFlags.SF | LazyFlags.AF | LazyFlags.PF,
                (v == 0 ? LazyFlags.CF : 0) | (r == 0 ? LazyFlags.ZF : 0));
        return r;
    }

    /** POPCNT: ZF = source zero, the other five flags cleared. */
    static long popcnt(LazyFlags f, int size, long src) {
        long v = src & mask(size);
        f.load(v == 0 ? LazyFlags.ZF : 0);
        return Long.bitCount(v);
    }

    /** BSWAP of the low {@code size} bytes (16-bit BSWAP is undefined; it yields 0 like real CPUs). */
    static long bswap(int size, long v) {
        return switch (size) {
            case 8 -> Long.reverseBytes(v);
            case 4 -> Integer.reverseBytes((int) v) & 0xFFFF_FFFFL;
            default -> 0;
        };
    }
}

package dev.partita.emulator.exec;

import static dev.partita.emulator.exec.IntegerOps.mask;
import static dev.partita.emulator.exec.IntegerOps.sext;

import dev.partita.emulator.cpu.CpuException;
import dev.partita.emulator.cpu.LazyFlags;
import dev.partita.emulator.decoder.Ops.MulDiv;
import java.math.BigInteger;

/**
 * MUL, IMUL (one, two and three operands), DIV and IDIV at every width. The one-operand forms work
 * on the accumulator pair (AX, DX:AX, EDX:EAX, RDX:RAX) through {@code gpr}. After MUL/IMUL, CF = OF
 * = "the high half is significant". The flags the SDM leaves undefined follow the host reference (AMD
 * family 19h, measured): MUL/IMUL keep SF, ZF, AF, PF; DIV/IDIV keep CF and OF, clear SF, ZF, PF and
 * set AF. Stateless.
 */
final class MulDivOps {
    private MulDivOps() {
    }

    private static final BigInteger TWO64 = BigInteger.ONE.shiftLeft(64);

    /** One-operand MUL/IMUL/DIV/IDIV with source {@code src}. Throws #DE on divide errors. */
    static void accumulator(long[] gpr, LazyFlags f, int sub, int size, long src) {
        long m = mask(size);
        switch (sub) {
            case MulDiv.MUL -> {
                long s = src & m;
                if (size == 1) {
                    long p = (gpr[0] & 0xFF) * s;
                    gpr[0] = (gpr[0] & ~0xFFFFL) | (p & 0xFFFF);
                    f.merge(LazyFlags.CF | LazyFlags.OF, (p >>> 8) != 0 ? LazyFlags.CF | LazyFlags.OF : 0);
                } else if (size == 8) {
                    long lo = gpr[0] * s;
                    long hi = Math.unsignedMultiplyHigh(gpr[0], s);
                    gpr[0] = lo;
                    gpr[2] = hi;
                    f.merge(LazyFlags.CF | LazyFlags.OF, hi != 0 ? LazyFlags.CF | LazyFlags.OF : 0);
                } else {
                    int bits = size << 3;
                    long p = (gpr[0] & m) * s;
                    long lo = p & m;
                    long hi = (p >>> bits) & m;
                    store(gpr, 0, size, lo);
                    store(gpr, 2, size, hi);
                    f.merge(LazyFlags.CF | LazyFlags.OF, hi != 0 ? LazyFlags.CF | LazyFlags.OF : 0);
                }
            }
            case MulDiv.IMUL -> {
                long s = sext(src, size);
                if (size == 1) {
                    long p = sext(gpr[0], 1) * s;
                    gpr[0] = (gpr[0] & ~0xFFFFL) | (p & 0xFFFF);
                    f.merge(LazyFlags.CF | LazyFlags.OF, p != sext(p, 1) ? LazyFlags.CF | LazyFlags.OF : 0);
                } else if (size == 8) {
                    long lo = gpr[0] * s;
                    long hi = Math.multiplyHigh(gpr[0], s);
                    gpr[0] = lo;
                    gpr[2] = hi;
                    f.merge(LazyFlags.CF | LazyFlags.OF, hi != (lo >> 63) ? LazyFlags.CF | LazyFlags.OF : 0);
                } else {
                    int bits = size << 3;
                    long p = sext(gpr[0], size) * s;
                    store(gpr, 0, size, p & m);
                    store(gpr, 2, size, (p >> bits) & m);
                    f.merge(LazyFlags.CF | LazyFlags.OF, p != sext(p, size) ? LazyFlags.CF | LazyFlags.OF : 0);
                }
            }
            case MulDiv.DIV -> {
                divide(gpr, size, src & m);
                f.merge(LazyFlags.SF | LazyFlags.ZF | LazyFlags.PF | LazyFlags.AF, LazyFlags.AF);
            }
            default -> {
                idivide(gpr, size, sext(src, size));
                f.merge(LazyFlags.SF | LazyFlags.ZF | LazyFlags.PF | LazyFlags.AF, LazyFlags.AF);
            }
        }
    }

    /** Two/three-operand IMUL: returns the truncated product and sets CF/OF on signed overflow. */
    static long imul(LazyFlags f, int size, long a, long b) {
        long sa = sext(a, size);
        long sb = sext(b, size);
        long p = sa * sb;
        boolean overflow;
        if (size == 8) {
            overflow = Math.multiplyHigh(sa, sb) != (p >> 63);
        } else {
            overflow = p != sext(p, size);
        }
        f.merge(LazyFlags.CF | LazyFlags.OF, overflow ? LazyFlags.CF | LazyFlags.OF : 0);
        return p;
    }

    private static void store(long[] gpr, int r, int size, long v) {
        if (size == 2) {
            gpr[r] = (gpr[r] & ~0xFFFFL) | (v & 0xFFFF);
        } else {
            gpr[r] = v & 0xFFFF_FFFFL;
        }
    }

    private static void divide(long[] gpr, int size, long divisor) {
        if (divisor == 0) {
            throw CpuException.de();
        }
        switch (size) {
            case 1 -> {
                long n = gpr[0] & 0xFFFF;
                long q = n / divisor;
                if (q > 0xFF) {
                    throw CpuException.de();
                }
                long r = n % divisor;
                gpr[0] = (gpr[0] & ~0xFFFFL) | q | (r << 8);
            }
            case 2, 4 -> {
                int bits = size << 3;
                long m = mask(size);
                long n = ((gpr[2] & m) << bits) | (gpr[0] & m);
                long q = Long.divideUnsigned(n, divisor);
                if (Long.compareUnsigned(q, m) > 0) {
                    throw CpuException.de();
                }
                long r = Long.remainderUnsigned(n, divisor);
                store(gpr, 0, size, q);
                store(gpr, 2, size, r);
            }
            default -> {
                long hi = gpr[2];
                long lo = gpr[0];
                if (hi == 0) {
                    gpr[0] = Long.divideUnsigned(lo, divisor);
                    gpr[2] = Long.remainderUnsigned(lo, divisor);
                    return;
                }
                if (Long.compareUnsigned(hi, divisor) >= 0) {
                    throw CpuException.de();
                }
                BigInteger n = unsigned(hi).shiftLeft(64).or(unsigned(lo));
                BigInteger[] qr = n.divideAndRemainder(unsigned(divisor));
                gpr[0] = qr[0].longValue();
                gpr[2] = qr[1].longValue();
            }
        }
    }

    private static void idivide(long[] gpr, int size, long divisor) {
        if (divisor == 0) {
            throw CpuException.de();
        }
        switch (size) {
            case 1 -> {
                long n = sext(gpr[0], 2);
                long q = n / divisor;
                if (q != sext(q, 1)) {
                    throw CpuException.de();
                }
                long r = n % divisor;
                gpr[0] = (gpr[0] & ~0xFFFFL) | (q & 0xFF) | ((r & 0xFF) << 8);
            }
            case 2, 4 -> {
                int bits = size << 3;
                long m = mask(size);
                long n = (sext(gpr[2], size) << bits) | (gpr[0] & m);
                if (n == Long.MIN_VALUE && divisor == -1) {
                    throw CpuException.de();
                }
                long q = n / divisor;
                if (q != sext(q, size)) {
                    throw CpuException.de();
                }
                long r = n % divisor;
                store(gpr, 0, size, q & m);
                store(gpr, 2, size, r & m);
            }
            default -> {
                long hi = gpr[2];
                long lo = gpr[0];
                if (hi == (lo >> 63)) {
                    if (lo == Long.MIN_VALUE && divisor == -1) {
                        throw CpuException.de();
                    }
                    gpr[0] = lo / divisor;
                    gpr[2] = lo % divisor;
                    return;
                }
                BigInteger n = BigInteger.valueOf(hi).shiftLeft(64).or(unsigned(lo));
                BigInteger[] qr = n.divideAndRemainder(BigInteger.valueOf(divisor));
                if (qr[0].bitLength() > 63) {
                    throw CpuException.de();
                }
                gpr[0] = qr[0].longValue();
                gpr[2] = qr[1].longValue();
            }
        }
    }

    private static BigInteger unsigned(long v) {
        BigInteger b = BigInteger.valueOf(v);
        return v < 0 ? b.add(TWO64) : b;
    }
}

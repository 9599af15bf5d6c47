package dev.partita.emulator.exec;

import static dev.partita.emulator.exec.IntegerOps.mask;
import static dev.partita.emulator.exec.IntegerOps.sext;

import dev.partita.emulator.cpu.LazyFlags;
import dev.partita.emulator.decoder.Ops.Shift;

/**
 * Shifts and rotates (group 2) and the double shifts SHLD/SHRD, width as a parameter. A count that
 * masks to zero changes neither the flags nor the value. For counts above one, OF follows the
 * one-count formula (the SDM leaves it undefined). Undefined flags follow the host reference (AMD
 * family 19h, checked against the host CPU): AF is set by every shift with a non-zero count. Stateless.
 */
final class ShiftOps {
    private ShiftOps() {
    }

    /** Applies group-2 operation {@code sub} to {@code a}; returns the (unmasked) result. */
    static long shift(LazyFlags f, int sub, int size, long a, int rawCount) {
        int count = rawCount & (size == 8 ? 63 : 31);
        if (count == 0) {
            return a;
        }
        int bits = size << 3;
        long m = mask(size);
        long v = a & m;
        switch (sub) {
            case Shift.ROL -> {
                int c = count % bits;
                long r = c == 0 ? v : ((v << c) | (v >>> (bits - c))) & m;
                boolean cf = (r & 1) != 0;
                boolean of = ((r >>> (bits - 1)) & 1) != 0 ^ cf;
                f.merge(LazyFlags.CF | LazyFlags.OF, (cf ? LazyFlags.CF : 0) | (of ? LazyFlags.OF : 0));
                return r;
            }
            case Shift.ROR -> {
                int c = count % bits;
                long r = c == 0 ? v : ((v >>> c) | (v << (bits - c))) & m;
                boolean msb = ((r >>> (bits - 1)) & 1) != 0;
                boolean msb2 = ((r >>> (bits - 2)) & 1) != 0;
                f.merge(LazyFlags.CF | LazyFlags.OF, (msb ? LazyFlags.CF : 0) | (msb != msb2 ? LazyFlags.OF : 0));
                return r;
            }
            case Shift.RCL -> {
                int c = size < 4 ? count % (bits + 1) : count;
                if (c == 0) {
                    // AMD still updates OF (MSB xor CF) when the masked count is a multiple of width + 1.
                    boolean of0 = ((v >>> (bits - 1)) & 1) != 0 ^ f.cf();
                    f.merge(LazyFlags.OF, of0 ? LazyFlags.OF : 0);
                    return a;
                }
                long r = v;
                boolean cf = f.cf();
                for (int i = 0; i < c; i++) {
                    boolean out = ((r >>> (bits - 1)) & 1) != 0;
                    r = ((r << 1) | (cf ? 1 : 0)) & m;
                    cf = out;
                }
                boolean of = ((r >>> (bits - 1)) & 1) != 0 ^ cf;
                f.merge(LazyFlags.CF | LazyFlags.OF, (cf ? LazyFlags.CF : 0) | (of ? LazyFlags.OF : 0));
                return r;
            }
            case Shift.RCR -> {
                int c = size < 4 ? count % (bits + 1) : count;
                if (c == 0) {
                    boolean of0 = ((v >>> (bits - 1)) & 1) != ((v >>> (bits - 2)) & 1);
                    f.merge(LazyFlags.OF, of0 ? LazyFlags.OF : 0);
                    return a;
                }
                boolean cf = f.cf();
                long r = v;
                for (int i = 0; i < c; i++) {
                    boolean out = (r & 1) != 0;
                    r = (r >>> 1) | (cf ? 1L << (bits - 1) : 0);
                    cf = out;
                }
                // OF = the two top bits of the result differ (the SDM's count-1 rule; AMD uses it for all counts).
                boolean of = ((r >>> (bits - 1)) & 1) != ((r >>> (bits - 2)) & 1);
                f.merge(LazyFlags.CF | LazyFlags.OF, (cf ? LazyFlags.CF : 0) | (of ? LazyFlags.OF : 0));
                return r;
            }
            case Shift.SHL, Shift.SAL -> {
                long r = count >= 64 ? 0 : v << count;
                f.set(LazyFlags.SHL, size, v, count, r);
                return r;
            }
            case Shift.SHR -> {
                long r = v >>> count;
                f.set(LazyFlags.SHR, size, v, count, r);
                return r;
            }
            default -> {
                long r = sext(v, size) >> count;
                f.set(LazyFlags.SAR, size, v, count, r);
                return r;
            }
        }
    }

    /**
     * SHLD ({@code right} false) or SHRD: shifts {@code a} by the count, filling from {@code b}.
     * Returns {@code a} unchanged (and no flag change) when the masked count is zero.
     */
    static long doubleShift(LazyFlags f, boolean right, int size, long a, long b, int rawCount) {
        int count = rawCount & (size == 8 ? 63 : 31);
        if (count == 0) {
            return a;
        }
        int bits = size << 3;
        long m = mask(size);
        long va = a & m;
        long vb = b & m;
        long r;
        boolean cf;
        if (size == 2 && count > 16) {
            // Undefined by the SDM. AMD family 19h shifts the 48-bit value a:b:b (left) or b:b:a (right).
            long wide = right ? (va | (vb << 16) | (vb << 32)) : ((va << 32) | (vb << 16) | vb);
            r = right ? (wide >>> count) & m : (wide << count >>> 32) & m;
            cf = false; // measured on the host for counts 17-31
        } else if (right) {
            r = ((va >>> count) | (count == bits ? 0 : vb << (bits - count))) & m;
            if (count == bits) {
                r = vb;
            }
            cf = ((va >>> (count - 1)) & 1) != 0;
        } else {
            r = count == bits ? vb : ((va << count) | (vb >>> (bits - count))) & m;
            cf = ((va >>> (bits - count)) & 1) != 0;
        }
        boolean msb = ((r >>> (bits - 1)) & 1) != 0;
        // OF: for a count of 1 the sign change; for larger counts the host reference (AMD family 19h)
        // gives MSB xor CF (SHLD) and MSB xor the next bit (SHRD), which agree with it at count 1.
        boolean of = right ? msb != (((r >>> (bits - 2)) & 1) != 0) : msb != cf;
        if (!right && size == 2 && count >= 16) {
            of = cf; // measured: 16-bit SHLD by 16..31 reports OF = CF
        }
        // AF is undefined; AMD family 19h sets it, as for the single shifts.
        int fl = LazyFlags.AF | (cf ? LazyFlags.CF : 0) | (of ? LazyFlags.OF : 0) | ((r & m) == 0 ? LazyFlags.ZF : 0)
                | (((r >>> (bits - 1)) & 1) != 0 ? LazyFlags.SF : 0)
                | ((Integer.bitCount((int) r & 0xFF) & 1) == 0 ? LazyFlags.PF : 0);
        f.load(fl);
        return r;
    }
}

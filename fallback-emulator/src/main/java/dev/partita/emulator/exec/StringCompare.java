package dev.partita.emulator.exec;

import dev.partita.emulator.cpu.LazyFlags;
import dev.partita.emulator.decoder.DecodedInsn;
import dev.partita.emulator.decoder.Sse4Op;

/**
 * SSE4.2 PCMPESTRI, PCMPESTRM, PCMPISTRI, PCMPISTRM (SDM vol. 2, 4.1): the imm8 selects the element
 * format (unsigned/signed bytes/words), the aggregation (equal any, ranges, equal each, equal
 * ordered), the polarity and the output form. Operand A is the XMM register (ModRM.reg), operand B
 * the r/m operand. Lengths are implicit (first zero element) or explicit (|rAX| for A, |rDX| for B,
 * saturated to the element count). Results: rCX (index forms) or XMM0 (mask forms) and the flags
 * CF = result non-zero, ZF = B shorter than full, SF = A shorter than full, OF = result bit 0,
 * AF = PF = 0. Stateless.
 */
final class StringCompare {
    private StringCompare() {
    }

    static void execute(OperandAccess in, DecodedInsn d, int sub, long aLo, long aHi, long bLo, long bHi) {
        int imm = (int) d.imm & 0xFF;
        boolean words = (imm & 1) != 0;
        boolean signed = (imm & 2) != 0;
        int agg = (imm >>> 2) & 3;
        int polarity = (imm >>> 4) & 3;
        int n = words ? 8 : 16;
        int bytes = words ? 2 : 1;
        long[] a = elements(aLo, aHi, n, bytes, signed);
        long[] b = elements(bLo, bHi, n, bytes, signed);
        boolean explicit = sub == Sse4Op.PCMPESTRI || sub == Sse4Op.PCMPESTRM;
        int lenA;
        int lenB;
        if (explicit) {
            boolean wide = (d.prefixes & DecodedInsn.P_REXW) != 0;
            lenA = explicitLength(in.gpr[0], wide, n);
            lenB = explicitLength(in.gpr[2], wide, n);
        } else {
            lenA = implicitLength(a, n);
            lenB = implicitLength(b, n);
        }
        int res1 = 0;
        for (int j = 0; j < n; j++) {
            boolean bit;
            switch (agg) {
                case 0 -> { // equal any
                    bit = false;
                    for (int i = 0; i < lenA && !bit; i++) {
                        bit = j < lenB && a[i] == b[j];
                    }
                }
                case 1 -> { // ranges
                    bit = false;
                    for (int i = 0; i + 1 < lenA && !bit; i += 2) {
                        bit = j < lenB && b[j] >= a[i] && b[j] <= a[i + 1];
                    }
                }
                case 2 -> { // equal each
                    boolean va = j < lenA;
                    boolean vb = j < lenB;
                    bit = va && vb ? a[j] == b[j] : !va && !vb;
                }
                default -> { // equal ordered
                    bit = true;
                    for (int k = 0; k < n - j && bit; k++) {
                        boolean va = k < lenA;
                        boolean vb = j + k < lenB;
                        if (!va) {
                            break;
                        }
                        bit = vb && a[k] == b[j + k];
                    }
                }
            }
            if (bit) {
                res1 |= 1 << j;
            }
        }
        int full = (1 << n) - 1;
        int res2 = switch (polarity) {
            case 1 -> ~res1 & full;
            case 3 -> res1 ^ ((1 << lenB) - 1);
            default -> res1;
        };
        boolean index = sub == Sse4Op.PCMPESTRI || sub == Sse4Op.PCMPISTRI;
        if (index) {
            int idx;
            if (res2 == 0) {
                idx = n;
            } else if ((imm & 0x40) != 0) {
                idx = 31 - Integer.numberOfLeadingZeros(res2);
            } else {
                idx = Integer.numberOfTrailingZeros(res2);
            }
            in.setReg(1, 4, idx);
        } else {
            long lo = 0;
            long hi = 0;
            if ((imm & 0x40) == 0) {
                lo = res2 & 0xFFFFL;
            } else {
                for (int j = 0; j < n; j++) {
                    if ((res2 & (1 << j)) != 0) {
                        int per = 8 / bytes;
                        long m = bytes == 1 ? 0xFFL : 0xFFFFL;
                        if (j < per) {
                            lo |= m << (8 * bytes * j);
                        } else {
                            hi |= m << (8 * bytes * (j - per));
                        }
                    }
                }
            }
            in.cpu.xmm[0] = lo;
            in.cpu.xmm[1] = hi;
        }
        in.flags.load((res2 != 0 ? LazyFlags.CF : 0) | (lenB < n ? LazyFlags.ZF : 0) | (lenA < n ? LazyFlags.SF : 0)
                | ((res2 & 1) != 0 ? LazyFlags.OF : 0));
    }

    private static long[] elements(long lo, long hi, int n, int bytes, boolean signed) {
        long[] e = new long[n];
        int per = 8 / bytes;
        for (int i = 0; i < n; i++) {
            long c = i < per ? lo : hi;
            e[i] = signed ? PackedLanes.slane(c, i % per, bytes) : PackedLanes.lane(c, i % per, bytes);
        }
        return e;
    }

    private static int implicitLength(long[] e, int n) {
        for (int i = 0; i < n; i++) {
            if (e[i] == 0) {
                return i;
            }
        }
        return n;
    }

    private static int explicitLength(long reg, boolean wide, int n) {
        long v = wide ? reg : (int) reg;
        if (v == Long.MIN_VALUE) {
            return n;
        }
        long abs = Math.abs(v);
        return (int) Math.min(abs, n);
    }
}

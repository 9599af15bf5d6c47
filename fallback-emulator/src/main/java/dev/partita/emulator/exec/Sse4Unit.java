package dev.partita.emulator.exec;

import static dev.partita.emulator.exec.IntegerOps.mask;
import static dev.partita.emulator.exec.PackedLanes.lane;
import static dev.partita.emulator.exec.PackedLanes.put;
import static dev.partita.emulator.exec.PackedLanes.slane;

import dev.partita.emulator.cpu.ControlBits.Cr0;
import dev.partita.emulator.cpu.ControlBits.Cr4;
import dev.partita.emulator.cpu.CpuException;
import dev.partita.emulator.cpu.CpuState;
import dev.partita.emulator.cpu.LazyFlags;
import dev.partita.emulator.decoder.DecodedInsn;
import dev.partita.emulator.decoder.Sse4Op;

/**
 * SSE4.1 and SSE4.2, which the emulator's baseline CPUID profile (x86-64-v2) advertises: blends,
 * PTEST, sign/zero extensions, 64-bit compares, the min/max and multiply additions, PHMINPOSUW,
 * ROUNDxx, element insert/extract, PACKUSDW, MOVNTDQA, the four string compares PCMPxSTRx and
 * CRC32 (CRC-32C). Not implemented (raise #UD with a log line): DPPS, DPPD, MPSADBW. ROUNDxx reports
 * IE for SNaN and PE when inexact (unless suppressed); no other SSE4 instruction raises SIMD
 * floating-point exceptions. Owned by the vCPU thread.
 */
final class Sse4Unit {

    private final OperandAccess in;
    private final CpuState cpu;
    private final long[] x;
    private long sLo;
    private long sHi;

    Sse4Unit(OperandAccess in) {
        this.in = in;
        this.cpu = in.cpu;
        this.x = in.cpu.xmm;
    }

    private void load(DecodedInsn d, int bytes, boolean aligned) {
        if (d.rm >= 0) {
            sLo = x[2 * d.rm];
            sHi = x[2 * d.rm + 1];
            return;
        }
        long ea = in.ea(d);
        if (aligned && bytes == 16 && (ea & 15) != 0) {
            throw CpuException.gp(0);
        }
        if (bytes == 16) {
            long lo = in.read(d.seg, ea, 8);
            sHi = in.read(d.seg, (ea + 8) & mask(d.addrSize), 8);
            sLo = lo;
        } else {
            sLo = in.read(d.seg, ea, bytes);
            sHi = 0;
        }
    }

    /** General register number of an r/m operand that the table declares as a byte (Eb) but that means r32. */
    private static int gprOf(int rm) {
        return rm >= DecodedInsn.HIGH_BYTE_BASE ? rm - DecodedInsn.HIGH_BYTE_BASE + 4 : rm;
    }

    void execute(DecodedInsn d) {
        int sub = d.sub;
        if (sub == Sse4Op.CRC32_B || sub == Sse4Op.CRC32_V) {
            crc32(d);
            return;
        }
        if ((cpu.cr0 & Cr0.EM) != 0 || (cpu.cr4 & Cr4.OSFXSR) == 0) {
            throw CpuException.ud();
        }
        if ((cpu.cr0 & Cr0.TS) != 0) {
            throw CpuException.nm();
        }
        int dr = 2 * d.reg;
        long dLo = x[dr];
        long dHi = x[dr + 1];
        switch (sub) {
            case Sse4Op.PMOVSXBW, Sse4Op.PMOVSXBD, Sse4Op.PMOVSXBQ, Sse4Op.PMOVSXWD, Sse4Op.PMOVSXWQ,
                    Sse4Op.PMOVSXDQ, Sse4Op.PMOVZXBW, Sse4Op.PMOVZXBD, Sse4Op.PMOVZXBQ, Sse4Op.PMOVZXWD,
                    Sse4Op.PMOVZXWQ, Sse4Op.PMOVZXDQ -> extend(d, sub, dr);
            case Sse4Op.MOVNTDQA -> {
                load(d, 16, true);
                x[dr] = sLo;
                x[dr + 1] = sHi;
            }
            case Sse4Op.PEXTRB, Sse4Op.PEXTRW_M, Sse4Op.PEXTRD, Sse4Op.EXTRACTPS -> extract(d, sub, dLo, dHi);
            case Sse4Op.PINSRB, Sse4Op.PINSRD -> {
                int bytes = sub == Sse4Op.PINSRB ? 1 : d.size;
                long v = d.rm >= 0 ? in.reg(gprOf(d.rm), bytes == 8 ? 8 : 4) & mask(bytes)
                        : in.read(d.seg, in.ea(d), bytes);
                int n = 16 / bytes;
                int idx = (int) d.imm & (n - 1);
                int per = 8 / bytes;
                int c = dr + idx / per;
                x[c] = put(x[c], idx % per, bytes, v);
            }
            case Sse4Op.INSERTPS -> {
                int imm = (int) d.imm & 0xFF;
                long v;
                if (d.rm >= 0) {
                    int sel = imm >>> 6;
                    v = (x[2 * d.rm + (sel >> 1)] >>> (32 * (sel & 1))) & 0xFFFF_FFFFL;
                } else {
                    v = in.read(d.seg, in.ea(d), 4);
                }
                int dst = (imm >>> 4) & 3;
                long[] r = {dLo, dHi};
                r[dst >> 1] = put(r[dst >> 1], dst & 1, 4, v);
                for (int i = 0; i < 4; i++) {
                    if ((imm & (1 << i)) != 0) {
                        r[i >> 1] = put(r[i >> 1], i & 1, 4, 0);
                    }
                }
                x[dr] = r[0];
                x[dr + 1] = r[1];
            }
            case Sse4Op.ROUNDPS, Sse4Op.ROUNDPD, Sse4Op.ROUNDSS, Sse4Op.ROUNDSD -> round(d, sub, dr);
            case Sse4Op.PCMPESTRM, Sse4Op.PCMPESTRI, Sse4Op.PCMPISTRM, Sse4Op.PCMPISTRI -> {
                load(d, 16, false);
                StringCompare.execute(in, d, sub, dLo, dHi, sLo, sHi);
            }
            default -> packed(d, sub, dr, dLo, dHi);
        }
    }

    private void packed(DecodedInsn d, int sub, int dr, long dLo, long dHi) {
        load(d, 16, true);
        long rLo;
        long rHi;
        switch (sub) {
            case Sse4Op.PBLENDVB, Sse4Op.BLENDVPS, Sse4Op.BLENDVPD -> {
                int bytes = sub == Sse4Op.PBLENDVB ? 1 : sub == Sse4Op.BLENDVPS ? 4 : 8;
                rLo = blendBySign(dLo, sLo, x[0], bytes);
                rHi = blendBySign(dHi, sHi, x[1], bytes);
            }
            case Sse4Op.BLENDPS, Sse4Op.BLENDPD, Sse4Op.PBLENDW -> {
                int bytes = sub == Sse4Op.BLENDPS ? 4 : sub == Sse4Op.BLENDPD ? 8 : 2;
                int per = 8 / bytes;
                int imm = (int) d.imm & 0xFF;
                rLo = dLo;
                rHi = dHi;
                for (int i = 0; i < 16 / bytes; i++) {
                    if ((imm & (1 << i)) != 0) {
                        if (i < per) {
                            rLo = put(rLo, i, bytes, lane(sLo, i, bytes));
                        } else {
                            rHi = put(rHi, i - per, bytes, lane(sHi, i - per, bytes));
                        }
                    }
                }
            }
            case Sse4Op.PTEST -> {
                boolean zf = ((dLo & sLo) | (dHi & sHi)) == 0;
                boolean cf = ((~dLo & sLo) | (~dHi & sHi)) == 0;
                in.flags.load((zf ? LazyFlags.ZF : 0) | (cf ? LazyFlags.CF : 0));
                return;
            }
            case Sse4Op.PMULDQ -> {
                rLo = (long) (int) dLo * (long) (int) sLo;
                rHi = (long) (int) dHi * (long) (int) sHi;
            }
            case Sse4Op.PCMPEQQ -> {
                rLo = dLo == sLo ? -1L : 0;
                rHi = dHi == sHi ? -1L : 0;
            }
            case Sse4Op.PCMPGTQ -> {
                rLo = dLo > sLo ? -1L : 0;
                rHi = dHi > sHi ? -1L : 0;
            }
            case Sse4Op.PACKUSDW -> {
                rLo = packUsdw(dLo, dHi);
                rHi = packUsdw(sLo, sHi);
            }
            case Sse4Op.PMULLD -> {
                rLo = ((long) ((int) dLo * (int) sLo) & 0xFFFF_FFFFL)
                        | ((long) ((int) (dLo >>> 32) * (int) (sLo >>> 32)) << 32);
                rHi = ((long) ((int) dHi * (int) sHi) & 0xFFFF_FFFFL)
                        | ((long) ((int) (dHi >>> 32) * (int) (sHi >>> 32)) << 32);
            }
            case Sse4Op.PHMINPOSUW -> {
                long min = Long.MAX_VALUE;
                int idx = 0;
                for (int i = 0; i < 8; i++) {
                    long w = lane(i < 4 ? sLo : sHi, i & 3, 2);
                    if (w < min) {
                        min = w;
                        idx = i;
                    }
                }
                rLo = min | ((long) idx << 16);
                rHi = 0;
            }
            default -> {
                int op;
                int bytes;
                switch (sub) {
                    case Sse4Op.PMINSB -> { op = PackedLanes.MINS; bytes = 1; }
                    case Sse4Op.PMINSD -> { op = PackedLanes.MINS; bytes = 4; }
                    case Sse4Op.PMINUW -> { op = PackedLanes.MINU; bytes = 2; }
                    case Sse4Op.PMINUD -> { op = PackedLanes.MINU; bytes = 4; }
                    case Sse4Op.PMAXSB -> { op = PackedLanes.MAXS; bytes = 1; }
                    case Sse4Op.PMAXSD -> { op = PackedLanes.MAXS; bytes = 4; }
                    case Sse4Op.PMAXUW -> { op = PackedLanes.MAXU; bytes = 2; }
                    case Sse4Op.PMAXUD -> { op = PackedLanes.MAXU; bytes = 4; }
                    default -> throw SystemInterface.notImplemented(d.entry != null ? d.entry.mnemonic : "sse4 op " + sub);
                }
                rLo = PackedLanes.map(op, dLo, sLo, bytes);
                rHi = PackedLanes.map(op, dHi, sHi, bytes);
            }
        }
        x[dr] = rLo;
        x[dr + 1] = rHi;
    }

    private static long blendBySign(long a, long b, long maskChunk, int bytes) {
        long r = a;
        for (int i = 0; i < 8 / bytes; i++) {
            if (((maskChunk >>> (i * bytes * 8 + bytes * 8 - 1)) & 1) != 0) {
                r = put(r, i, bytes, lane(b, i, bytes));
            }
        }
        return r;
    }

    private static long packUsdw(long lo, long hi) {
        long r = 0;
        for (int i = 0; i < 4; i++) {
            long v = slane(i < 2 ? lo : hi, i & 1, 4);
            r = put(r, i, 2, PackedLanes.satUnsigned(v, 2));
        }
        return r;
    }

    private void extend(DecodedInsn d, int sub, int dr) {
        boolean signed = sub <= Sse4Op.PMOVSXDQ;
        int k = signed ? sub - Sse4Op.PMOVSXBW : sub - Sse4Op.PMOVZXBW;
        // from/to sizes: BW, BD, BQ, WD, WQ, DQ
        int[] from = {1, 1, 1, 2, 2, 4};
        int[] to = {2, 4, 8, 4, 8, 8};
        int f = from[k];
        int t = to[k];
        int n = 16 / t;
        load(d, n * f, false);
        long src = sLo;
        long lo = 0;
        long hi = 0;
        int per = 8 / t;
        for (int i = 0; i < n; i++) {
            long v = signed ? slane(src, i, f) : lane(src, i, f);
            if (i < per) {
                lo = put(lo, i, t, v);
            } else {
                hi = put(hi, i - per, t, v);
            }
        }
        x[dr] = lo;
        x[dr + 1] = hi;
    }

    private void extract(DecodedInsn d, int sub, long dLo, long dHi) {
        int bytes = switch (sub) {
            case Sse4Op.PEXTRB -> 1;
            case Sse4Op.PEXTRW_M -> 2;
            case Sse4Op.EXTRACTPS -> 4;
            default -> d.size;
        };
        int n = 16 / bytes;
        int idx = (int) d.imm & (n - 1);
        int per = 8 / bytes;
        long v = lane(idx < per ? dLo : dHi, idx % per, bytes);
        if (d.rm >= 0) {
            int r = gprOf(d.rm);
            in.setReg(r, sub == Sse4Op.PEXTRD ? d.size : 4, v); // 32-bit writes zero-extend
        } else {
            in.write(d.seg, in.ea(d), bytes, v);
        }
    }

    private void round(DecodedInsn d, int sub, int dr) {
        boolean single = sub == Sse4Op.ROUNDPS || sub == Sse4Op.ROUNDSS;
        boolean scalar = sub == Sse4Op.ROUNDSS || sub == Sse4Op.ROUNDSD;
        load(d, scalar ? (single ? 4 : 8) : 16, !scalar);
        int imm = (int) d.imm & 0xF;
        int mode = (imm & 4) != 0 ? (cpu.mxcsr >>> 13) & 3 : imm & 3;
        boolean suppressPrecision = (imm & 8) != 0;
        int[] exc = {0};
        long lo;
        long hi;
        if (single) {
            int lanes = scalar ? 1 : 4;
            long[] src = {sLo, sHi};
            long[] out = {x[dr], x[dr + 1]};
            for (int i = 0; i < lanes; i++) {
                float v = Float.intBitsToFloat((int) (src[i >> 1] >>> (32 * (i & 1))));
                float r = (float) roundIntegral(v, mode, suppressPrecision, exc, SseExceptions.snan(v));
                if (Float.isNaN(v)) {
                    r = Float.intBitsToFloat(Float.floatToRawIntBits(v) | 0x0040_0000);
                }
                out[i >> 1] = put(out[i >> 1], i & 1, 4, Float.floatToRawIntBits(r) & 0xFFFF_FFFFL);
            }
            lo = out[0];
            hi = out[1];
        } else {
            double a = Double.longBitsToDouble(sLo);
            double ra = roundIntegral(a, mode, suppressPrecision, exc, SseExceptions.snan(a));
            lo = Double.isNaN(a) ? sLo | 0x0008_0000_0000_0000L : Double.doubleToRawLongBits(ra);
            if (scalar) {
                hi = x[dr + 1];
            } else {
                double b = Double.longBitsToDouble(sHi);
                double rb = roundIntegral(b, mode, suppressPrecision, exc, SseExceptions.snan(b));
                hi = Double.isNaN(b) ? sHi | 0x0008_0000_0000_0000L : Double.doubleToRawLongBits(rb);
            }
        }
        if (exc[0] != 0) {
            cpu.mxcsr |= exc[0];
            if ((exc[0] & ~(cpu.mxcsr >>> 7) & 0x3F) != 0) {
                throw (cpu.cr4 & Cr4.OSXMMEXCPT) != 0 ? CpuException.of(dev.partita.emulator.cpu.Vectors.XM)
                        : CpuException.ud();
            }
        }
        x[dr] = lo;
        x[dr + 1] = hi;
    }

    private static double roundIntegral(double v, int mode, boolean suppressPrecision, int[] exc, boolean snan) {
        if (Double.isNaN(v)) {
            if (snan) {
                exc[0] |= SseExceptions.IE;
            }
            return v;
        }
        double r = switch (mode) {
            case 0 -> Math.rint(v);
            case 1 -> Math.floor(v);
            case 2 -> Math.ceil(v);
            default -> v < 0 ? Math.ceil(v) : Math.floor(v);
        };
        r = Math.copySign(r, v); // rounding keeps the sign of zero results
        if (r != v && !suppressPrecision) {
            exc[0] |= SseExceptions.PE;
        }
        return r;
    }

    // ---- CRC32 (CRC-32C, reflected polynomial 0x82F63B78, no pre/post inversion)

    private static final int[] CRC_TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int c = i;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ 0x82F6_3B78 : c >>> 1;
            }
            CRC_TABLE[i] = c;
        }
    }

    private void crc32(DecodedInsn d) {
        int bytes = d.sub == Sse4Op.CRC32_B ? 1 : d.opSize;
        long v = in.readRm(d, bytes);
        int crc = (int) in.gpr[d.reg];
        for (int i = 0; i < bytes; i++) {
            crc = (crc >>> 8) ^ CRC_TABLE[(crc ^ (int) (v >>> (8 * i))) & 0xFF];
        }
        in.setReg(d.reg, d.size == 8 ? 8 : 4, crc & 0xFFFF_FFFFL);
    }
}

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
import dev.partita.emulator.decoder.OperandKind;
import dev.partita.emulator.decoder.SimdOp;

/**
 * MMX, SSE, SSE2, SSE3 and SSSE3 instructions (the forms compilers and C libraries emit) and the
 * state instructions FXSAVE/FXRSTOR/LDMXCSR/STMXCSR. XMM registers are {@code cpu.xmm[2n]} (low
 * qword) and {@code cpu.xmm[2n+1]}; MMX registers alias the x87 significands, and MMX instructions
 * set TOP = 0 and tag every register valid (EMMS empties them).
 *
 * <p>Floating point follows IEEE 754 with round-to-nearest through Java arithmetic; MXCSR's rounding
 * control is honoured by the conversions (CVTSS2SI, CVTPS2DQ…), not by arithmetic; DAZ/FTZ are not
 * applied and SIMD exceptions are not raised or flagged (documented gaps). RCPPS/RSQRTPS return the
 * exact reciprocal (real CPUs return a 12-bit approximation). Legacy-SSE 16-byte memory operands
 * must be aligned (#GP(0)) except for the unaligned moves, as on hardware.
 *
 * <p>Why one class: it is the operand plumbing of the SIMD opcode space (the CR0/CR4 enable and
 * #NM checks, XMM, MMX and memory operand fetch with the alignment rules, the fetched source that
 * {@link SimdFloat} and {@link Sse4Unit} also read through it) and the integer switch that uses
 * them; lane arithmetic lives in {@link PackedLanes}, floating point in {@link SimdFloat}, SSE4 in
 * {@link Sse4Unit} and the FXSAVE image in {@link FxsaveLayout}.
 *
 * <p>Owned by the vCPU thread.
 */
final class SimdUnit {

    private final OperandAccess in;
    private final CpuState cpu;
    private final long[] x;
    /** Source operand after {@link #loadSource}. */
    private long sLo;
    private long sHi;
    /** MXCSR exception flags raised by the current SSE floating-point instruction. */
    int exc;
    /** MXCSR at the start of the current instruction (rounding control, DAZ, FTZ, masks). */
    int mx;

    SimdUnit(OperandAccess in) {
        this.in = in;
        this.cpu = in.cpu;
        this.x = in.cpu.xmm;
    }

    // ------------------------------------------------------------------ operand access

    private void checkSse() {
        if ((cpu.cr0 & Cr0.EM) != 0 || (cpu.cr4 & Cr4.OSFXSR) == 0) {
            throw CpuException.ud();
        }
        if ((cpu.cr0 & Cr0.TS) != 0) {
            throw CpuException.nm();
        }
    }

    private void checkMmx() {
        if ((cpu.cr0 & Cr0.EM) != 0) {
            throw CpuException.ud();
        }
        if ((cpu.cr0 & Cr0.TS) != 0) {
            throw CpuException.nm();
        }
        cpu.fsw &= ~(7 << 11);
        cpu.ftwAbridged = 0xFF;
    }

    private long mmx(int r) {
        return cpu.fpuMantissa[r & 7];
    }

    private void setMmx(int r, long v) {
        cpu.fpuMantissa[r & 7] = v;
        cpu.fpuExponent[r & 7] = 0xFFFF;
    }

    private long memAddr(DecodedInsn d, int bytes, boolean aligned) {
        long ea = in.ea(d);
        if (aligned && bytes == 16 && (ea & 15) != 0) {
            throw CpuException.gp(0);
        }
        return ea;
    }

    /** Loads the r/m source: {@code bytes} 4, 8 or 16; register sources come from XMM or MMX by {@code xmmSource}. */
    private void loadSource(DecodedInsn d, int bytes, boolean xmmSource, boolean aligned) {
        if (d.rm >= 0) {
            if (xmmSource) {
                sLo = x[2 * d.rm];
                sHi = x[2 * d.rm + 1];
            } else {
                sLo = mmx(d.rm);
                sHi = 0;
            }
            return;
        }
        long ea = memAddr(d, bytes, aligned);
        if (bytes == 16) {
            long lo = in.read(d.seg, ea, 8);
            sHi = in.read(d.seg, (ea + 8) & mask(d.addrSize), 8);
            sLo = lo;
        } else {
            sLo = in.read(d.seg, ea, bytes);
            sHi = 0;
        }
    }

    private void storeMemory(DecodedInsn d, int bytes, long lo, long hi, boolean aligned) {
        long ea = memAddr(d, bytes, aligned);
        if (bytes == 16) {
            in.mmu.probeWrite(d.seg, ea, 16);
            in.write(d.seg, ea, 8, lo);
            in.write(d.seg, (ea + 8) & mask(d.addrSize), 8, hi);
        } else {
            in.write(d.seg, ea, bytes, lo);
        }
    }

    private static boolean firstIsRm(DecodedInsn d) {
        int m = OperandKind.method(d.entry.operand(0));
        return m == OperandKind.W || m == OperandKind.Q || m == OperandKind.M || m == OperandKind.E;
    }

    private void setX(int r, long lo, long hi) {
        x[2 * r] = lo;
        x[2 * r + 1] = hi;
    }

    // ------------------------------------------------------------------ dispatch

    void execute(DecodedInsn d) {
        boolean wide = d.vlen == 16;
        if (wide) {
            checkSse();
        } else {
            checkMmx();
        }
        int sub = d.sub;
        switch (sub) {
            case SimdOp.MOVUPS, SimdOp.MOVAPS, SimdOp.MOVDQA, SimdOp.MOVDQU, SimdOp.LDDQU -> {
                boolean aligned = sub == SimdOp.MOVAPS || sub == SimdOp.MOVDQA;
                if (firstIsRm(d)) {
                    long lo = x[2 * d.reg];
                    long hi = x[2 * d.reg + 1];
                    if (d.rm >= 0) {
                        setX(d.rm, lo, hi);
                    } else {
                        storeMemory(d, 16, lo, hi, aligned);
                    }
                } else {
                    loadSource(d, 16, true, aligned);
                    setX(d.reg, sLo, sHi);
                }
            }
            case SimdOp.MOVQ_VEC -> {
                if (firstIsRm(d)) {
                    if (d.rm >= 0) {
                        setMmx(d.rm, mmx(d.reg));
                    } else {
                        storeMemory(d, 8, mmx(d.reg), 0, false);
                    }
                } else {
                    loadSource(d, 8, false, false);
                    setMmx(d.reg, sLo);
                }
            }
            case SimdOp.MOVSS, SimdOp.MOVSD -> {
                int bytes = sub == SimdOp.MOVSS ? 4 : 8;
                long m = mask(bytes);
                if (firstIsRm(d)) {
                    if (d.rm >= 0) {
                        x[2 * d.rm] = (x[2 * d.rm] & ~m) | (x[2 * d.reg] & m);
                    } else {
                        storeMemory(d, bytes, x[2 * d.reg] & m, 0, false);
                    }
                } else if (d.rm >= 0) {
                    x[2 * d.reg] = (x[2 * d.reg] & ~m) | (x[2 * d.rm] & m);
                } else {
                    loadSource(d, bytes, true, false);
                    setX(d.reg, sLo, 0);
                }
            }
            case SimdOp.MOVLPS_LOAD -> {
                loadSource(d, 8, true, false);
                x[2 * d.reg] = sLo;
            }
            case SimdOp.MOVLPS_STORE -> storeMemory(d, 8, x[2 * d.reg], 0, false);
            case SimdOp.MOVHLPS -> x[2 * d.reg] = x[2 * d.rm + 1];
            case SimdOp.MOVHPS_LOAD -> {
                loadSource(d, 8, true, false);
                x[2 * d.reg + 1] = sLo;
            }
            case SimdOp.MOVHPS_STORE -> storeMemory(d, 8, x[2 * d.reg + 1], 0, false);
            case SimdOp.MOVLHPS -> x[2 * d.reg + 1] = x[2 * d.rm];
            case SimdOp.MOVSLDUP, SimdOp.MOVSHDUP -> {
                loadSource(d, 16, true, true);
                int sh = sub == SimdOp.MOVSLDUP ? 0 : 32;
                long a = (sLo >>> sh) & 0xFFFF_FFFFL;
                long b = (sHi >>> sh) & 0xFFFF_FFFFL;
                setX(d.reg, a | (a << 32), b | (b << 32));
            }
            case SimdOp.MOVDDUP -> {
                loadSource(d, 8, true, false);
                setX(d.reg, sLo, sLo);
            }
            case SimdOp.UNPCKLPS, SimdOp.UNPCKHPS -> {
                loadSource(d, 16, true, true);
                long dv = sub == SimdOp.UNPCKLPS ? x[2 * d.reg] : x[2 * d.reg + 1];
                long sv = sub == SimdOp.UNPCKLPS ? sLo : sHi;
                setX(d.reg, (dv & 0xFFFF_FFFFL) | (sv << 32), (dv >>> 32) | (sv & 0xFFFF_FFFF_0000_0000L));
            }
            case SimdOp.UNPCKLPD -> {
                loadSource(d, 16, true, true);
                x[2 * d.reg + 1] = sLo;
            }
            case SimdOp.UNPCKHPD -> {
                loadSource(d, 16, true, true);
                setX(d.reg, x[2 * d.reg + 1], sHi);
            }
            case SimdOp.MOVD_TO_VEC -> {
                long v = in.readRm(d, d.size);
                if (wide) {
                    setX(d.reg, v, 0);
                } else {
                    setMmx(d.reg, v);
                }
            }
            case SimdOp.MOVD_FROM_VEC -> in.writeRm(d, d.size, wide ? x[2 * d.reg] : mmx(d.reg));
            case SimdOp.MOVQ_LOAD_XMM -> {
                loadSource(d, 8, true, false);
                setX(d.reg, sLo, 0);
            }
            case SimdOp.MOVQ_STORE_XMM -> {
                if (d.rm >= 0) {
                    setX(d.rm, x[2 * d.reg], 0);
                } else {
                    storeMemory(d, 8, x[2 * d.reg], 0, false);
                }
            }
            case SimdOp.MOVQ2DQ -> {
                checkMmx();
                setX(d.reg, mmx(d.rm), 0);
            }
            case SimdOp.MOVDQ2Q -> {
                checkMmx();
                setMmx(d.reg, x[2 * d.rm]);
            }
            case SimdOp.MOVMSKPS -> {
                long lo = x[2 * d.rm];
                long hi = x[2 * d.rm + 1];
                in.setReg(d.reg, 4, (lo >>> 31 & 1) | (lo >>> 62 & 2) | ((hi >>> 31 & 1) << 2) | ((hi >>> 63) << 3));
            }
            case SimdOp.MOVMSKPD -> in.setReg(d.reg, 4, (x[2 * d.rm] >>> 63) | ((x[2 * d.rm + 1] >>> 63) << 1));
            case SimdOp.PMOVMSKB -> {
                long lo = wide ? x[2 * d.rm] : mmx(d.rm);
                long r = byteSigns(lo);
                if (wide) {
                    r |= byteSigns(x[2 * d.rm + 1]) << 8;
                }
                in.setReg(d.reg, 4, r);
            }
            case SimdOp.ANDPS, SimdOp.PAND -> bitwise(d, wide, 0);
            case SimdOp.ANDNPS, SimdOp.PANDN -> bitwise(d, wide, 1);
            case SimdOp.ORPS, SimdOp.POR -> bitwise(d, wide, 2);
            case SimdOp.XORPS, SimdOp.PXOR -> bitwise(d, wide, 3);
            case SimdOp.EMMS -> cpu.ftwAbridged = 0;
            case SimdOp.MASKMOVQ -> maskMove(d, wide);
            default -> {
                if (sub >= SimdOp.SQRTPS && sub <= SimdOp.CVTPD2DQ || sub == SimdOp.CMPPS || sub == SimdOp.CMPPD
                        || sub == SimdOp.CMPSS || sub == SimdOp.CMPSD || sub >= SimdOp.CVTPI2PS && sub <= SimdOp.COMISD
                        || sub == SimdOp.SHUFPS || sub == SimdOp.SHUFPD || sub >= SimdOp.HADDPS && sub <= SimdOp.ADDSUBPD) {
                    SimdFloat.execute(this, d);
                } else {
                    integer(d, wide);
                }
            }
        }
    }

    // ---- accessors for SimdFloat

    OperandAccess operands() {
        return in;
    }

    long[] xmm() {
        return x;
    }

    long srcLo() {
        return sLo;
    }

    long srcHi() {
        return sHi;
    }

    /** Loads the source for a float op: 16 bytes (aligned) or a scalar of {@code bytes}. */
    void loadFloatSource(DecodedInsn d, int bytes, boolean xmmSource) {
        loadSource(d, bytes, xmmSource, bytes == 16);
    }

    long mmxReg(int r) {
        return mmx(r);
    }

    void setMmxReg(int r, long v) {
        checkMmx();
        setMmx(r, v);
    }

    // ------------------------------------------------------------------ integer

    private static long byteSigns(long v) {
        long r = 0;
        for (int i = 0; i < 8; i++) {
            r |= ((v >>> (i * 8 + 7)) & 1) << i;
        }
        return r;
    }

    private void bitwise(DecodedInsn d, boolean wide, int kind) {
        loadSource(d, wide ? 16 : 8, wide, true);
        if (wide) {
            long a = x[2 * d.reg];
            long b = x[2 * d.reg + 1];
            setX(d.reg, logic(kind, a, sLo), logic(kind, b, sHi));
        } else {
            setMmx(d.reg, logic(kind, mmx(d.reg), sLo));
        }
    }

    private static long logic(int kind, long a, long b) {
        return switch (kind) {
            case 0 -> a & b;
            case 1 -> ~a & b;
            case 2 -> a | b;
            default -> a ^ b;
        };
    }

    private void maskMove(DecodedInsn d, boolean wide) {
        int n = wide ? 16 : 8;
        long base = in.reg(7, d.addrSize);
        for (int i = 0; i < n; i++) {
            long maskChunk = wide ? x[2 * d.rm + (i >> 3)] : mmx(d.rm);
            if (((maskChunk >>> ((i & 7) * 8 + 7)) & 1) != 0) {
                long dataChunk = wide ? x[2 * d.reg + (i >> 3)] : mmx(d.reg);
                in.write(d.seg, (base + i) & mask(d.addrSize), 1, dataChunk >>> ((i & 7) * 8));
            }
        }
    }

    /** Packed-integer ops: both chunks of an XMM register, or the single MMX chunk. */
    private void integer(DecodedInsn d, boolean wide) {
        int sub = d.sub;
        // Shifts by immediate: the register operand is in rm.
        switch (sub) {
            case SimdOp.PSRLW_I, SimdOp.PSRAW_I, SimdOp.PSLLW_I, SimdOp.PSRLD_I, SimdOp.PSRAD_I, SimdOp.PSLLD_I,
                    SimdOp.PSRLQ_I, SimdOp.PSLLQ_I -> {
                int bytes = sub <= SimdOp.PSLLW_I ? 2 : sub <= SimdOp.PSLLD_I ? 4 : 8;
                int kind = switch (sub) {
                    case SimdOp.PSLLW_I, SimdOp.PSLLD_I, SimdOp.PSLLQ_I -> 0;
                    case SimdOp.PSRAW_I, SimdOp.PSRAD_I -> 2;
                    default -> 1;
                };
                long c = d.imm & 0xFF;
                if (wide) {
                    setX(d.rm, PackedLanes.shift(x[2 * d.rm], bytes, c, kind),
                            PackedLanes.shift(x[2 * d.rm + 1], bytes, c, kind));
                } else {
                    setMmx(d.rm, PackedLanes.shift(mmx(d.rm), bytes, c, kind));
                }
                return;
            }
            case SimdOp.PSRLDQ, SimdOp.PSLLDQ -> {
                int c = (int) Math.min(16, d.imm & 0xFF);
                long lo = x[2 * d.rm];
                long hi = x[2 * d.rm + 1];
                byte[] b = new byte[32];
                for (int i = 0; i < 8; i++) {
                    b[8 + i] = (byte) (lo >>> (8 * i));
                    b[16 + i] = (byte) (hi >>> (8 * i));
                }
                long nlo = 0;
                long nhi = 0;
                for (int i = 0; i < 16; i++) {
                    int srcIdx = sub == SimdOp.PSRLDQ ? i + c : i - c;
                    int v = srcIdx >= 0 && srcIdx < 16 ? b[8 + srcIdx] & 0xFF : 0;
                    if (i < 8) {
                        nlo |= (long) v << (8 * i);
                    } else {
                        nhi |= (long) v << (8 * (i - 8));
                    }
                }
                setX(d.rm, nlo, nhi);
                return;
            }
            case SimdOp.PEXTRW -> {
                int idx = (int) d.imm & (wide ? 7 : 3);
                long chunk = wide ? x[2 * d.rm + (idx >> 2)] : mmx(d.rm);
                in.setReg(d.reg, 4, (chunk >>> ((idx & 3) * 16)) & 0xFFFF);
                return;
            }
            case SimdOp.PINSRW -> {
                int idx = (int) d.imm & (wide ? 7 : 3);
                long v = in.readRm(d, 2) & 0xFFFF;
                if (wide) {
                    int c = 2 * d.reg + (idx >> 2);
                    x[c] = put(x[c], idx & 3, 2, v);
                } else {
                    setMmx(d.reg, put(mmx(d.reg), idx & 3, 2, v));
                }
                return;
            }
            default -> {
            }
        }
        loadSource(d, wide ? 16 : 8, wide, true);
        long dLo = wide ? x[2 * d.reg] : mmx(d.reg);
        long dHi = wide ? x[2 * d.reg + 1] : 0;
        long rLo;
        long rHi;
        switch (sub) {
            case SimdOp.PUNPCKLBW, SimdOp.PUNPCKLWD, SimdOp.PUNPCKLDQ, SimdOp.PUNPCKLQDQ -> {
                int bytes = sub == SimdOp.PUNPCKLBW ? 1 : sub == SimdOp.PUNPCKLWD ? 2 : sub == SimdOp.PUNPCKLDQ ? 4 : 8;
                if (wide) {
                    rLo = interleave(dLo, sLo, bytes, 0);
                    rHi = interleave(dLo, sLo, bytes, 1);
                } else {
                    rLo = interleave(dLo, sLo, bytes, 0);
                    rHi = 0;
                }
            }
            case SimdOp.PUNPCKHBW, SimdOp.PUNPCKHWD, SimdOp.PUNPCKHDQ, SimdOp.PUNPCKHQDQ -> {
                int bytes = sub == SimdOp.PUNPCKHBW ? 1 : sub == SimdOp.PUNPCKHWD ? 2 : sub == SimdOp.PUNPCKHDQ ? 4 : 8;
                if (wide) {
                    rLo = interleave(dHi, sHi, bytes, 0);
                    rHi = interleave(dHi, sHi, bytes, 1);
                } else {
                    rLo = interleave(dLo, sLo, bytes, 1);
                    rHi = 0;
                }
            }
            case SimdOp.PACKSSWB, SimdOp.PACKUSWB, SimdOp.PACKSSDW -> {
                int from = sub == SimdOp.PACKSSDW ? 4 : 2;
                boolean unsigned = sub == SimdOp.PACKUSWB;
                if (wide) {
                    rLo = pack(dLo, dHi, from, unsigned);
                    rHi = pack(sLo, sHi, from, unsigned);
                } else {
                    rLo = pack(dLo, sLo, from, unsigned);
                    rHi = 0;
                }
            }
            case SimdOp.PSHUFW, SimdOp.PSHUFD, SimdOp.PSHUFHW, SimdOp.PSHUFLW -> {
                int imm = (int) d.imm & 0xFF;
                if (sub == SimdOp.PSHUFW) {
                    rLo = shuffle4(sLo, 0, imm, 2);
                    rHi = 0;
                } else if (sub == SimdOp.PSHUFD) {
                    rLo = 0;
                    rHi = 0;
                    for (int i = 0; i < 4; i++) {
                        int sel = (imm >>> (2 * i)) & 3;
                        long v = ((sel < 2 ? sLo : sHi) >>> (32 * (sel & 1))) & 0xFFFF_FFFFL;
                        if (i < 2) {
                            rLo |= v << (32 * i);
                        } else {
                            rHi |= v << (32 * (i - 2));
                        }
                    }
                } else if (sub == SimdOp.PSHUFHW) {
                    rLo = sLo;
                    rHi = shuffle4(sHi, 0, imm, 2);
                } else {
                    rLo = shuffle4(sLo, 0, imm, 2);
                    rHi = sHi;
                }
            }
            case SimdOp.PSRLW, SimdOp.PSRLD, SimdOp.PSRLQ, SimdOp.PSRAW, SimdOp.PSRAD, SimdOp.PSLLW, SimdOp.PSLLD,
                    SimdOp.PSLLQ -> {
                int bytes = switch (sub) {
                    case SimdOp.PSRLW, SimdOp.PSRAW, SimdOp.PSLLW -> 2;
                    case SimdOp.PSRLD, SimdOp.PSRAD, SimdOp.PSLLD -> 4;
                    default -> 8;
                };
                int kind = switch (sub) {
                    case SimdOp.PSLLW, SimdOp.PSLLD, SimdOp.PSLLQ -> 0;
                    case SimdOp.PSRAW, SimdOp.PSRAD -> 2;
                    default -> 1;
                };
                rLo = PackedLanes.shift(dLo, bytes, sLo, kind);
                rHi = wide ? PackedLanes.shift(dHi, bytes, sLo, kind) : 0;
            }
            case SimdOp.PMULUDQ -> {
                rLo = (dLo & 0xFFFF_FFFFL) * (sLo & 0xFFFF_FFFFL);
                rHi = (dHi & 0xFFFF_FFFFL) * (sHi & 0xFFFF_FFFFL);
            }
            case SimdOp.PMADDWD -> {
                rLo = maddwd(dLo, sLo);
                rHi = maddwd(dHi, sHi);
            }
            case SimdOp.PSADBW -> {
                rLo = sad(dLo, sLo);
                rHi = sad(dHi, sHi);
            }
            case SimdOp.PMADDUBSW -> {
                rLo = maddubsw(dLo, sLo);
                rHi = maddubsw(dHi, sHi);
            }
            case SimdOp.PSHUFB -> {
                long[] r = pshufb(dLo, dHi, sLo, sHi, wide);
                rLo = r[0];
                rHi = r[1];
            }
            case SimdOp.PALIGNR -> {
                int c = (int) d.imm & 0xFF;
                int n = wide ? 16 : 8;
                byte[] cat = new byte[2 * n];
                for (int i = 0; i < n; i++) {
                    long sc = i < 8 ? sLo : sHi;
                    long dc = i < 8 ? dLo : dHi;
                    cat[i] = (byte) (sc >>> (8 * (i & 7)));
                    cat[n + i] = (byte) (dc >>> (8 * (i & 7)));
                }
                rLo = 0;
                rHi = 0;
                for (int i = 0; i < n; i++) {
                    int k = i + c;
                    long v = k < 2 * n ? cat[k] & 0xFF : 0;
                    if (i < 8) {
                        rLo |= v << (8 * i);
                    } else {
                        rHi |= v << (8 * (i - 8));
                    }
                }
            }
            case SimdOp.PHADDW, SimdOp.PHADDD, SimdOp.PHADDSW, SimdOp.PHSUBW, SimdOp.PHSUBD, SimdOp.PHSUBSW -> {
                long[] r = horizontal(sub, dLo, dHi, sLo, sHi, wide);
                rLo = r[0];
                rHi = r[1];
            }
            default -> {
                int op;
                int bytes;
                switch (sub) {
                    case SimdOp.PADDB, SimdOp.PADDW, SimdOp.PADDD, SimdOp.PADDQ, SimdOp.PSUBB, SimdOp.PSUBW,
                            SimdOp.PSUBD, SimdOp.PSUBQ -> {
                        bytes = switch (sub) {
                            case SimdOp.PADDB, SimdOp.PSUBB -> 1;
                            case SimdOp.PADDW, SimdOp.PSUBW -> 2;
                            case SimdOp.PADDD, SimdOp.PSUBD -> 4;
                            default -> 8;
                        };
                        boolean add = sub == SimdOp.PADDB || sub == SimdOp.PADDW || sub == SimdOp.PADDD
                                || sub == SimdOp.PADDQ;
                        rLo = add ? PackedLanes.add(dLo, sLo, bytes) : PackedLanes.sub(dLo, sLo, bytes);
                        rHi = add ? PackedLanes.add(dHi, sHi, bytes) : PackedLanes.sub(dHi, sHi, bytes);
                        store(d, wide, rLo, rHi);
                        return;
                    }
                    case SimdOp.PCMPEQB -> {
                        rLo = cmpeqBytes(dLo, sLo);
                        rHi = cmpeqBytes(dHi, sHi);
                        store(d, wide, rLo, rHi);
                        return;
                    }
                    case SimdOp.PADDSB -> { op = PackedLanes.ADDS; bytes = 1; }
                    case SimdOp.PADDSW -> { op = PackedLanes.ADDS; bytes = 2; }
                    case SimdOp.PADDUSB -> { op = PackedLanes.ADDUS; bytes = 1; }
                    case SimdOp.PADDUSW -> { op = PackedLanes.ADDUS; bytes = 2; }
                    case SimdOp.PSUBSB -> { op = PackedLanes.SUBS; bytes = 1; }
                    case SimdOp.PSUBSW -> { op = PackedLanes.SUBS; bytes = 2; }
                    case SimdOp.PSUBUSB -> { op = PackedLanes.SUBUS; bytes = 1; }
                    case SimdOp.PSUBUSW -> { op = PackedLanes.SUBUS; bytes = 2; }
                    case SimdOp.PCMPEQW -> { op = PackedLanes.CMPEQ; bytes = 2; }
                    case SimdOp.PCMPEQD -> { op = PackedLanes.CMPEQ; bytes = 4; }
                    case SimdOp.PCMPGTB -> { op = PackedLanes.CMPGT; bytes = 1; }
                    case SimdOp.PCMPGTW -> { op = PackedLanes.CMPGT; bytes = 2; }
                    case SimdOp.PCMPGTD -> { op = PackedLanes.CMPGT; bytes = 4; }
                    case SimdOp.PMINUB -> { op = PackedLanes.MINU; bytes = 1; }
                    case SimdOp.PMAXUB -> { op = PackedLanes.MAXU; bytes = 1; }
                    case SimdOp.PMINSW -> { op = PackedLanes.MINS; bytes = 2; }
                    case SimdOp.PMAXSW -> { op = PackedLanes.MAXS; bytes = 2; }
                    case SimdOp.PAVGB -> { op = PackedLanes.AVG; bytes = 1; }
                    case SimdOp.PAVGW -> { op = PackedLanes.AVG; bytes = 2; }
                    case SimdOp.PMULLW -> { op = PackedLanes.MULLO; bytes = 2; }
                    case SimdOp.PMULHW -> { op = PackedLanes.MULHI; bytes = 2; }
                    case SimdOp.PMULHUW -> { op = PackedLanes.MULHU; bytes = 2; }
                    case SimdOp.PMULHRSW -> { op = PackedLanes.MULHRS; bytes = 2; }
                    case SimdOp.PSIGNB -> { op = PackedLanes.SIGN; bytes = 1; }
                    case SimdOp.PSIGNW -> { op = PackedLanes.SIGN; bytes = 2; }
                    case SimdOp.PSIGND -> { op = PackedLanes.SIGN; bytes = 4; }
                    case SimdOp.PABSB -> { op = PackedLanes.ABS; bytes = 1; }
                    case SimdOp.PABSW -> { op = PackedLanes.ABS; bytes = 2; }
                    case SimdOp.PABSD -> { op = PackedLanes.ABS; bytes = 4; }
                    default -> throw SystemInterface.notImplemented(d.entry.mnemonic);
                }
                rLo = PackedLanes.map(op, dLo, sLo, bytes);
                rHi = wide ? PackedLanes.map(op, dHi, sHi, bytes) : 0;
            }
        }
        store(d, wide, rLo, rHi);
    }

    private void store(DecodedInsn d, boolean wide, long lo, long hi) {
        if (wide) {
            setX(d.reg, lo, hi);
        } else {
            setMmx(d.reg, lo);
        }
    }

    private static long cmpeqBytes(long a, long b) {
        long z = a ^ b; // zero bytes where equal
        long t = ((z & 0x7F7F_7F7F_7F7F_7F7FL) + 0x7F7F_7F7F_7F7F_7F7FL) | z; // high bit set where non-zero
        long ne = t & 0x8080_8080_8080_8080L;
        long eqHigh = ~ne & 0x8080_8080_8080_8080L;
        return (eqHigh >>> 7) * 0xFF;
    }

    /** Interleaves the low (half 0) or high (half 1) 32 bits' lanes of {@code a} and {@code b}. */
    private static long interleave(long a, long b, int bytes, int half) {
        if (bytes == 8) {
            return half == 0 ? a : b;
        }
        int n = 4 / bytes; // lanes taken from each source
        long r = 0;
        for (int i = 0; i < n; i++) {
            int src = half * n + i;
            r = put(r, 2 * i, bytes, lane(a, src, bytes));
            r = put(r, 2 * i + 1, bytes, lane(b, src, bytes));
        }
        return r;
    }

    private static long pack(long a, long b, int from, boolean unsigned) {
        int to = from / 2;
        int n = 8 / from;
        long r = 0;
        for (int i = 0; i < n; i++) {
            long va = slane(a, i, from);
            long vb = slane(b, i, from);
            r = put(r, i, to, unsigned ? PackedLanes.satUnsigned(va, to) : PackedLanes.satSigned(va, to));
            r = put(r, n + i, to, unsigned ? PackedLanes.satUnsigned(vb, to) : PackedLanes.satSigned(vb, to));
        }
        return r;
    }

    private static long shuffle4(long v, int unused, int imm, int bytes) {
        long r = 0;
        for (int i = 0; i < 4; i++) {
            r = put(r, i, bytes, lane(v, (imm >>> (2 * i)) & 3, bytes));
        }
        return r;
    }

    private static long maddwd(long a, long b) {
        long r0 = slane(a, 0, 2) * slane(b, 0, 2) + slane(a, 1, 2) * slane(b, 1, 2);
        long r1 = slane(a, 2, 2) * slane(b, 2, 2) + slane(a, 3, 2) * slane(b, 3, 2);
        return (r0 & 0xFFFF_FFFFL) | (r1 << 32);
    }

    private static long maddubsw(long a, long b) {
        long r = 0;
        for (int i = 0; i < 4; i++) {
            long v = lane(a, 2 * i, 1) * slane(b, 2 * i, 1) + lane(a, 2 * i + 1, 1) * slane(b, 2 * i + 1, 1);
            r = put(r, i, 2, PackedLanes.satSigned(v, 2));
        }
        return r;
    }

    private static long sad(long a, long b) {
        long s = 0;
        for (int i = 0; i < 8; i++) {
            s += Math.abs(lane(a, i, 1) - lane(b, i, 1));
        }
        return s;
    }

    private static long[] pshufb(long dLo, long dHi, long sLo, long sHi, boolean wide) {
        int n = wide ? 16 : 8;
        long rLo = 0;
        long rHi = 0;
        for (int i = 0; i < n; i++) {
            int ctl = (int) ((i < 8 ? sLo : sHi) >>> (8 * (i & 7))) & 0xFF;
            long v = 0;
            if ((ctl & 0x80) == 0) {
                int idx = ctl & (n - 1);
                v = ((idx < 8 ? dLo : dHi) >>> (8 * (idx & 7))) & 0xFF;
            }
            if (i < 8) {
                rLo |= v << (8 * i);
            } else {
                rHi |= v << (8 * (i - 8));
            }
        }
        return new long[] {rLo, rHi};
    }

    private static long[] horizontal(int sub, long dLo, long dHi, long sLo, long sHi, boolean wide) {
        int bytes = sub == SimdOp.PHADDD || sub == SimdOp.PHSUBD ? 4 : 2;
        boolean subtract = sub == SimdOp.PHSUBW || sub == SimdOp.PHSUBD || sub == SimdOp.PHSUBSW;
        boolean saturate = sub == SimdOp.PHADDSW || sub == SimdOp.PHSUBSW;
        int perChunk = 8 / bytes;
        int lanesPerSrc = (wide ? 16 : 8) / bytes;
        long[] src = {dLo, dHi, sLo, sHi};
        long[] out = new long[2];
        int outIdx = 0;
        for (int s = 0; s < 2; s++) {
            for (int i = 0; i < lanesPerSrc; i += 2) {
                long a = laneOf(src, s, i, bytes, wide);
                long b = laneOf(src, s, i + 1, bytes, wide);
                long v = subtract ? a - b : a + b;
                if (saturate) {
                    v = PackedLanes.satSigned(v, bytes);
                }
                int chunk = outIdx / perChunk;
                out[chunk] = put(out[chunk], outIdx % perChunk, bytes, v);
                outIdx++;
            }
        }
        return out;
    }

    private static long laneOf(long[] src, int which, int i, int bytes, boolean wide) {
        int perChunk = 8 / bytes;
        long chunk = wide ? src[which * 2 + i / perChunk] : src[which * 2];
        return slane(chunk, i % perChunk, bytes);
    }

    // ------------------------------------------------------------------ state instructions

    void state(DecodedInsn d) {
        switch (d.sub) {
            case SimdOp.LDMXCSR -> {
                checkSse();
                long v = in.read(d.seg, in.ea(d), 4);
                if ((v & ~0xFFFFL) != 0) {
                    throw CpuException.gp(0);
                }
                cpu.mxcsr = (int) v;
            }
            case SimdOp.STMXCSR -> {
                checkSse();
                in.write(d.seg, in.ea(d), 4, cpu.mxcsr & 0xFFFF_FFFFL);
            }
            case SimdOp.FXSAVE -> FxsaveLayout.save(in, d);
            case SimdOp.FXRSTOR -> FxsaveLayout.restore(in, d);
            default -> throw SystemInterface.notImplemented(d.entry.mnemonic);
        }
    }

    /** Condition flags of (U)COMISS/SD: ZF PF CF = 111 unordered, 001 less, 000 greater, 100 equal. */
    void compareFlags(double a, double b) {
        int f;
        if (Double.isNaN(a) || Double.isNaN(b)) {
            f = LazyFlags.ZF | LazyFlags.PF | LazyFlags.CF;
        } else if (a < b) {
            f = LazyFlags.CF;
        } else if (a > b) {
            f = 0;
        } else {
            f = LazyFlags.ZF;
        }
        in.flags.load(f);
    }
}

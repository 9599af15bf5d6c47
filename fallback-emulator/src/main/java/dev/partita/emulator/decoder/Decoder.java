package dev.partita.emulator.decoder;

import static dev.partita.emulator.decoder.OperandKind.method;

/**
 * Decodes one x86 instruction from bytes into a {@link DecodedInsn}, driven by {@link OpcodeTable}:
 * legacy prefixes (LOCK, REP/REPNE, segment overrides, 66, 67, last one of F2/F3 wins), REX (64-bit
 * mode only, ignored unless it immediately precedes the opcode), the one-byte/0F/0F38/0F3A maps,
 * ModRM/SIB/displacement (16-bit and 32/64-bit forms, RIP-relative), immediates and the 15-byte
 * limit, in 16-, 32- and 64-bit modes.
 *
 * <p>Never throws for any input: an undefined or mode-invalid encoding, a misplaced LOCK, or a
 * register/memory form the opcode does not allow yields {@link Ops#UD}; more than 15 bytes yields
 * {@link Ops#GP_TOO_LONG}. Both are ordinary results the interpreter turns into #UD and #GP(0).
 *
 * <p>Stateless apart from the scratch cursor: one instance per vCPU thread; not thread-safe.
 */
public final class Decoder {

    /** 16-bit mode (real mode, or a code segment with D=0). */
    public static final int MODE16 = 16;
    /** 32-bit protected / compatibility mode (CS.D=1). */
    public static final int MODE32 = 32;
    /** 64-bit mode (CS.L=1 in long mode). */
    public static final int MODE64 = 64;

    /** {@link #decode} result when the bytes ended before the instruction did (fewer than 15 available). */
    public static final int NEED_MORE_BYTES = -1;

    /** Longest legal instruction. */
    public static final int MAX_LENGTH = 15;

    private static final int NO_RM = Integer.MIN_VALUE;

    /** Thrown internally when the bytes run out; preallocated and stackless. */
    private static final class OutOfBytes extends RuntimeException {
        OutOfBytes() {
            super(null, null, false, false);
        }
    }

    private static final OutOfBytes OUT_OF_BYTES = new OutOfBytes();
    private static final OutOfBytes TOO_LONG = new OutOfBytes();

    private byte[] code;
    private int start;
    private int avail;
    private int pos;

    /**
     * Decodes the instruction at {@code code[offset]}, of which {@code available} bytes are readable,
     * for processor {@code mode} ({@link #MODE16}, {@link #MODE32}, {@link #MODE64}).
     *
     * @return the instruction length (also in {@code out.length}; for #UD results the bytes consumed),
     *         or {@link #NEED_MORE_BYTES} if {@code available < 15} and the instruction continues past it
     */
    public int decode(byte[] code, int offset, int available, int mode, DecodedInsn out) {
        if (mode != MODE16 && mode != MODE32 && mode != MODE64) {
            throw new IllegalArgumentException("decode: mode must be 16, 32 or 64, got " + mode);
        }
        if (offset < 0 || available < 0 || offset > code.length || available > code.length - offset) {
            throw new IllegalArgumentException("decode: window " + offset + "+" + available + " outside "
                    + code.length + " bytes");
        }
        this.code = code;
        this.start = offset;
        this.avail = available;
        this.pos = 0;
        try {
            decodeInto(mode, out);
        } catch (OutOfBytes e) {
            if (e == OUT_OF_BYTES) {
                return NEED_MORE_BYTES;
            }
            fail(out, mode, Ops.GP_TOO_LONG, MAX_LENGTH);
        } finally {
            this.code = null;
        }
        return out.length;
    }

    private int next() {
        if (pos >= MAX_LENGTH) {
            throw TOO_LONG;
        }
        if (pos >= avail) {
            throw OUT_OF_BYTES;
        }
        return code[start + pos++] & 0xFF;
    }

    private long nextSigned(int bytes) {
        long v = 0;
        for (int i = 0; i < bytes; i++) {
            v |= (long) next() << (8 * i);
        }
        int sh = 64 - 8 * bytes;
        return (v << sh) >> sh;
    }

    private long nextUnsigned(int bytes) {
        long v = 0;
        for (int i = 0; i < bytes; i++) {
            v |= (long) next() << (8 * i);
        }
        return v;
    }

    private static void fail(DecodedInsn out, int mode, int op, int length) {
        out.op = op;
        out.sub = 0;
        out.length = length;
        out.mode = mode;
        out.entry = null;
        out.rm = 0;
        out.base = -1;
        out.index = -1;
    }

    private void decodeInto(int mode, DecodedInsn out) {
        boolean m64 = mode == MODE64;
        int prefixes = 0;
        int segOverride = -1;
        int lastRep = 0; // 2 = F3, 3 = F2
        int rex = 0;
        int b;
        for (;;) {
            b = next();
            if (isLegacyPrefix(b)) {
                switch (b) {
                    case 0xF0 -> prefixes |= DecodedInsn.P_LOCK;
                    case 0xF2 -> lastRep = 3;
                    case 0xF3 -> lastRep = 2;
                    case 0x26 -> segOverride = 0;
                    case 0x2E -> segOverride = 1;
                    case 0x36 -> segOverride = 2;
                    case 0x3E -> segOverride = 3;
                    case 0x64 -> segOverride = 4;
                    case 0x65 -> segOverride = 5;
                    case 0x66 -> prefixes |= DecodedInsn.P_OPSIZE;
                    default -> prefixes |= DecodedInsn.P_ADDRSIZE;
                }
                rex = 0; // a REX prefix counts only if it immediately precedes the opcode
                continue;
            }
            if (m64 && (b & 0xF0) == 0x40) {
                rex = b;
                continue;
            }
            break;
        }
        boolean rexW = (rex & 8) != 0;
        int rexR = (rex & 4) << 1;
        int rexX = (rex & 2) << 2;
        int rexB = (rex & 1) << 3;
        if (rex != 0) {
            prefixes |= DecodedInsn.P_REX;
        }
        if (rexW) {
            prefixes |= DecodedInsn.P_REXW;
        }

        OpcodeEntry[] map = OpcodeTable.ONE_BYTE;
        int opcode = b;
        boolean imm3A = false;
        if (b == 0x0F) {
            opcode = next();
            map = OpcodeTable.TWO_BYTE;
            if (opcode == 0x38) {
                map = OpcodeTable.THREE_BYTE_38;
                opcode = next();
            } else if (opcode == 0x3A) {
                map = OpcodeTable.THREE_BYTE_3A;
                opcode = next();
                imm3A = true;
            }
        }
        OpcodeEntry ent = map[opcode];
        if (map == OpcodeTable.ONE_BYTE && opcode == 0x90 && rexB == 0) {
            ent = lastRep == 2 ? OpcodeTable.PAUSE_90 : OpcodeTable.NOP_90;
        }
        int attrs = 0;
        int modrm = -1;
        boolean repConsumed = false;
        while (ent != null && !ent.isInstruction()) {
            attrs |= ent.attrs;
            int sel = ent.selector;
            if (modrm < 0 && (sel == OpcodeEntry.SEL_REG || sel == OpcodeEntry.SEL_MOD || sel == OpcodeEntry.SEL_RM)) {
                modrm = next();
            }
            ent = switch (sel) {
                case OpcodeEntry.SEL_REG -> ent.children[(modrm >> 3) & 7];
                case OpcodeEntry.SEL_MOD -> ent.children[(modrm >> 6) == 3 ? 1 : 0];
                case OpcodeEntry.SEL_RM -> ent.children[modrm & 7];
                case OpcodeEntry.SEL_PREFIX -> {
                    int idx = lastRep != 0 ? lastRep : ((prefixes & DecodedInsn.P_OPSIZE) != 0 ? 1 : 0);
                    repConsumed = lastRep != 0;
                    yield ent.children[idx];
                }
                case OpcodeEntry.SEL_MODE64 -> ent.children[m64 ? 1 : 0];
                default -> null;
            };
        }
        if (ent == null) {
            fail(out, mode, Ops.UD, pos);
            return;
        }
        attrs |= ent.attrs;
        if ((attrs & OpcodeEntry.MODRM) != 0 && modrm < 0) {
            modrm = next();
        }
        if (m64 ? (attrs & OpcodeEntry.I64) != 0 : (attrs & OpcodeEntry.O64) != 0) {
            fail(out, mode, Ops.UD, pos);
            return;
        }
        if (!repConsumed) {
            if (lastRep == 2) {
                prefixes |= DecodedInsn.P_REP;
            } else if (lastRep == 3) {
                prefixes |= DecodedInsn.P_REPNE;
            }
        }

        // Operand and address sizes.
        boolean p66 = (prefixes & DecodedInsn.P_OPSIZE) != 0;
        boolean p67 = (prefixes & DecodedInsn.P_ADDRSIZE) != 0;
        int osize;
        int asize;
        if (m64) {
            if ((attrs & OpcodeEntry.F64) != 0) {
                osize = 8;
            } else if (rexW) {
                osize = 8;
            } else if ((attrs & OpcodeEntry.D64) != 0) {
                osize = p66 ? 2 : 8;
            } else {
                osize = p66 ? 2 : 4;
            }
            asize = p67 ? 4 : 8;
        } else if (mode == MODE32) {
            osize = p66 ? 2 : 4;
            asize = p67 ? 2 : 4;
        } else {
            osize = p66 ? 4 : 2;
            asize = p67 ? 4 : 2;
        }
        int size = switch (attrs & OpcodeEntry.SIZE_MASK) {
            case OpcodeEntry.SIZE_B -> 1;
            case OpcodeEntry.SIZE_W -> 2;
            case OpcodeEntry.SIZE_D -> 4;
            case OpcodeEntry.SIZE_Q -> 8;
            case OpcodeEntry.SIZE_Y -> rexW && m64 ? 8 : 4;
            case OpcodeEntry.SIZE_CR -> m64 ? 8 : 4;
            case OpcodeEntry.SIZE_Z -> osize == 2 ? 2 : 4;
            default -> osize;
        };

        out.op = ent.op;
        out.sub = ent.sub;
        out.entry = ent;
        out.mode = mode;
        out.size = size;
        out.opSize = osize;
        out.addrSize = asize;
        out.modrm = modrm;
        out.vlen = 0;
        out.reg = 0;
        out.base = -1;
        out.index = -1;
        out.scale = 0;
        out.disp = 0;
        out.imm = 0;
        out.imm2 = 0;
        if (m64 && segOverride >= 0 && segOverride < 4) {
            segOverride = -1; // ES/CS/SS/DS overrides are ignored in 64-bit mode
        }
        out.seg = segOverride >= 0 ? segOverride : 3;
        if (segOverride >= 0) {
            prefixes |= DecodedInsn.P_SEG_OVERRIDE;
        }
        int rm = NO_RM;
        boolean haveImm = false;
        int mod = modrm >> 6;
        int[] ops = ent.operands;
        boolean undefined = false;
        for (int kind : ops) {
            int m = method(kind);
            int sz = OperandKind.size(kind);
            switch (m) {
                case OperandKind.E, OperandKind.M, OperandKind.R, OperandKind.W, OperandKind.U, OperandKind.Q,
                        OperandKind.N, OperandKind.STI -> {
                    boolean regForm = mod == 3 || (attrs & OpcodeEntry.MOD_IGNORED) != 0;
                    if (m == OperandKind.M && regForm) {
                        undefined = true;
                    } else if ((m == OperandKind.R || m == OperandKind.U || m == OperandKind.N) && !regForm) {
                        undefined = true;
                    } else if (regForm) {
                        int r = modrm & 7;
                        if (m == OperandKind.E || m == OperandKind.R || m == OperandKind.W || m == OperandKind.U) {
                            r |= rexB;
                        }
                        if (m == OperandKind.E && sz == OperandKind.B && rex == 0 && r >= 4 && r < 8) {
                            r = DecodedInsn.HIGH_BYTE_BASE + r - 4;
                        }
                        rm = r;
                    } else {
                        rm = DecodedInsn.RM_MEMORY;
                        decodeMemory(out, modrm, asize, m64, rexB, rexX, segOverride);
                    }
                    if (m == OperandKind.W || m == OperandKind.U) {
                        setVlen(out, 16);
                    } else if (m == OperandKind.Q || m == OperandKind.N) {
                        setVlen(out, 8);
                    }
                }
                case OperandKind.G, OperandKind.V, OperandKind.P, OperandKind.S, OperandKind.C, OperandKind.D -> {
                    int r = (modrm >> 3) & 7;
                    if (m == OperandKind.G || m == OperandKind.V || m == OperandKind.C || m == OperandKind.D) {
                        r |= rexR;
                    }
                    if (m == OperandKind.G && sz == OperandKind.B && rex == 0 && r >= 4) {
                        r = DecodedInsn.HIGH_BYTE_BASE + r - 4;
                    }
                    if (m == OperandKind.S && r > 5) {
                        undefined = true;
                    }
                    out.reg = r;
                    if (m == OperandKind.V) {
                        setVlen(out, 16);
                    } else if (m == OperandKind.P) {
                        setVlen(out, 8);
                    }
                }
                case OperandKind.I -> {
                    long v = switch (sz) {
                        case OperandKind.B -> nextSigned(1);
                        case OperandKind.W16 -> nextUnsigned(2);
                        case OperandKind.D32 -> nextSigned(4);
                        case OperandKind.ZS -> osize == 2 ? nextSigned(2) : nextSigned(4);
                        case OperandKind.VS -> nextSigned(osize);
                        default -> nextSigned(1);
                    };
                    if (haveImm) {
                        out.imm2 = (int) v;
                    } else {
                        out.imm = v;
                        haveImm = true;
                    }
                }
                case OperandKind.J -> out.imm = sz == OperandKind.B ? nextSigned(1)
                        : (osize == 2 ? nextSigned(2) : nextSigned(4));
                case OperandKind.O -> {
                    rm = DecodedInsn.RM_MEMORY;
                    out.disp = nextUnsigned(asize);
                }
                case OperandKind.A -> {
                    out.imm = nextUnsigned(osize == 2 ? 2 : 4);
                    out.imm2 = (int) nextUnsigned(2);
                }
                case OperandKind.Z -> {
                    int r = (opcode & 7) | rexB;
                    if (sz == OperandKind.B && rex == 0 && r >= 4) {
                        r = DecodedInsn.HIGH_BYTE_BASE + r - 4;
                    }
                    rm = r;
                }
                case OperandKind.ONE -> out.imm = 1;
                default -> {
                }
            }
        }
        if (imm3A && !haveImm) {
            out.imm = nextSigned(1);
        }
        for (int kind : ops) {
            if (method(kind) == OperandKind.FIXED) {
                if (rm == NO_RM) {
                    rm = OperandKind.fixedReg(kind);
                } else if (OperandKind.fixedReg(kind) == 0) {
                    out.reg = 0;
                }
            }
        }
        out.rm = rm == NO_RM ? 0 : rm;
        out.prefixes = prefixes;
        out.length = pos;
        if (undefined) {
            fail(out, mode, Ops.UD, pos);
            return;
        }
        if ((prefixes & DecodedInsn.P_LOCK) != 0
                && ((attrs & OpcodeEntry.LOCKABLE) == 0 || rm != DecodedInsn.RM_MEMORY)) {
            fail(out, mode, Ops.UD, pos);
        }
    }

    private static void setVlen(DecodedInsn out, int v) {
        if (out.vlen == 0) {
            out.vlen = v;
        }
    }

    private static boolean isLegacyPrefix(int b) {
        return switch (b) {
            case 0xF0, 0xF2, 0xF3, 0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65, 0x66, 0x67 -> true;
            default -> false;
        };
    }

    private void decodeMemory(DecodedInsn out, int modrm, int asize, boolean m64, int rexB, int rexX,
            int segOverride) {
        int mod = modrm >> 6;
        int rm3 = modrm & 7;
        int defSeg = 3;
        if (asize == 2) {
            if (mod == 0 && rm3 == 6) {
                out.disp = nextSigned(2);
            } else {
                switch (rm3) {
                    case 0 -> { out.base = 3; out.index = 6; }
                    case 1 -> { out.base = 3; out.index = 7; }
                    case 2 -> { out.base = 5; out.index = 6; defSeg = 2; }
                    case 3 -> { out.base = 5; out.index = 7; defSeg = 2; }
                    case 4 -> out.base = 6;
                    case 5 -> out.base = 7;
                    case 6 -> { out.base = 5; defSeg = 2; }
                    default -> out.base = 3;
                }
                out.disp = mod == 1 ? nextSigned(1) : mod == 2 ? nextSigned(2) : 0;
            }
        } else {
            if (rm3 == 4) {
                int sib = next();
                int idx = ((sib >> 3) & 7) | rexX;
                out.index = idx == 4 ? -1 : idx;
                out.scale = sib >> 6;
                int b = sib & 7;
                if (b == 5 && mod == 0) {
                    out.base = -1;
                    out.disp = nextSigned(4);
                } else {
                    out.base = b | rexB;
                }
            } else if (rm3 == 5 && mod == 0) {
                out.base = m64 ? DecodedInsn.BASE_RIP : -1;
                out.disp = nextSigned(4);
            } else {
                out.base = rm3 | rexB;
            }
            if (mod == 1) {
                out.disp = nextSigned(1);
            } else if (mod == 2) {
                out.disp = nextSigned(4);
            }
            if (out.base == 4 || out.base == 5) {
                defSeg = 2;
            }
        }
        out.seg = segOverride >= 0 ? segOverride : defSeg;
    }
}

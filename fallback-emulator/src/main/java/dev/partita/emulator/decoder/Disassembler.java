package dev.partita.emulator.decoder;

import static dev.partita.emulator.decoder.OperandKind.method;

/**
 * Formats a {@link DecodedInsn} in Intel syntax ("add dword ptr [rax+rbx*4+0x10], ecx") from the same
 * table rows the decoder used, for diagnostics and test failure messages. Stateless and thread-safe.
 */
public final class Disassembler {
    private Disassembler() {
    }

    private static final String[] R64 = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi", "r8", "r9", "r10",
        "r11", "r12", "r13", "r14", "r15"};
    private static final String[] R32 = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi", "r8d", "r9d",
        "r10d", "r11d", "r12d", "r13d", "r14d", "r15d"};
    private static final String[] R16 = {"ax", "cx", "dx", "bx", "sp", "bp", "si", "di", "r8w", "r9w", "r10w",
        "r11w", "r12w", "r13w", "r14w", "r15w"};
    private static final String[] R8 = {"al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil", "r8b", "r9b", "r10b",
        "r11b", "r12b", "r13b", "r14b", "r15b"};
    private static final String[] R8H = {"ah", "ch", "dh", "bh"};
    private static final String[] SEGS = {"es", "cs", "ss", "ds", "fs", "gs"};

    /** Name of general register {@code r} (0-15, or 20-23 for AH-BH) at width {@code size} bytes. */
    public static String gpr(int r, int size) {
        if (r >= DecodedInsn.HIGH_BYTE_BASE && r < DecodedInsn.HIGH_BYTE_BASE + 4) {
            return R8H[r - DecodedInsn.HIGH_BYTE_BASE];
        }
        if (r < 0 || r > 15) {
            return "r?" + r;
        }
        return switch (size) {
            case 1 -> R8[r];
            case 2 -> R16[r];
            case 4 -> R32[r];
            default -> R64[r];
        };
    }

    /** Intel-syntax text of {@code d}; {@code rip} is its address (for branch targets and RIP-relative). */
    public static String format(DecodedInsn d, long rip) {
        if (d.op == Ops.UD && d.entry == null) {
            return "(bad)";
        }
        if (d.op == Ops.GP_TOO_LONG) {
            return "(too long)";
        }
        OpcodeEntry e = d.entry;
        if (e == null) {
            return "(none)";
        }
        StringBuilder sb = new StringBuilder();
        if ((d.prefixes & DecodedInsn.P_LOCK) != 0) {
            sb.append("lock ");
        }
        if (d.op >= Ops.MOVS && d.op <= Ops.OUTS) {
            if ((d.prefixes & DecodedInsn.P_REP) != 0) {
                sb.append(d.op == Ops.CMPS || d.op == Ops.SCAS ? "repe " : "rep ");
            } else if ((d.prefixes & DecodedInsn.P_REPNE) != 0) {
                sb.append("repne ");
            }
        }
        sb.append(mnemonic(d, e));
        boolean stringOp = d.op >= Ops.MOVS && d.op <= Ops.OUTS;
        if (stringOp) {
            return sb.toString();
        }
        boolean firstImm = true;
        for (int i = 0; i < e.operandCount(); i++) {
            sb.append(i == 0 ? " " : ", ");
            int k = e.operand(i);
            if (method(k) == OperandKind.I && !firstImm) {
                sb.append(hex(d.imm2 & mask(width(d, OperandKind.size(k)))));
                continue;
            }
            if (method(k) == OperandKind.I) {
                firstImm = false;
            }
            sb.append(operand(d, k, rip));
        }
        return sb.toString();
    }

    private static String mnemonic(DecodedInsn d, OpcodeEntry e) {
        String m = e.mnemonic;
        if (m.indexOf('|') < 0) {
            return m;
        }
        String[] alt = m.split("\\|");
        int i;
        if ((e.attrs & OpcodeEntry.NAME_BY_W) != 0) {
            i = (d.prefixes & DecodedInsn.P_REXW) != 0 ? 1 : 0;
        } else if ((e.attrs & OpcodeEntry.NAME_BY_ASIZE) != 0) {
            i = d.addrSize == 2 ? 0 : d.addrSize == 4 ? 1 : 2;
        } else {
            i = d.opSize == 2 ? 0 : d.opSize == 4 ? 1 : 2;
        }
        return alt[Math.min(i, alt.length - 1)];
    }

    private static int width(DecodedInsn d, int sizeCode) {
        return switch (sizeCode) {
            case OperandKind.B -> 1;
            case OperandKind.W16 -> 2;
            case OperandKind.D32, OperandKind.SS -> 4;
            case OperandKind.Q64, OperandKind.SD -> 8;
            case OperandKind.VS -> d.opSize;
            case OperandKind.ZS, OperandKind.WD -> d.opSize == 2 ? 2 : 4;
            case OperandKind.YS -> d.size;
            case OperandKind.X128 -> 16;
            case OperandKind.T80 -> 10;
            default -> 0;
        };
    }

    private static String operand(DecodedInsn d, int kind, long rip) {
        int m = method(kind);
        int sz = OperandKind.size(kind);
        return switch (m) {
            case OperandKind.E, OperandKind.M, OperandKind.R -> d.rm >= 0 ? gpr(d.rm, width(d, sz))
                    : memory(d, width(d, sz), rip);
            case OperandKind.W, OperandKind.U -> d.rm >= 0 ? "xmm" + d.rm : memory(d, width(d, sz), rip);
            case OperandKind.Q, OperandKind.N -> d.rm >= 0 ? "mm" + (d.rm & 7) : memory(d, width(d, sz), rip);
            case OperandKind.O -> memory(d, width(d, sz), rip);
            case OperandKind.G -> gpr(d.reg, width(d, sz));
            case OperandKind.V -> "xmm" + d.reg;
            case OperandKind.P -> "mm" + (d.reg & 7);
            case OperandKind.S -> d.reg < 6 ? SEGS[d.reg] : "sreg?";
            case OperandKind.C -> "cr" + d.reg;
            case OperandKind.D -> "dr" + d.reg;
            case OperandKind.Z -> gpr(d.rm, width(d, sz));
            case OperandKind.I -> hex(d.imm & mask(immediateWidth(d, sz)));
            case OperandKind.J -> hex(target(d, rip));
            case OperandKind.A -> hex(d.imm2 & 0xFFFF) + ":" + hex(d.imm);
            case OperandKind.FIXED -> gpr(OperandKind.fixedReg(kind), width(d, sz));
            case OperandKind.ONE -> "1";
            case OperandKind.SEG -> SEGS[sz];
            case OperandKind.ST0 -> "st(0)";
            case OperandKind.STI -> "st(" + (d.modrm & 7) + ")";
            default -> "?";
        };
    }

    /** Sign-extended byte immediates print at the operation width; other byte immediates as bytes. */
    private static int immediateWidth(DecodedInsn d, int sz) {
        if (sz == OperandKind.B) {
            return switch (d.op) {
                case Ops.ALU_EI, Ops.PUSH_I, Ops.IMUL_GEI, Ops.MOV_EI, Ops.TEST_EI -> d.size;
                default -> 1;
            };
        }
        return sz == OperandKind.W16 ? 2 : d.size;
    }

    /** The branch target of a relative branch at {@code rip}. */
    public static long target(DecodedInsn d, long rip) {
        long t = rip + d.length + d.imm;
        return d.opSize == 2 ? t & 0xFFFF : d.opSize == 4 || d.mode != Decoder.MODE64 ? t & 0xFFFF_FFFFL : t;
    }

    private static long mask(int size) {
        return size >= 8 || size <= 0 ? -1L : (1L << (size * 8)) - 1;
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    private static String memory(DecodedInsn d, int width, long rip) {
        StringBuilder sb = new StringBuilder();
        String ptr = switch (width) {
            case 1 -> "byte ptr ";
            case 2 -> "word ptr ";
            case 4 -> "dword ptr ";
            case 8 -> "qword ptr ";
            case 10 -> "tbyte ptr ";
            case 16 -> "xmmword ptr ";
            default -> "";
        };
        sb.append(ptr);
        if ((d.prefixes & DecodedInsn.P_SEG_OVERRIDE) != 0 || d.base < 0 && d.index < 0) {
            sb.append(SEGS[d.seg]).append(':');
        }
        sb.append('[');
        boolean any = false;
        if (d.base == DecodedInsn.BASE_RIP) {
            sb.append(d.addrSize == 4 ? "eip" : "rip");
            any = true;
        } else if (d.base >= 0) {
            sb.append(gpr(d.base, d.addrSize));
            any = true;
        }
        if (d.index >= 0) {
            if (any) {
                sb.append('+');
            }
            sb.append(gpr(d.index, d.addrSize));
            if (d.scale != 0) {
                sb.append('*').append(1 << d.scale);
            }
            any = true;
        }
        long disp = d.disp;
        if (!any) {
            sb.append(hex(disp & mask(d.addrSize)));
        } else if (disp != 0) {
            sb.append(disp < 0 ? '-' : '+').append(hex(Math.abs(disp)));
        }
        sb.append(']');
        return sb.toString();
    }
}

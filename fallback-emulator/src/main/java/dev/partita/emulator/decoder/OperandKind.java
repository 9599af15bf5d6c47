package dev.partita.emulator.decoder;

/**
 * Operand kinds of the opcode table in the notation of the Intel SDM, appendix A ("Eb", "Gv", "Iz",
 * "Jb", "M", "Vx", "Wsd" …), packed into an int: addressing method in bits 8-15, size code in bits
 * 0-7. The decoder reads them to know what bytes follow and where each operand lives; the
 * disassembler reads them to print the operands.
 */
public final class OperandKind {

    // Addressing methods (SDM A.2.1), plus fixed operands.
    /** ModRM r/m: register or memory (general registers). */
    public static final int E = 1;
    /** ModRM reg: general register. */
    public static final int G = 2;
    /** ModRM r/m, memory only. */
    public static final int M = 3;
    /** ModRM r/m, general register only. */
    public static final int R = 4;
    /** Immediate. */
    public static final int I = 5;
    /** Relative branch displacement. */
    public static final int J = 6;
    /** Memory offset (moffs) of address size, no ModRM. */
    public static final int O = 7;
    /** ModRM reg: segment register. */
    public static final int S = 8;
    /** ModRM reg: control register. */
    public static final int C = 9;
    /** ModRM reg: debug register. */
    public static final int D = 10;
    /** DS:rSI string source. */
    public static final int X = 11;
    /** ES:rDI string destination. */
    public static final int Y = 12;
    /** General register in the opcode's low three bits (+REX.B). */
    public static final int Z = 13;
    /** ModRM reg: XMM register. */
    public static final int V = 14;
    /** ModRM r/m: XMM register or memory. */
    public static final int W = 15;
    /** ModRM r/m: XMM register only. */
    public static final int U = 16;
    /** ModRM reg: MMX register. */
    public static final int P = 17;
    /** ModRM r/m: MMX register or memory. */
    public static final int Q = 18;
    /** ModRM r/m: MMX register only. */
    public static final int N = 19;
    /** Far pointer immediate (seg:offset). */
    public static final int A = 20;
    /** Fixed general register; the register number is in the size byte's high nibble. */
    public static final int FIXED = 21;
    /** The constant 1 (shift count). */
    public static final int ONE = 22;
    /** x87 ST(0). */
    public static final int ST0 = 23;
    /** x87 ST(i) from ModRM.rm. */
    public static final int STI = 24;
    /** Fixed segment register (size byte = segment index). */
    public static final int SEG = 25;

    // Size codes (SDM A.2.2).
    public static final int SZ_NONE = 0;
    /** Byte. */
    public static final int B = 1;
    /** Word. */
    public static final int W16 = 2;
    /** Doubleword. */
    public static final int D32 = 3;
    /** Quadword. */
    public static final int Q64 = 4;
    /** Word/dword/qword by operand size. */
    public static final int VS = 5;
    /** Word for 16-bit operand size, else dword (immediates: 4 bytes even for 64-bit). */
    public static final int ZS = 6;
    /** Dword, or qword with REX.W. */
    public static final int YS = 7;
    /** 128 bits (dq / x). */
    public static final int X128 = 8;
    /** Far pointer (16:16, 16:32 or 16:64). */
    public static final int PTR = 9;
    /** Pseudo-descriptor (6 or 10 bytes). */
    public static final int DESC = 10;
    /** 80-bit x87 (t). */
    public static final int T80 = 11;
    /** Scalar single (ss). */
    public static final int SS = 12;
    /** Scalar double (sd). */
    public static final int SD = 13;
    /** 64 bytes or more of state (FXSAVE area), printed without a size. */
    public static final int BLOB = 14;
    /** Word for 16-bit operand size, else dword (general register, e.g. IN eAX). */
    public static final int WD = 15;

    private OperandKind() {
    }

    /** Addressing method of a packed kind. */
    public static int method(int kind) {
        return kind >>> 8;
    }

    /** Size code of a packed kind (for FIXED: low nibble). */
    public static int size(int kind) {
        return method(kind) == FIXED ? kind & 0xF : kind & 0xFF;
    }

    /** Register number of a FIXED kind. */
    public static int fixedReg(int kind) {
        return (kind >>> 4) & 0xF;
    }

    /** Whether this kind occupies the ModRM byte. */
    public static boolean needsModrm(int kind) {
        return switch (method(kind)) {
            case E, G, M, R, S, C, D, V, W, U, P, Q, N, STI -> true;
            default -> false;
        };
    }

    private static final String[] REG16 = {"ax", "cx", "dx", "bx", "sp", "bp", "si", "di"};

    /**
     * Parse SDM notation: "Eb", "Gv", "Iz", "M", "Mq", "AL", "rAX", "eAX", "CL", "DX", "1", "Vx", "Wsd",
     * "ST", "STi", "ES"…. Throws {@link IllegalArgumentException} for unknown notation (table bugs are
     * found at class initialization).
     */
    public static int parse(String s) {
        switch (s) {
            case "1": return ONE << 8;
            case "ST": return ST0 << 8;
            case "STi": return STI << 8;
            case "ES": return SEG << 8;
            case "CS": return (SEG << 8) | 1;
            case "SS": return (SEG << 8) | 2;
            case "DS": return (SEG << 8) | 3;
            case "FS": return (SEG << 8) | 4;
            case "GS": return (SEG << 8) | 5;
            case "AL": return (FIXED << 8) | B;
            case "CL": return (FIXED << 8) | (1 << 4) | B;
            case "DX": return (FIXED << 8) | (2 << 4) | W16;
            case "AX": return (FIXED << 8) | W16;
            case "eAX": return (FIXED << 8) | WD;
            case "rAX": return (FIXED << 8) | VS;
            default: break;
        }
        int method = switch (s.charAt(0)) {
            case 'E' -> E;
            case 'G' -> G;
            case 'M' -> M;
            case 'R' -> R;
            case 'I' -> I;
            case 'J' -> J;
            case 'O' -> O;
            case 'S' -> S;
            case 'C' -> C;
            case 'D' -> D;
            case 'X' -> X;
            case 'Y' -> Y;
            case 'Z' -> Z;
            case 'V' -> V;
            case 'W' -> W;
            case 'U' -> U;
            case 'P' -> P;
            case 'Q' -> Q;
            case 'N' -> N;
            case 'A' -> A;
            default -> throw new IllegalArgumentException("operand kind " + s);
        };
        String sz = s.substring(1);
        int size = switch (sz) {
            case "" -> SZ_NONE;
            case "b" -> B;
            case "w" -> W16;
            case "d" -> D32;
            case "q" -> Q64;
            case "v" -> VS;
            case "z" -> ZS;
            case "y" -> YS;
            case "x", "dq", "ps", "pd" -> X128;
            case "p" -> PTR;
            case "s" -> DESC;
            case "t" -> T80;
            case "ss" -> SS;
            case "sd" -> SD;
            case "blob", "a" -> BLOB;
            default -> throw new IllegalArgumentException("operand size " + s);
        };
        return (method << 8) | size;
    }

    /** SDM-style name of a kind, for diagnostics. */
    public static String name(int kind) {
        int m = method(kind);
        if (m == FIXED) {
            return "fixed:" + REG16[fixedReg(kind)];
        }
        return "m" + m + "/s" + size(kind);
    }
}

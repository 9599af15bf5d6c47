package dev.partita.emulator.decoder;

/**
 * Execution op ids: the small ints the interpreter switches on ({@link DecodedInsn#op}), with the
 * sub-operation ({@link DecodedInsn#sub}) selecting the member of a family. Grouped by family; the
 * opcode bytes that produce each id are in {@link OpcodeTable}.
 */
public final class Ops {
    private Ops() {
    }

    // ---- decoder results that are not instructions
    /** Undefined or mode-invalid encoding: raises #UD when executed. */
    public static final int UD = 0;
    /** Instruction longer than 15 bytes: raises #GP(0) when executed. */
    public static final int GP_TOO_LONG = 1;

    // ---- arithmetic / logic (sub = Alu.*)
    /** E op= G. */
    public static final int ALU_EG = 2;
    /** G op= E. */
    public static final int ALU_GE = 3;
    /** E op= imm. */
    public static final int ALU_EI = 4;
    public static final int TEST_EG = 5;
    public static final int TEST_EI = 6;
    public static final int INC = 7;
    public static final int DEC = 8;
    public static final int NOT = 9;
    public static final int NEG = 10;
    /** One-operand MUL/IMUL/DIV/IDIV of rDX:rAX (sub = MulDiv.*). */
    public static final int MULDIV = 11;
    /** IMUL G, E. */
    public static final int IMUL_GE = 12;
    /** IMUL G, E, imm. */
    public static final int IMUL_GEI = 13;
    /** Shift/rotate E by imm (1 or Ib) (sub = Shift.*). */
    public static final int SHIFT_I = 14;
    /** Shift/rotate E by CL. */
    public static final int SHIFT_CL = 15;
    /** SHLD/SHRD E, G, imm (sub 0 = left, 1 = right). */
    public static final int SHXD_I = 16;
    public static final int SHXD_CL = 17;

    // ---- bit operations
    /** BT/BTS/BTR/BTC E, G (sub 0-3). */
    public static final int BT_EG = 18;
    /** BT/BTS/BTR/BTC E, imm. */
    public static final int BT_EI = 19;
    public static final int BSF = 20;
    public static final int BSR = 21;
    public static final int TZCNT = 22;
    public static final int LZCNT = 23;
    public static final int POPCNT = 24;
    public static final int BSWAP = 25;

    // ---- data movement
    public static final int MOV_EG = 26;
    public static final int MOV_GE = 27;
    public static final int MOV_EI = 28;
    /** MOVZX G, E (sub = source size in bytes). */
    public static final int MOVZX = 29;
    /** MOVSX/MOVSXD G, E (sub = source size in bytes). */
    public static final int MOVSX = 30;
    public static final int LEA = 31;
    public static final int XCHG = 32;
    public static final int CMPXCHG = 33;
    public static final int XADD = 34;
    /** CMPXCHG8B (size 4) / CMPXCHG16B (size 8). */
    public static final int CMPXCHG_DOUBLE = 35;
    /** CBW/CWDE/CDQE. */
    public static final int CBW = 36;
    /** CWD/CDQ/CQO. */
    public static final int CWD = 37;
    public static final int XLAT = 38;
    public static final int CMOVCC = 39;
    public static final int SETCC = 40;
    /** MOVBE G,M (sub 0) / M,G (sub 1). */
    public static final int MOVBE = 41;

    // ---- stack
    public static final int PUSH_E = 42;
    public static final int PUSH_I = 43;
    public static final int POP_E = 44;
    public static final int PUSHA = 45;
    public static final int POPA = 46;
    public static final int PUSHF = 47;
    public static final int POPF = 48;
    public static final int ENTER = 49;
    public static final int LEAVE = 50;

    // ---- control transfer
    /** Jcc rel (sub = condition). */
    public static final int JCC = 51;
    public static final int JMP_REL = 52;
    public static final int CALL_REL = 53;
    public static final int JMP_E = 54;
    public static final int CALL_E = 55;
    /** Near RET (imm = bytes to release). */
    public static final int RET = 56;
    /** LOOPNE/LOOPE/LOOP/JrCXZ (sub 0-3). */
    public static final int LOOP = 57;

    // ---- flags
    /** CLC/STC/CMC/CLD/STD (sub = Flag.*). */
    public static final int FLAGOP = 58;
    public static final int SAHF = 59;
    public static final int LAHF = 60;

    // ---- strings (sub = element size is in size)
    public static final int MOVS = 61;
    public static final int CMPS = 62;
    public static final int STOS = 63;
    public static final int LODS = 64;
    public static final int SCAS = 65;
    public static final int INS = 66;
    public static final int OUTS = 67;

    // ---- BCD and legacy arithmetic
    public static final int DAA = 68;
    public static final int DAS = 69;
    public static final int AAA = 70;
    public static final int AAS = 71;
    public static final int AAM = 72;
    public static final int AAD = 73;
    public static final int SALC = 74;
    /** BOUND G, Ma. */
    public static final int BOUND = 75;
    /** ARPL Ew, Gw (16/32-bit protected mode). */
    public static final int ARPL = 76;

    // ---- no-ops and hints
    public static final int NOP = 77;
    /** PAUSE (F3 90). */
    public static final int PAUSE = 78;

    // ---- segment registers
    /** PUSH Sreg (sub = segment index). */
    public static final int PUSH_SEG = 79;
    /** POP Sreg (sub = segment index). */
    public static final int POP_SEG = 80;
    /** MOV E, Sreg. */
    public static final int MOV_E_SEG = 81;
    /** MOV Sreg, E. */
    public static final int MOV_SEG_E = 82;
    /** LES/LDS/LSS/LFS/LGS G, Mp (sub = segment index). */
    public static final int LOAD_FAR_PTR = 83;

    /** System instructions, executed by the system package (sub = SysOp.*). */
    public static final int SYSTEM = 84;
    /** x87 (sub = X87Op.*). */
    public static final int X87 = 85;
    /** MMX/SSE/SSE2/SSE3/SSSE3 (sub = SimdOp.*). */
    public static final int SIMD = 86;
    /** FXSAVE/FXRSTOR/LDMXCSR/STMXCSR/XSAVE… (sub = SimdOp.*). */
    public static final int SIMD_STATE = 87;

    /** SSE4.1/SSE4.2 (sub = Sse4Op.*). */
    public static final int SSE4 = 88;

    /** Number of op ids. */
    public static final int COUNT = 89;

    /** ALU sub-operations, in ModRM.reg order of group 1. */
    public static final class Alu {
        public static final int ADD = 0, OR = 1, ADC = 2, SBB = 3, AND = 4, SUB = 5, XOR = 6, CMP = 7;

        private Alu() {
        }
    }

    /** Shift/rotate sub-operations, in ModRM.reg order of group 2 (6 = SAL, an alias of SHL). */
    public static final class Shift {
        public static final int ROL = 0, ROR = 1, RCL = 2, RCR = 3, SHL = 4, SHR = 5, SAL = 6, SAR = 7;

        private Shift() {
        }
    }

    /** MUL/IMUL/DIV/IDIV sub-operations (group 3, reg 4-7). */
    public static final class MulDiv {
        public static final int MUL = 4, IMUL = 5, DIV = 6, IDIV = 7;

        private MulDiv() {
        }
    }

    /** Flag instructions. */
    public static final class Flag {
        public static final int CLC = 0, STC = 1, CMC = 2, CLD = 3, STD = 4;

        private Flag() {
        }
    }
}

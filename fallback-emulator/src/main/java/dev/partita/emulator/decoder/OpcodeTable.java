package dev.partita.emulator.decoder;

import static dev.partita.emulator.decoder.OpcodeEntry.D64;
import static dev.partita.emulator.decoder.OpcodeEntry.F64;
import static dev.partita.emulator.decoder.OpcodeEntry.I64;
import static dev.partita.emulator.decoder.OpcodeEntry.LOCKABLE;
import static dev.partita.emulator.decoder.OpcodeEntry.MOD_IGNORED;
import static dev.partita.emulator.decoder.OpcodeEntry.NAME_BY_ASIZE;
import static dev.partita.emulator.decoder.OpcodeEntry.NAME_BY_W;
import static dev.partita.emulator.decoder.OpcodeEntry.O64;
import static dev.partita.emulator.decoder.OpcodeEntry.SIZE_CR;
import static dev.partita.emulator.decoder.OpcodeEntry.SIZE_Y;
import static dev.partita.emulator.decoder.Ops.*;

import java.util.List;

/**
 * The one declarative opcode table: the one-byte map, the 0F map and the 0F38/0F3A maps, with group
 * extensions selected by ModRM.reg (and ModRM.mod/rm where the SDM splits them), mandatory
 * prefixes (none/66/F3/F2) for SIMD rows, mode restrictions ({@code I64}, {@code O64}) and operand
 * size rules ({@code D64}, {@code F64}). The decoder, the disassembler and the tests all read it.
 * Rows are written in SDM notation ("add Eb,Gb"); empty slots are undefined opcodes (#UD).
 *
 * <p>Why one class of this length: being the single declarative table is its purpose. Every map
 * is listed row by row in SDM order, so a row's neighbours read as in the manual, and nothing else
 * in the emulator describes an opcode; the code around the rows only builds entries from the SDM
 * notation and the group selectors (by ModRM, prefix or mode).
 *
 * <p>Built once at class initialization; immutable afterwards and safe to share between threads.
 */
public final class OpcodeTable {

    /** The one-byte opcode map. */
    static final OpcodeEntry[] ONE_BYTE = new OpcodeEntry[256];
    /** The two-byte map (0F xx). */
    static final OpcodeEntry[] TWO_BYTE = new OpcodeEntry[256];
    /** The three-byte map 0F 38 xx. */
    static final OpcodeEntry[] THREE_BYTE_38 = new OpcodeEntry[256];
    /** The three-byte map 0F 3A xx (all rows take an Ib). */
    static final OpcodeEntry[] THREE_BYTE_3A = new OpcodeEntry[256];

    /** The row for 90 without REX.B: NOP, or PAUSE with F3. */
    static final OpcodeEntry NOP_90 = e("nop", NOP);
    static final OpcodeEntry PAUSE_90 = e("pause", PAUSE);

    private OpcodeTable() {
    }

    /** The maps by name, for tests and coverage reports. */
    public static List<OpcodeMap> maps() {
        return List.of(new OpcodeMap("one-byte", ONE_BYTE), new OpcodeMap("0F", TWO_BYTE),
                new OpcodeMap("0F38", THREE_BYTE_38), new OpcodeMap("0F3A", THREE_BYTE_3A));
    }

    /** A named opcode map (256 slots, null = undefined). */
    public record OpcodeMap(String name, OpcodeEntry[] slots) {
        /** Number of defined instruction rows reachable from this map (counting every group member). */
        public int instructionCount() {
            int n = 0;
            for (OpcodeEntry e : slots) {
                n += count(e);
            }
            return n;
        }

        /** Number of defined opcode bytes (slots). */
        public int definedSlots() {
            int n = 0;
            for (OpcodeEntry e : slots) {
                n += e != null ? 1 : 0;
            }
            return n;
        }

        private static int count(OpcodeEntry e) {
            if (e == null) {
                return 0;
            }
            if (e.isInstruction()) {
                return 1;
            }
            int n = 0;
            for (OpcodeEntry c : e.children) {
                n += count(c);
            }
            return n;
        }
    }

    // ------------------------------------------------------------------ builders

    static OpcodeEntry e(String spec, int op) {
        return e(spec, op, 0, 0);
    }

    static OpcodeEntry e(String spec, int op, int sub) {
        return e(spec, op, sub, 0);
    }

    static OpcodeEntry e(String spec, int op, int sub, int attrs) {
        int sp = spec.indexOf(' ');
        String mnemonic = sp < 0 ? spec : spec.substring(0, sp);
        int[] ops;
        if (sp < 0) {
            ops = new int[0];
        } else {
            String[] parts = spec.substring(sp + 1).split(",");
            ops = new int[parts.length];
            for (int i = 0; i < parts.length; i++) {
                ops[i] = OperandKind.parse(parts[i].trim());
            }
        }
        int a = attrs;
        for (int k : ops) {
            if (OperandKind.needsModrm(k)) {
                a |= OpcodeEntry.MODRM;
            }
        }
        if ((a & OpcodeEntry.SIZE_MASK) != 0) {
            a |= OpcodeEntry.SIZE_EXPLICIT;
        } else {
            a |= sizeRule(ops);
        }
        return new OpcodeEntry(mnemonic, ops, op, sub, a);
    }

    /** Derives the operation width rule from the operand kinds (immediates and count/port registers ignored). */
    private static int sizeRule(int[] ops) {
        int found = -1;
        for (int k : ops) {
            int m = OperandKind.method(k);
            if (m == OperandKind.I || m == OperandKind.J || m == OperandKind.ONE || m == OperandKind.SEG
                    || m == OperandKind.A || m == OperandKind.S || m == OperandKind.ST0 || m == OperandKind.STI) {
                continue;
            }
            if (m == OperandKind.FIXED && OperandKind.fixedReg(k) != 0) {
                continue; // CL as a count, DX as a port
            }
            int s = OperandKind.size(k);
            int rule = switch (s) {
                case OperandKind.VS, OperandKind.ZS -> OpcodeEntry.SIZE_V;
                case OperandKind.WD -> OpcodeEntry.SIZE_Z;
                case OperandKind.YS -> OpcodeEntry.SIZE_Y;
                case OperandKind.B -> OpcodeEntry.SIZE_B;
                case OperandKind.W16 -> OpcodeEntry.SIZE_W;
                case OperandKind.D32 -> OpcodeEntry.SIZE_D;
                case OperandKind.Q64 -> OpcodeEntry.SIZE_Q;
                default -> -1;
            };
            if (rule == OpcodeEntry.SIZE_V || rule == OpcodeEntry.SIZE_Y || rule == OpcodeEntry.SIZE_Z) {
                return rule; // an operand-size-dependent operand decides
            }
            if (rule >= 0 && found < 0) {
                found = rule;
            }
        }
        return found < 0 ? OpcodeEntry.SIZE_V : found;
    }

    /** Group by ModRM.reg (8 children; null = undefined). */
    static OpcodeEntry reg(OpcodeEntry... eight) {
        return sel(OpcodeEntry.SEL_REG, eight, 8, 0);
    }

    /** Group by ModRM.reg with attributes applying to every member. */
    static OpcodeEntry regA(int attrs, OpcodeEntry... eight) {
        return sel(OpcodeEntry.SEL_REG, eight, 8, attrs);
    }

    /** Split by ModRM.mod: memory form, register form. */
    static OpcodeEntry mod(OpcodeEntry mem, OpcodeEntry reg) {
        return sel(OpcodeEntry.SEL_MOD, new OpcodeEntry[] {mem, reg}, 2, 0);
    }

    /** Group by ModRM.rm (8 children). */
    static OpcodeEntry rm(OpcodeEntry... eight) {
        return sel(OpcodeEntry.SEL_RM, eight, 8, 0);
    }

    /** Split by mandatory prefix: none, 66, F3, F2. */
    static OpcodeEntry pfx(OpcodeEntry none, OpcodeEntry p66, OpcodeEntry pf3, OpcodeEntry pf2) {
        return sel(OpcodeEntry.SEL_PREFIX, new OpcodeEntry[] {none, p66, pf3, pf2}, 4, 0);
    }

    /** Split by mode: outside 64-bit mode, in 64-bit mode. */
    static OpcodeEntry m64(OpcodeEntry legacy, OpcodeEntry long64) {
        return sel(OpcodeEntry.SEL_MODE64, new OpcodeEntry[] {legacy, long64}, 2, 0);
    }

    private static OpcodeEntry sel(int kind, OpcodeEntry[] children, int n, int attrs) {
        if (children.length != n) {
            throw new IllegalArgumentException("selector needs " + n + " children, got " + children.length);
        }
        int a = attrs;
        if (kind == OpcodeEntry.SEL_REG || kind == OpcodeEntry.SEL_MOD || kind == OpcodeEntry.SEL_RM) {
            a |= OpcodeEntry.MODRM;
        }
        return new OpcodeEntry(kind, children.clone(), a);
    }

    /** MMX form (no prefix) and SSE2 form (66) of a packed-integer op. */
    static OpcodeEntry mmxSse(String name, int simdOp) {
        return pfx(e(name + " Pq,Qq", SIMD, simdOp), e(name + " Vx,Wx", SIMD, simdOp), null, null);
    }

    /** SSE2-only packed op (66 prefix). */
    static OpcodeEntry sse66(String spec, int simdOp) {
        return pfx(null, e(spec, SIMD, simdOp), null, null);
    }

    /** The four PS/PD/SS/SD forms of an SSE floating-point op. */
    static OpcodeEntry fp4(String name, int psOp) {
        return pfx(e(name + "ps Vx,Wx", SIMD, psOp), e(name + "pd Vx,Wx", SIMD, psOp + 1),
                e(name + "ss Vx,Wss", SIMD, psOp + 2), e(name + "sd Vx,Wsd", SIMD, psOp + 3));
    }

    private static void alu(int base, String name, int sub) {
        ONE_BYTE[base] = e(name + " Eb,Gb", ALU_EG, sub, LOCKABLE);
        ONE_BYTE[base + 1] = e(name + " Ev,Gv", ALU_EG, sub, LOCKABLE);
        ONE_BYTE[base + 2] = e(name + " Gb,Eb", ALU_GE, sub);
        ONE_BYTE[base + 3] = e(name + " Gv,Ev", ALU_GE, sub);
        ONE_BYTE[base + 4] = e(name + " AL,Ib", ALU_EI, sub);
        ONE_BYTE[base + 5] = e(name + " rAX,Iz", ALU_EI, sub);
    }

    private static final String[] ALU_NAMES = {"add", "or", "adc", "sbb", "and", "sub", "xor", "cmp"};
    private static final String[] SHIFT_NAMES = {"rol", "ror", "rcl", "rcr", "shl", "shr", "sal", "sar"};
    private static final String[] CC = {"o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l",
        "ge", "le", "g"};

    private static OpcodeEntry aluGroup(String operands) {
        OpcodeEntry[] g = new OpcodeEntry[8];
        for (int i = 0; i < 8; i++) {
            g[i] = e(ALU_NAMES[i] + " " + operands, ALU_EI, i, i == 7 ? 0 : LOCKABLE);
        }
        return reg(g);
    }

    private static OpcodeEntry shiftGroup(String operands, int op) {
        OpcodeEntry[] g = new OpcodeEntry[8];
        for (int i = 0; i < 8; i++) {
            g[i] = e(SHIFT_NAMES[i] + " " + operands, op, i);
        }
        return reg(g);
    }

    private static OpcodeEntry sys(String spec, int sysOp) {
        return e(spec, SYSTEM, sysOp);
    }

    private static OpcodeEntry sys(String spec, int sysOp, int attrs) {
        return e(spec, SYSTEM, sysOp, attrs);
    }

    static {
        buildOneByte();
        buildTwoByte();
        buildThreeByte();
        X87Table.build(ONE_BYTE);
    }

    private static void buildOneByte() {
        OpcodeEntry[] t = ONE_BYTE;
        for (int i = 0; i < 8; i++) {
            alu(i * 8, ALU_NAMES[i], i);
        }
        // CMP never writes: not lockable.
        t[0x38] = e("cmp Eb,Gb", ALU_EG, Alu.CMP);
        t[0x39] = e("cmp Ev,Gv", ALU_EG, Alu.CMP);
        t[0x06] = e("push ES", PUSH_SEG, 0, I64);
        t[0x07] = e("pop ES", POP_SEG, 0, I64);
        t[0x0E] = e("push CS", PUSH_SEG, 1, I64);
        t[0x16] = e("push SS", PUSH_SEG, 2, I64);
        t[0x17] = e("pop SS", POP_SEG, 2, I64);
        t[0x1E] = e("push DS", PUSH_SEG, 3, I64);
        t[0x1F] = e("pop DS", POP_SEG, 3, I64);
        t[0x27] = e("daa", DAA, 0, I64);
        t[0x2F] = e("das", DAS, 0, I64);
        t[0x37] = e("aaa", AAA, 0, I64);
        t[0x3F] = e("aas", AAS, 0, I64);
        for (int r = 0; r < 8; r++) {
            t[0x40 + r] = e("inc Zv", INC, 0, I64);   // REX prefixes in 64-bit mode
            t[0x48 + r] = e("dec Zv", DEC, 0, I64);
            t[0x50 + r] = e("push Zv", PUSH_E, 0, D64);
            t[0x58 + r] = e("pop Zv", POP_E, 0, D64);
            t[0x70 + r * 2] = e("j" + CC[r * 2] + " Jb", JCC, r * 2, F64);
            t[0x71 + r * 2] = e("j" + CC[r * 2 + 1] + " Jb", JCC, r * 2 + 1, F64);
            t[0xB0 + r] = e("mov Zb,Ib", MOV_EI);
            t[0xB8 + r] = e("mov Zv,Iv", MOV_EI);
            if (r > 0) {
                t[0x90 + r] = e("xchg Zv,rAX", XCHG);
            }
            t[0xD8 + r] = null; // x87, filled by X87Table
        }
        t[0x90] = e("xchg Zv,rAX", XCHG); // with REX.B: xchg r8,rax; otherwise NOP/PAUSE (decoder)
        t[0x60] = e("pusha|pushad", PUSHA, 0, I64);
        t[0x61] = e("popa|popad", POPA, 0, I64);
        t[0x62] = e("bound Gv,Ma", BOUND, 0, I64);
        t[0x63] = m64(e("arpl Ew,Gw", ARPL), e("movsxd Gv,Ed", MOVSX, 4));
        t[0x68] = e("push Iz", PUSH_I, 0, D64);
        t[0x69] = e("imul Gv,Ev,Iz", IMUL_GEI);
        t[0x6A] = e("push Ib", PUSH_I, 0, D64);
        t[0x6B] = e("imul Gv,Ev,Ib", IMUL_GEI);
        t[0x6C] = e("insb Yb,DX", INS);
        t[0x6D] = e("insw|insd Yz,DX", INS, 0, OpcodeEntry.SIZE_Z);
        t[0x6E] = e("outsb DX,Xb", OUTS);
        t[0x6F] = e("outsw|outsd DX,Xz", OUTS, 0, OpcodeEntry.SIZE_Z);
        t[0x80] = aluGroup("Eb,Ib");
        t[0x81] = aluGroup("Ev,Iz");
        t[0x82] = regA(I64, aluGroup("Eb,Ib").children);
        t[0x83] = aluGroup("Ev,Ib");
        t[0x84] = e("test Eb,Gb", TEST_EG);
        t[0x85] = e("test Ev,Gv", TEST_EG);
        t[0x86] = e("xchg Eb,Gb", XCHG, 0, LOCKABLE);
        t[0x87] = e("xchg Ev,Gv", XCHG, 0, LOCKABLE);
        t[0x88] = e("mov Eb,Gb", MOV_EG);
        t[0x89] = e("mov Ev,Gv", MOV_EG);
        t[0x8A] = e("mov Gb,Eb", MOV_GE);
        t[0x8B] = e("mov Gv,Ev", MOV_GE);
        t[0x8C] = e("mov Ev,Sw", MOV_E_SEG);
        t[0x8D] = e("lea Gv,M", LEA);
        t[0x8E] = e("mov Sw,Ew", MOV_SEG_E);
        t[0x8F] = reg(e("pop Ev", POP_E, 0, D64), null, null, null, null, null, null, null);
        t[0x98] = e("cbw|cwde|cdqe", CBW);
        t[0x99] = e("cwd|cdq|cqo", CWD);
        t[0x9A] = sys("callf Ap", SysOp.CALLF_A, I64);
        t[0x9B] = e("fwait", X87, X87Op.FWAIT);
        t[0x9C] = e("pushf|pushfd|pushfq", PUSHF, 0, D64);
        t[0x9D] = e("popf|popfd|popfq", POPF, 0, D64);
        t[0x9E] = e("sahf", SAHF);
        t[0x9F] = e("lahf", LAHF);
        t[0xA0] = e("mov AL,Ob", MOV_GE);
        t[0xA1] = e("mov rAX,Ov", MOV_GE);
        t[0xA2] = e("mov Ob,AL", MOV_EG);
        t[0xA3] = e("mov Ov,rAX", MOV_EG);
        t[0xA4] = e("movsb Yb,Xb", MOVS);
        t[0xA5] = e("movsw|movsd|movsq Yv,Xv", MOVS);
        t[0xA6] = e("cmpsb Xb,Yb", CMPS);
        t[0xA7] = e("cmpsw|cmpsd|cmpsq Xv,Yv", CMPS);
        t[0xA8] = e("test AL,Ib", TEST_EI);
        t[0xA9] = e("test rAX,Iz", TEST_EI);
        t[0xAA] = e("stosb Yb,AL", STOS);
        t[0xAB] = e("stosw|stosd|stosq Yv,rAX", STOS);
        t[0xAC] = e("lodsb AL,Xb", LODS);
        t[0xAD] = e("lodsw|lodsd|lodsq rAX,Xv", LODS);
        t[0xAE] = e("scasb AL,Yb", SCAS);
        t[0xAF] = e("scasw|scasd|scasq rAX,Yv", SCAS);
        t[0xC0] = shiftGroup("Eb,Ib", SHIFT_I);
        t[0xC1] = shiftGroup("Ev,Ib", SHIFT_I);
        t[0xC2] = e("ret Iw", RET, 0, F64);
        t[0xC3] = e("ret", RET, 0, F64);
        t[0xC4] = e("les Gz,Mp", LOAD_FAR_PTR, 0, I64);
        t[0xC5] = e("lds Gz,Mp", LOAD_FAR_PTR, 3, I64);
        t[0xC6] = reg(e("mov Eb,Ib", MOV_EI), null, null, null, null, null, null, null);
        t[0xC7] = reg(e("mov Ev,Iz", MOV_EI), null, null, null, null, null, null, null);
        t[0xC8] = e("enter Iw,Ib", ENTER, 0, D64);
        t[0xC9] = e("leave", LEAVE, 0, D64);
        t[0xCA] = sys("retf Iw", SysOp.RETF);
        t[0xCB] = sys("retf", SysOp.RETF);
        t[0xCC] = sys("int3", SysOp.INT3);
        t[0xCD] = sys("int Ib", SysOp.INT);
        t[0xCE] = sys("into", SysOp.INTO, I64);
        t[0xCF] = sys("iret|iretd|iretq", SysOp.IRET);
        t[0xD0] = shiftGroup("Eb,1", SHIFT_I);
        t[0xD1] = shiftGroup("Ev,1", SHIFT_I);
        t[0xD2] = shiftGroup("Eb,CL", SHIFT_CL);
        t[0xD3] = shiftGroup("Ev,CL", SHIFT_CL);
        t[0xD4] = e("aam Ib", AAM, 0, I64);
        t[0xD5] = e("aad Ib", AAD, 0, I64);
        t[0xD6] = e("salc", SALC, 0, I64);
        t[0xD7] = e("xlatb", XLAT, 0, OpcodeEntry.SIZE_B);
        t[0xE0] = e("loopne Jb", LOOP, 0, F64);
        t[0xE1] = e("loope Jb", LOOP, 1, F64);
        t[0xE2] = e("loop Jb", LOOP, 2, F64);
        t[0xE3] = e("jcxz|jecxz|jrcxz Jb", LOOP, 3, F64 | NAME_BY_ASIZE);
        t[0xE4] = sys("in AL,Ib", SysOp.IN_I);
        t[0xE5] = sys("in eAX,Ib", SysOp.IN_I);
        t[0xE6] = sys("out Ib,AL", SysOp.OUT_I);
        t[0xE7] = sys("out Ib,eAX", SysOp.OUT_I);
        t[0xE8] = e("call Jz", CALL_REL, 0, F64);
        t[0xE9] = e("jmp Jz", JMP_REL, 0, F64);
        t[0xEA] = sys("jmpf Ap", SysOp.JMPF_A, I64);
        t[0xEB] = e("jmp Jb", JMP_REL, 0, F64);
        t[0xEC] = sys("in AL,DX", SysOp.IN_DX);
        t[0xED] = sys("in eAX,DX", SysOp.IN_DX);
        t[0xEE] = sys("out DX,AL", SysOp.OUT_DX);
        t[0xEF] = sys("out DX,eAX", SysOp.OUT_DX);
        t[0xF1] = sys("int1", SysOp.INT1);
        t[0xF4] = sys("hlt", SysOp.HLT);
        t[0xF5] = e("cmc", FLAGOP, Flag.CMC);
        t[0xF6] = reg(e("test Eb,Ib", TEST_EI), e("test Eb,Ib", TEST_EI), e("not Eb", NOT, 0, LOCKABLE),
                e("neg Eb", NEG, 0, LOCKABLE), e("mul Eb", MULDIV, MulDiv.MUL), e("imul Eb", MULDIV, MulDiv.IMUL),
                e("div Eb", MULDIV, MulDiv.DIV), e("idiv Eb", MULDIV, MulDiv.IDIV));
        t[0xF7] = reg(e("test Ev,Iz", TEST_EI), e("test Ev,Iz", TEST_EI), e("not Ev", NOT, 0, LOCKABLE),
                e("neg Ev", NEG, 0, LOCKABLE), e("mul Ev", MULDIV, MulDiv.MUL), e("imul Ev", MULDIV, MulDiv.IMUL),
                e("div Ev", MULDIV, MulDiv.DIV), e("idiv Ev", MULDIV, MulDiv.IDIV));
        t[0xF8] = e("clc", FLAGOP, Flag.CLC);
        t[0xF9] = e("stc", FLAGOP, Flag.STC);
        t[0xFA] = sys("cli", SysOp.CLI);
        t[0xFB] = sys("sti", SysOp.STI);
        t[0xFC] = e("cld", FLAGOP, Flag.CLD);
        t[0xFD] = e("std", FLAGOP, Flag.STD);
        t[0xFE] = reg(e("inc Eb", INC, 0, LOCKABLE), e("dec Eb", DEC, 0, LOCKABLE), null, null, null, null, null,
                null);
        t[0xFF] = reg(e("inc Ev", INC, 0, LOCKABLE), e("dec Ev", DEC, 0, LOCKABLE), e("call Ev", CALL_E, 0, F64),
                mod(sys("callf Mp", SysOp.CALLF_M), null), e("jmp Ev", JMP_E, 0, F64),
                mod(sys("jmpf Mp", SysOp.JMPF_M), null), e("push Ev", PUSH_E, 0, D64), null);
        // Prefix bytes (26 2E 36 3E 64 65 66 67 F0 F2 F3) and 0F are handled by the decoder.
    }

    private static void buildTwoByte() {
        OpcodeEntry[] t = TWO_BYTE;
        t[0x00] = reg(sys("sldt Ev", SysOp.SLDT), sys("str Ev", SysOp.STR), sys("lldt Ew", SysOp.LLDT),
                sys("ltr Ew", SysOp.LTR), sys("verr Ew", SysOp.VERR), sys("verw Ew", SysOp.VERW), null, null);
        t[0x01] = mod(
                reg(sys("sgdt Ms", SysOp.SGDT), sys("sidt Ms", SysOp.SIDT), sys("lgdt Ms", SysOp.LGDT),
                        sys("lidt Ms", SysOp.LIDT), sys("smsw Ew", SysOp.SMSW), null, sys("lmsw Ew", SysOp.LMSW),
                        sys("invlpg Mb", SysOp.INVLPG)),
                reg(rm(null, sys("vmcall", SysOp.VMCALL), null, null, null, null, null, null),
                        rm(sys("monitor", SysOp.MONITOR), sys("mwait", SysOp.MWAIT), sys("clac", SysOp.CLAC),
                                sys("stac", SysOp.STAC), null, null, null, null),
                        rm(sys("xgetbv", SysOp.XGETBV), sys("xsetbv", SysOp.XSETBV), null, null, null, null, null,
                                null),
                        rm(null, sys("vmmcall", SysOp.VMCALL), null, null, null, null, null, null),
                        sys("smsw Ev", SysOp.SMSW), null, sys("lmsw Ew", SysOp.LMSW),
                        rm(sys("swapgs", SysOp.SWAPGS, O64), sys("rdtscp", SysOp.RDTSCP), null, null, null, null,
                                null, null)));
        t[0x02] = sys("lar Gv,Ew", SysOp.LAR);
        t[0x03] = sys("lsl Gv,Ew", SysOp.LSL);
        t[0x05] = sys("syscall", SysOp.SYSCALL);
        t[0x06] = sys("clts", SysOp.CLTS);
        t[0x07] = sys("sysret", SysOp.SYSRET);
        t[0x08] = sys("invd", SysOp.INVD);
        t[0x09] = sys("wbinvd", SysOp.WBINVD);
        t[0x0B] = e("ud2", UD);
        t[0x0D] = e("prefetchw Mb", NOP);
        t[0x10] = pfx(e("movups Vx,Wx", SIMD, SimdOp.MOVUPS), e("movupd Vx,Wx", SIMD, SimdOp.MOVUPS),
                e("movss Vx,Wss", SIMD, SimdOp.MOVSS), e("movsd Vx,Wsd", SIMD, SimdOp.MOVSD));
        t[0x11] = pfx(e("movups Wx,Vx", SIMD, SimdOp.MOVUPS), e("movupd Wx,Vx", SIMD, SimdOp.MOVUPS),
                e("movss Wss,Vx", SIMD, SimdOp.MOVSS), e("movsd Wsd,Vx", SIMD, SimdOp.MOVSD));
        t[0x12] = pfx(mod(e("movlps Vx,Mq", SIMD, SimdOp.MOVLPS_LOAD), e("movhlps Vx,Ux", SIMD, SimdOp.MOVHLPS)),
                mod(e("movlpd Vx,Mq", SIMD, SimdOp.MOVLPS_LOAD), null),
                e("movsldup Vx,Wx", SIMD, SimdOp.MOVSLDUP), e("movddup Vx,Wsd", SIMD, SimdOp.MOVDDUP));
        t[0x13] = pfx(mod(e("movlps Mq,Vx", SIMD, SimdOp.MOVLPS_STORE), null),
                mod(e("movlpd Mq,Vx", SIMD, SimdOp.MOVLPS_STORE), null), null, null);
        t[0x14] = pfx(e("unpcklps Vx,Wx", SIMD, SimdOp.UNPCKLPS), e("unpcklpd Vx,Wx", SIMD, SimdOp.UNPCKLPD),
                null, null);
        t[0x15] = pfx(e("unpckhps Vx,Wx", SIMD, SimdOp.UNPCKHPS), e("unpckhpd Vx,Wx", SIMD, SimdOp.UNPCKHPD),
                null, null);
        t[0x16] = pfx(mod(e("movhps Vx,Mq", SIMD, SimdOp.MOVHPS_LOAD), e("movlhps Vx,Ux", SIMD, SimdOp.MOVLHPS)),
                mod(e("movhpd Vx,Mq", SIMD, SimdOp.MOVHPS_LOAD), null),
                e("movshdup Vx,Wx", SIMD, SimdOp.MOVSHDUP), null);
        t[0x17] = pfx(mod(e("movhps Mq,Vx", SIMD, SimdOp.MOVHPS_STORE), null),
                mod(e("movhpd Mq,Vx", SIMD, SimdOp.MOVHPS_STORE), null), null, null);
        t[0x18] = e("prefetch Ev", NOP);
        for (int i = 0x19; i <= 0x1F; i++) {
            t[i] = e("nop Ev", NOP); // hint NOPs incl. ENDBR64 (F3 0F 1E FA)
        }
        t[0x20] = sys("mov Rq,Cq", SysOp.MOV_FROM_CR, SIZE_CR | MOD_IGNORED);
        t[0x21] = sys("mov Rq,Dq", SysOp.MOV_FROM_DR, SIZE_CR | MOD_IGNORED);
        t[0x22] = sys("mov Cq,Rq", SysOp.MOV_TO_CR, SIZE_CR | MOD_IGNORED);
        t[0x23] = sys("mov Dq,Rq", SysOp.MOV_TO_DR, SIZE_CR | MOD_IGNORED);
        t[0x28] = pfx(e("movaps Vx,Wx", SIMD, SimdOp.MOVAPS), e("movapd Vx,Wx", SIMD, SimdOp.MOVAPS), null, null);
        t[0x29] = pfx(e("movaps Wx,Vx", SIMD, SimdOp.MOVAPS), e("movapd Wx,Vx", SIMD, SimdOp.MOVAPS), null, null);
        t[0x2A] = pfx(e("cvtpi2ps Vx,Qq", SIMD, SimdOp.CVTPI2PS), e("cvtpi2pd Vx,Qq", SIMD, SimdOp.CVTPI2PD),
                e("cvtsi2ss Vx,Ey", SIMD, SimdOp.CVTSI2SS), e("cvtsi2sd Vx,Ey", SIMD, SimdOp.CVTSI2SD));
        t[0x2B] = pfx(mod(e("movntps Mx,Vx", SIMD, SimdOp.MOVAPS), null),
                mod(e("movntpd Mx,Vx", SIMD, SimdOp.MOVAPS), null), null, null);
        t[0x2C] = pfx(e("cvttps2pi Pq,Wq", SIMD, SimdOp.CVTTPS2PI), e("cvttpd2pi Pq,Wx", SIMD, SimdOp.CVTTPD2PI),
                e("cvttss2si Gy,Wss", SIMD, SimdOp.CVTTSS2SI), e("cvttsd2si Gy,Wsd", SIMD, SimdOp.CVTTSD2SI));
        t[0x2D] = pfx(e("cvtps2pi Pq,Wq", SIMD, SimdOp.CVTPS2PI), e("cvtpd2pi Pq,Wx", SIMD, SimdOp.CVTPD2PI),
                e("cvtss2si Gy,Wss", SIMD, SimdOp.CVTSS2SI), e("cvtsd2si Gy,Wsd", SIMD, SimdOp.CVTSD2SI));
        t[0x2E] = pfx(e("ucomiss Vx,Wss", SIMD, SimdOp.UCOMISS), e("ucomisd Vx,Wsd", SIMD, SimdOp.UCOMISD), null,
                null);
        t[0x2F] = pfx(e("comiss Vx,Wss", SIMD, SimdOp.COMISS), e("comisd Vx,Wsd", SIMD, SimdOp.COMISD), null,
                null);
        t[0x30] = sys("wrmsr", SysOp.WRMSR);
        t[0x31] = sys("rdtsc", SysOp.RDTSC);
        t[0x32] = sys("rdmsr", SysOp.RDMSR);
        t[0x33] = sys("rdpmc", SysOp.RDPMC);
        t[0x34] = sys("sysenter", SysOp.SYSENTER);
        t[0x35] = sys("sysexit", SysOp.SYSEXIT);
        for (int c = 0; c < 16; c++) {
            t[0x40 + c] = e("cmov" + CC[c] + " Gv,Ev", CMOVCC, c);
            t[0x80 + c] = e("j" + CC[c] + " Jz", JCC, c, F64);
            t[0x90 + c] = e("set" + CC[c] + " Eb", SETCC, c);
        }
        t[0x50] = pfx(mod(null, e("movmskps Gd,Ux", SIMD, SimdOp.MOVMSKPS)),
                mod(null, e("movmskpd Gd,Ux", SIMD, SimdOp.MOVMSKPD)), null, null);
        t[0x51] = fp4("sqrt", SimdOp.SQRTPS);
        t[0x52] = pfx(e("rsqrtps Vx,Wx", SIMD, SimdOp.RSQRTPS), null, e("rsqrtss Vx,Wss", SIMD, SimdOp.RSQRTSS),
                null);
        t[0x53] = pfx(e("rcpps Vx,Wx", SIMD, SimdOp.RCPPS), null, e("rcpss Vx,Wss", SIMD, SimdOp.RCPSS), null);
        t[0x54] = pfx(e("andps Vx,Wx", SIMD, SimdOp.ANDPS), e("andpd Vx,Wx", SIMD, SimdOp.ANDPS), null, null);
        t[0x55] = pfx(e("andnps Vx,Wx", SIMD, SimdOp.ANDNPS), e("andnpd Vx,Wx", SIMD, SimdOp.ANDNPS), null, null);
        t[0x56] = pfx(e("orps Vx,Wx", SIMD, SimdOp.ORPS), e("orpd Vx,Wx", SIMD, SimdOp.ORPS), null, null);
        t[0x57] = pfx(e("xorps Vx,Wx", SIMD, SimdOp.XORPS), e("xorpd Vx,Wx", SIMD, SimdOp.XORPS), null, null);
        t[0x58] = fp4("add", SimdOp.ADDPS);
        t[0x59] = fp4("mul", SimdOp.MULPS);
        t[0x5A] = pfx(e("cvtps2pd Vx,Wq", SIMD, SimdOp.CVTPS2PD), e("cvtpd2ps Vx,Wx", SIMD, SimdOp.CVTPD2PS),
                e("cvtss2sd Vx,Wss", SIMD, SimdOp.CVTSS2SD), e("cvtsd2ss Vx,Wsd", SIMD, SimdOp.CVTSD2SS));
        t[0x5B] = pfx(e("cvtdq2ps Vx,Wx", SIMD, SimdOp.CVTDQ2PS), e("cvtps2dq Vx,Wx", SIMD, SimdOp.CVTPS2DQ),
                e("cvttps2dq Vx,Wx", SIMD, SimdOp.CVTTPS2DQ), null);
        t[0x5C] = fp4("sub", SimdOp.SUBPS);
        t[0x5D] = fp4("min", SimdOp.MINPS);
        t[0x5E] = fp4("div", SimdOp.DIVPS);
        t[0x5F] = fp4("max", SimdOp.MAXPS);
        String[] p60 = {"punpcklbw", "punpcklwd", "punpckldq", "packsswb", "pcmpgtb", "pcmpgtw", "pcmpgtd",
            "packuswb", "punpckhbw", "punpckhwd", "punpckhdq", "packssdw"};
        int[] o60 = {SimdOp.PUNPCKLBW, SimdOp.PUNPCKLWD, SimdOp.PUNPCKLDQ, SimdOp.PACKSSWB, SimdOp.PCMPGTB,
            SimdOp.PCMPGTW, SimdOp.PCMPGTD, SimdOp.PACKUSWB, SimdOp.PUNPCKHBW, SimdOp.PUNPCKHWD,
            SimdOp.PUNPCKHDQ, SimdOp.PACKSSDW};
        for (int i = 0; i < p60.length; i++) {
            t[0x60 + i] = mmxSse(p60[i], o60[i]);
        }
        t[0x6C] = sse66("punpcklqdq Vx,Wx", SimdOp.PUNPCKLQDQ);
        t[0x6D] = sse66("punpckhqdq Vx,Wx", SimdOp.PUNPCKHQDQ);
        t[0x6E] = pfx(e("movd|movq Pq,Ey", SIMD, SimdOp.MOVD_TO_VEC, NAME_BY_W),
                e("movd|movq Vx,Ey", SIMD, SimdOp.MOVD_TO_VEC, NAME_BY_W), null, null);
        t[0x6F] = pfx(e("movq Pq,Qq", SIMD, SimdOp.MOVQ_VEC), e("movdqa Vx,Wx", SIMD, SimdOp.MOVDQA),
                e("movdqu Vx,Wx", SIMD, SimdOp.MOVDQU), null);
        t[0x70] = pfx(e("pshufw Pq,Qq,Ib", SIMD, SimdOp.PSHUFW), e("pshufd Vx,Wx,Ib", SIMD, SimdOp.PSHUFD),
                e("pshufhw Vx,Wx,Ib", SIMD, SimdOp.PSHUFHW), e("pshuflw Vx,Wx,Ib", SIMD, SimdOp.PSHUFLW));
        t[0x71] = shiftImmGroup("psrlw", SimdOp.PSRLW_I, null, 0, "psraw", SimdOp.PSRAW_I, "psllw", SimdOp.PSLLW_I,
                null, 0);
        t[0x72] = shiftImmGroup("psrld", SimdOp.PSRLD_I, null, 0, "psrad", SimdOp.PSRAD_I, "pslld", SimdOp.PSLLD_I,
                null, 0);
        t[0x73] = shiftImmGroup("psrlq", SimdOp.PSRLQ_I, "psrldq", SimdOp.PSRLDQ, null, 0, "psllq", SimdOp.PSLLQ_I,
                "pslldq", SimdOp.PSLLDQ);
        t[0x74] = mmxSse("pcmpeqb", SimdOp.PCMPEQB);
        t[0x75] = mmxSse("pcmpeqw", SimdOp.PCMPEQW);
        t[0x76] = mmxSse("pcmpeqd", SimdOp.PCMPEQD);
        t[0x77] = pfx(e("emms", SIMD, SimdOp.EMMS), null, null, null);
        t[0x7C] = pfx(null, e("haddpd Vx,Wx", SIMD, SimdOp.HADDPD), null, e("haddps Vx,Wx", SIMD, SimdOp.HADDPS));
        t[0x7D] = pfx(null, e("hsubpd Vx,Wx", SIMD, SimdOp.HSUBPD), null, e("hsubps Vx,Wx", SIMD, SimdOp.HSUBPS));
        t[0x7E] = pfx(e("movd|movq Ey,Pq", SIMD, SimdOp.MOVD_FROM_VEC, NAME_BY_W),
                e("movd|movq Ey,Vx", SIMD, SimdOp.MOVD_FROM_VEC, NAME_BY_W),
                e("movq Vx,Wq", SIMD, SimdOp.MOVQ_LOAD_XMM), null);
        t[0x7F] = pfx(e("movq Qq,Pq", SIMD, SimdOp.MOVQ_VEC), e("movdqa Wx,Vx", SIMD, SimdOp.MOVDQA),
                e("movdqu Wx,Vx", SIMD, SimdOp.MOVDQU), null);
        t[0xA0] = e("push FS", PUSH_SEG, 4, D64);
        t[0xA1] = e("pop FS", POP_SEG, 4, D64);
        t[0xA2] = sys("cpuid", SysOp.CPUID);
        t[0xA3] = e("bt Ev,Gv", BT_EG, 0);
        t[0xA4] = e("shld Ev,Gv,Ib", SHXD_I, 0);
        t[0xA5] = e("shld Ev,Gv,CL", SHXD_CL, 0);
        t[0xA8] = e("push GS", PUSH_SEG, 5, D64);
        t[0xA9] = e("pop GS", POP_SEG, 5, D64);
        t[0xAA] = sys("rsm", SysOp.RSM);
        t[0xAB] = e("bts Ev,Gv", BT_EG, 1, LOCKABLE);
        t[0xAC] = e("shrd Ev,Gv,Ib", SHXD_I, 1);
        t[0xAD] = e("shrd Ev,Gv,CL", SHXD_CL, 1);
        t[0xAE] = pfx(
                mod(reg(e("fxsave Mblob", SIMD_STATE, SimdOp.FXSAVE), e("fxrstor Mblob", SIMD_STATE, SimdOp.FXRSTOR),
                        e("ldmxcsr Md", SIMD_STATE, SimdOp.LDMXCSR), e("stmxcsr Md", SIMD_STATE, SimdOp.STMXCSR),
                        e("xsave Mblob", SIMD_STATE, SimdOp.XSAVE), e("xrstor Mblob", SIMD_STATE, SimdOp.XRSTOR),
                        e("xsaveopt Mblob", SIMD_STATE, SimdOp.XSAVEOPT), sys("clflush Mb", SysOp.CLFLUSH)),
                    reg(null, null, null, null, null, sys("lfence", SysOp.FENCE), sys("mfence", SysOp.FENCE),
                        sys("sfence", SysOp.FENCE))),
                mod(reg(null, null, null, null, null, null, sys("clwb Mb", SysOp.CLFLUSH),
                        sys("clflushopt Mb", SysOp.CLFLUSH)), null),
                mod(null, reg(sys("rdfsbase Ry", SysOp.RDFSBASE, O64), sys("rdgsbase Ry", SysOp.RDGSBASE, O64),
                        sys("wrfsbase Ry", SysOp.WRFSBASE, O64), sys("wrgsbase Ry", SysOp.WRGSBASE, O64),
                        null, null, null, null)),
                null);
        t[0xAF] = e("imul Gv,Ev", IMUL_GE);
        t[0xB0] = e("cmpxchg Eb,Gb", CMPXCHG, 0, LOCKABLE);
        t[0xB1] = e("cmpxchg Ev,Gv", CMPXCHG, 0, LOCKABLE);
        t[0xB2] = e("lss Gv,Mp", LOAD_FAR_PTR, 2);
        t[0xB3] = e("btr Ev,Gv", BT_EG, 2, LOCKABLE);
        t[0xB4] = e("lfs Gv,Mp", LOAD_FAR_PTR, 4);
        t[0xB5] = e("lgs Gv,Mp", LOAD_FAR_PTR, 5);
        t[0xB6] = e("movzx Gv,Eb", MOVZX, 1);
        t[0xB7] = e("movzx Gv,Ew", MOVZX, 2);
        t[0xB8] = pfx(null, null, e("popcnt Gv,Ev", POPCNT), null);
        t[0xB9] = e("ud1 Gv,Ev", UD);
        t[0xBA] = reg(null, null, null, null, e("bt Ev,Ib", BT_EI, 0), e("bts Ev,Ib", BT_EI, 1, LOCKABLE),
                e("btr Ev,Ib", BT_EI, 2, LOCKABLE), e("btc Ev,Ib", BT_EI, 3, LOCKABLE));
        t[0xBB] = e("btc Ev,Gv", BT_EG, 3, LOCKABLE);
        t[0xBC] = pfx(e("bsf Gv,Ev", BSF), e("bsf Gv,Ev", BSF), e("tzcnt Gv,Ev", TZCNT), e("bsf Gv,Ev", BSF));
        t[0xBD] = pfx(e("bsr Gv,Ev", BSR), e("bsr Gv,Ev", BSR), e("lzcnt Gv,Ev", LZCNT), e("bsr Gv,Ev", BSR));
        t[0xBE] = e("movsx Gv,Eb", MOVSX, 1);
        t[0xBF] = e("movsx Gv,Ew", MOVSX, 2);
        t[0xC0] = e("xadd Eb,Gb", XADD, 0, LOCKABLE);
        t[0xC1] = e("xadd Ev,Gv", XADD, 0, LOCKABLE);
        t[0xC2] = pfx(e("cmpps Vx,Wx,Ib", SIMD, SimdOp.CMPPS), e("cmppd Vx,Wx,Ib", SIMD, SimdOp.CMPPD),
                e("cmpss Vx,Wss,Ib", SIMD, SimdOp.CMPSS), e("cmpsd Vx,Wsd,Ib", SIMD, SimdOp.CMPSD));
        t[0xC3] = pfx(mod(e("movnti My,Gy", MOV_EG, 0, SIZE_Y), null), null, null, null);
        t[0xC4] = pfx(e("pinsrw Pq,Ed,Ib", SIMD, SimdOp.PINSRW), e("pinsrw Vx,Ed,Ib", SIMD, SimdOp.PINSRW), null,
                null);
        t[0xC5] = pfx(mod(null, e("pextrw Gd,Nq,Ib", SIMD, SimdOp.PEXTRW)),
                mod(null, e("pextrw Gd,Ux,Ib", SIMD, SimdOp.PEXTRW)), null, null);
        t[0xC6] = pfx(e("shufps Vx,Wx,Ib", SIMD, SimdOp.SHUFPS), e("shufpd Vx,Wx,Ib", SIMD, SimdOp.SHUFPD), null,
                null);
        t[0xC7] = mod(reg(null, e("cmpxchg8b|cmpxchg16b Mq", CMPXCHG_DOUBLE, 0, LOCKABLE | SIZE_Y | NAME_BY_W),
                        null, null, null, null, null, null),
                reg(null, null, null, null, null, null, sys("rdrand Rv", SysOp.RDRAND),
                        pfx(sys("rdseed Rv", SysOp.RDSEED), sys("rdseed Rv", SysOp.RDSEED),
                                sys("rdpid Rq", SysOp.RDPID, OpcodeEntry.SIZE_Q), null)));
        for (int r = 0; r < 8; r++) {
            t[0xC8 + r] = e("bswap Zv", BSWAP);
        }
        t[0xD0] = pfx(null, e("addsubpd Vx,Wx", SIMD, SimdOp.ADDSUBPD), null,
                e("addsubps Vx,Wx", SIMD, SimdOp.ADDSUBPS));
        t[0xD1] = mmxSse("psrlw", SimdOp.PSRLW);
        t[0xD2] = mmxSse("psrld", SimdOp.PSRLD);
        t[0xD3] = mmxSse("psrlq", SimdOp.PSRLQ);
        t[0xD4] = mmxSse("paddq", SimdOp.PADDQ);
        t[0xD5] = mmxSse("pmullw", SimdOp.PMULLW);
        t[0xD6] = pfx(null, e("movq Wq,Vx", SIMD, SimdOp.MOVQ_STORE_XMM),
                mod(null, e("movq2dq Vx,Nq", SIMD, SimdOp.MOVQ2DQ)), mod(null, e("movdq2q Pq,Ux", SIMD,
                        SimdOp.MOVDQ2Q)));
        t[0xD7] = pfx(mod(null, e("pmovmskb Gd,Nq", SIMD, SimdOp.PMOVMSKB)),
                mod(null, e("pmovmskb Gd,Ux", SIMD, SimdOp.PMOVMSKB)), null, null);
        String[] pd8 = {"psubusb", "psubusw", "pminub", "pand", "paddusb", "paddusw", "pmaxub", "pandn",
            "pavgb", "psraw", "psrad", "pavgw", "pmulhuw", "pmulhw"};
        int[] od8 = {SimdOp.PSUBUSB, SimdOp.PSUBUSW, SimdOp.PMINUB, SimdOp.PAND, SimdOp.PADDUSB, SimdOp.PADDUSW,
            SimdOp.PMAXUB, SimdOp.PANDN, SimdOp.PAVGB, SimdOp.PSRAW, SimdOp.PSRAD, SimdOp.PAVGW, SimdOp.PMULHUW,
            SimdOp.PMULHW};
        for (int i = 0; i < pd8.length; i++) {
            t[0xD8 + i] = mmxSse(pd8[i], od8[i]);
        }
        t[0xE6] = pfx(null, e("cvttpd2dq Vx,Wx", SIMD, SimdOp.CVTTPD2DQ), e("cvtdq2pd Vx,Wq", SIMD,
                SimdOp.CVTDQ2PD), e("cvtpd2dq Vx,Wx", SIMD, SimdOp.CVTPD2DQ));
        t[0xE7] = pfx(mod(e("movntq Mq,Pq", SIMD, SimdOp.MOVQ_VEC), null),
                mod(e("movntdq Mx,Vx", SIMD, SimdOp.MOVDQA), null), null, null);
        String[] pe8 = {"psubsb", "psubsw", "pminsw", "por", "paddsb", "paddsw", "pmaxsw", "pxor"};
        int[] oe8 = {SimdOp.PSUBSB, SimdOp.PSUBSW, SimdOp.PMINSW, SimdOp.POR, SimdOp.PADDSB, SimdOp.PADDSW,
            SimdOp.PMAXSW, SimdOp.PXOR};
        for (int i = 0; i < pe8.length; i++) {
            t[0xE8 + i] = mmxSse(pe8[i], oe8[i]);
        }
        t[0xF0] = pfx(null, null, null, mod(e("lddqu Vx,Mx", SIMD, SimdOp.LDDQU), null));
        String[] pf1 = {"psllw", "pslld", "psllq", "pmuludq", "pmaddwd", "psadbw"};
        int[] of1 = {SimdOp.PSLLW, SimdOp.PSLLD, SimdOp.PSLLQ, SimdOp.PMULUDQ, SimdOp.PMADDWD, SimdOp.PSADBW};
        for (int i = 0; i < pf1.length; i++) {
            t[0xF1 + i] = mmxSse(pf1[i], of1[i]);
        }
        t[0xF7] = pfx(mod(null, e("maskmovq Pq,Nq", SIMD, SimdOp.MASKMOVQ)),
                mod(null, e("maskmovdqu Vx,Ux", SIMD, SimdOp.MASKMOVQ)), null, null);
        String[] pf8 = {"psubb", "psubw", "psubd", "psubq", "paddb", "paddw", "paddd"};
        int[] of8 = {SimdOp.PSUBB, SimdOp.PSUBW, SimdOp.PSUBD, SimdOp.PSUBQ, SimdOp.PADDB, SimdOp.PADDW,
            SimdOp.PADDD};
        for (int i = 0; i < pf8.length; i++) {
            t[0xF8 + i] = mmxSse(pf8[i], of8[i]);
        }
        t[0xFF] = e("ud0 Gv,Ev", UD);
    }

    /** Groups 12-14 (0F 71-73): shifts of MMX (no prefix, Nq) or XMM (66, Ux) registers by Ib. */
    private static OpcodeEntry shiftImmGroup(String n2, int o2, String n3, int o3, String n4, int o4, String n6,
            int o6, String n7, int o7) {
        String[] names = {null, null, n2, n3, n4, null, n6, n7};
        int[] ops = {0, 0, o2, o3, o4, 0, o6, o7};
        OpcodeEntry[] mmx = new OpcodeEntry[8];
        OpcodeEntry[] xmm = new OpcodeEntry[8];
        for (int i = 0; i < 8; i++) {
            if (names[i] == null) {
                continue;
            }
            boolean dqOnly = ops[i] == SimdOp.PSRLDQ || ops[i] == SimdOp.PSLLDQ;
            mmx[i] = dqOnly ? null : e(names[i] + " Nq,Ib", SIMD, ops[i]);
            xmm[i] = e(names[i] + " Ux,Ib", SIMD, ops[i]);
        }
        return pfx(mod(null, reg(mmx)), mod(null, reg(xmm)), null, null);
    }

    /** An SSE4 row that exists only with the 66 prefix. */
    private static void s4(OpcodeEntry[] map, int opcode, String spec, int sse4Op) {
        map[opcode] = pfx(null, e(spec, SSE4, sse4Op), null, null);
    }

    private static void buildThreeByte() {
        OpcodeEntry[] t = THREE_BYTE_38;
        String[] names = {"pshufb", "phaddw", "phaddd", "phaddsw", "pmaddubsw", "phsubw", "phsubd", "phsubsw",
            "psignb", "psignw", "psignd", "pmulhrsw"};
        int[] ops = {SimdOp.PSHUFB, SimdOp.PHADDW, SimdOp.PHADDD, SimdOp.PHADDSW, SimdOp.PMADDUBSW, SimdOp.PHSUBW,
            SimdOp.PHSUBD, SimdOp.PHSUBSW, SimdOp.PSIGNB, SimdOp.PSIGNW, SimdOp.PSIGND, SimdOp.PMULHRSW};
        for (int i = 0; i < names.length; i++) {
            t[i] = mmxSse(names[i], ops[i]);
        }
        t[0x1C] = mmxSse("pabsb", SimdOp.PABSB);
        t[0x1D] = mmxSse("pabsw", SimdOp.PABSW);
        t[0x1E] = mmxSse("pabsd", SimdOp.PABSD);
        t[0xF0] = pfx(mod(e("movbe Gv,Mv", MOVBE, 0), null), mod(e("movbe Gv,Mv", MOVBE, 0), null), null,
                e("crc32 Gy,Eb", SSE4, Sse4Op.CRC32_B, OpcodeEntry.SIZE_Y));
        t[0xF1] = pfx(mod(e("movbe Mv,Gv", MOVBE, 1), null), mod(e("movbe Mv,Gv", MOVBE, 1), null), null,
                e("crc32 Gy,Ev", SSE4, Sse4Op.CRC32_V, OpcodeEntry.SIZE_Y));
        // SSE4.1 / SSE4.2 (66 0F 38 xx)
        s4(t, 0x10, "pblendvb Vx,Wx", Sse4Op.PBLENDVB);
        s4(t, 0x14, "blendvps Vx,Wx", Sse4Op.BLENDVPS);
        s4(t, 0x15, "blendvpd Vx,Wx", Sse4Op.BLENDVPD);
        s4(t, 0x17, "ptest Vx,Wx", Sse4Op.PTEST);
        s4(t, 0x20, "pmovsxbw Vx,Wq", Sse4Op.PMOVSXBW);
        s4(t, 0x21, "pmovsxbd Vx,Wd", Sse4Op.PMOVSXBD);
        s4(t, 0x22, "pmovsxbq Vx,Ww", Sse4Op.PMOVSXBQ);
        s4(t, 0x23, "pmovsxwd Vx,Wq", Sse4Op.PMOVSXWD);
        s4(t, 0x24, "pmovsxwq Vx,Wd", Sse4Op.PMOVSXWQ);
        s4(t, 0x25, "pmovsxdq Vx,Wq", Sse4Op.PMOVSXDQ);
        s4(t, 0x28, "pmuldq Vx,Wx", Sse4Op.PMULDQ);
        s4(t, 0x29, "pcmpeqq Vx,Wx", Sse4Op.PCMPEQQ);
        t[0x2A] = pfx(null, mod(e("movntdqa Vx,Mx", SSE4, Sse4Op.MOVNTDQA), null), null, null);
        s4(t, 0x2B, "packusdw Vx,Wx", Sse4Op.PACKUSDW);
        s4(t, 0x30, "pmovzxbw Vx,Wq", Sse4Op.PMOVZXBW);
        s4(t, 0x31, "pmovzxbd Vx,Wd", Sse4Op.PMOVZXBD);
        s4(t, 0x32, "pmovzxbq Vx,Ww", Sse4Op.PMOVZXBQ);
        s4(t, 0x33, "pmovzxwd Vx,Wq", Sse4Op.PMOVZXWD);
        s4(t, 0x34, "pmovzxwq Vx,Wd", Sse4Op.PMOVZXWQ);
        s4(t, 0x35, "pmovzxdq Vx,Wq", Sse4Op.PMOVZXDQ);
        s4(t, 0x37, "pcmpgtq Vx,Wx", Sse4Op.PCMPGTQ);
        s4(t, 0x38, "pminsb Vx,Wx", Sse4Op.PMINSB);
        s4(t, 0x39, "pminsd Vx,Wx", Sse4Op.PMINSD);
        s4(t, 0x3A, "pminuw Vx,Wx", Sse4Op.PMINUW);
        s4(t, 0x3B, "pminud Vx,Wx", Sse4Op.PMINUD);
        s4(t, 0x3C, "pmaxsb Vx,Wx", Sse4Op.PMAXSB);
        s4(t, 0x3D, "pmaxsd Vx,Wx", Sse4Op.PMAXSD);
        s4(t, 0x3E, "pmaxuw Vx,Wx", Sse4Op.PMAXUW);
        s4(t, 0x3F, "pmaxud Vx,Wx", Sse4Op.PMAXUD);
        s4(t, 0x40, "pmulld Vx,Wx", Sse4Op.PMULLD);
        s4(t, 0x41, "phminposuw Vx,Wx", Sse4Op.PHMINPOSUW);
        OpcodeEntry[] u = THREE_BYTE_3A;
        u[0x0F] = pfx(e("palignr Pq,Qq,Ib", SIMD, SimdOp.PALIGNR), e("palignr Vx,Wx,Ib", SIMD, SimdOp.PALIGNR),
                null, null);
        // SSE4.1 / SSE4.2 (66 0F 3A xx ib)
        s4(u, 0x08, "roundps Vx,Wx,Ib", Sse4Op.ROUNDPS);
        s4(u, 0x09, "roundpd Vx,Wx,Ib", Sse4Op.ROUNDPD);
        s4(u, 0x0A, "roundss Vx,Wss,Ib", Sse4Op.ROUNDSS);
        s4(u, 0x0B, "roundsd Vx,Wsd,Ib", Sse4Op.ROUNDSD);
        s4(u, 0x0C, "blendps Vx,Wx,Ib", Sse4Op.BLENDPS);
        s4(u, 0x0D, "blendpd Vx,Wx,Ib", Sse4Op.BLENDPD);
        s4(u, 0x0E, "pblendw Vx,Wx,Ib", Sse4Op.PBLENDW);
        u[0x14] = pfx(null, e("pextrb Eb,Vx,Ib", SSE4, Sse4Op.PEXTRB), null, null);
        u[0x15] = pfx(null, e("pextrw Ew,Vx,Ib", SSE4, Sse4Op.PEXTRW_M), null, null);
        u[0x16] = pfx(null, e("pextrd|pextrq Ey,Vx,Ib", SSE4, Sse4Op.PEXTRD, NAME_BY_W), null, null);
        u[0x17] = pfx(null, e("extractps Ed,Vx,Ib", SSE4, Sse4Op.EXTRACTPS), null, null);
        u[0x20] = pfx(null, e("pinsrb Vx,Eb,Ib", SSE4, Sse4Op.PINSRB), null, null);
        u[0x21] = pfx(null, e("insertps Vx,Wd,Ib", SSE4, Sse4Op.INSERTPS), null, null);
        u[0x22] = pfx(null, e("pinsrd|pinsrq Vx,Ey,Ib", SSE4, Sse4Op.PINSRD, NAME_BY_W), null, null);
        s4(u, 0x60, "pcmpestrm Vx,Wx,Ib", Sse4Op.PCMPESTRM);
        s4(u, 0x61, "pcmpestri Vx,Wx,Ib", Sse4Op.PCMPESTRI);
        s4(u, 0x62, "pcmpistrm Vx,Wx,Ib", Sse4Op.PCMPISTRM);
        s4(u, 0x63, "pcmpistri Vx,Wx,Ib", Sse4Op.PCMPISTRI);
    }
}

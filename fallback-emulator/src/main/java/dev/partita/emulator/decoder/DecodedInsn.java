package dev.partita.emulator.decoder;

/**
 * One decoded instruction in the compact form the interpreter executes: op id and sub-op, widths,
 * prefix bits, and the operand descriptors resolved from ModRM/SIB/immediates. Mutable so that the
 * decoder can fill preallocated instances in a cache; once published in a cache it is not changed
 * again until the cache slot is reused. Owned by one vCPU thread.
 *
 * <p>Register numbers: 0-15 general registers (REX included); for byte-sized register operands
 * without a REX prefix, AH/CH/DH/BH are encoded as {@link #HIGH_BYTE_BASE} + 0..3.
 */
public final class DecodedInsn {

    /** First encoding of AH (AH = 20, CH = 21, DH = 22, BH = 23). */
    public static final int HIGH_BYTE_BASE = 20;
    /** {@link #base} value for RIP-relative addressing. */
    public static final int BASE_RIP = 16;
    /** {@link #rm} value when the r/m operand is in memory. */
    public static final int RM_MEMORY = -1;

    // Prefix bits.
    public static final int P_LOCK = 1;
    /** F3 (REP/REPE) as a repeat prefix (not consumed as a mandatory SIMD prefix). */
    public static final int P_REP = 1 << 1;
    /** F2 (REPNE) as a repeat prefix. */
    public static final int P_REPNE = 1 << 2;
    /** 66 present (as operand size or mandatory prefix). */
    public static final int P_OPSIZE = 1 << 3;
    /** 67 present. */
    public static final int P_ADDRSIZE = 1 << 4;
    /** A REX prefix is in effect. */
    public static final int P_REX = 1 << 5;
    public static final int P_REXW = 1 << 6;
    /** A segment override prefix is in effect. */
    public static final int P_SEG_OVERRIDE = 1 << 7;

    /** {@link Ops} id. */
    public int op;
    /** Sub-operation. */
    public int sub;
    /** Length in bytes (1-15; for {@link Ops#UD} the bytes consumed up to the fault). */
    public int length;
    /** Operation width in bytes: 1, 2, 4 or 8. */
    public int size;
    /** Operand size in bytes (2, 4 or 8) after prefixes and the D64/F64 rules. */
    public int opSize;
    /** Address size in bytes: 2, 4 or 8. */
    public int addrSize;
    /** SIMD vector length in bytes: 8 (MMX) or 16 (XMM); 0 otherwise. */
    public int vlen;
    /** {@code P_*} bits. */
    public int prefixes;
    /** Segment register index for the memory operand (override, or the default DS/SS). */
    public int seg;
    /** ModRM.reg operand (register number, REX.R applied). */
    public int reg;
    /** ModRM.rm register operand, or {@link #RM_MEMORY}. */
    public int rm;
    /** Memory base register, {@link #BASE_RIP}, or -1. */
    public int base;
    /** Memory index register or -1. */
    public int index;
    /** Index scale as a shift count (0-3). */
    public int scale;
    /** Displacement (sign-extended). */
    public long disp;
    /** First immediate (sign- or zero-extended as the operand kind says), or the branch displacement. */
    public long imm;
    /** Second immediate: ENTER's nesting level, a far pointer's selector. */
    public int imm2;
    /** The raw ModRM byte (or -1). */
    public int modrm;
    /** Processor mode it was decoded for: 16, 32 or 64. */
    public int mode;
    /** The table row (for disassembly). */
    public OpcodeEntry entry;

    /** Copy all fields from another instance. */
    public void copyFrom(DecodedInsn o) {
        op = o.op;
        sub = o.sub;
        length = o.length;
        size = o.size;
        opSize = o.opSize;
        addrSize = o.addrSize;
        vlen = o.vlen;
        prefixes = o.prefixes;
        seg = o.seg;
        reg = o.reg;
        rm = o.rm;
        base = o.base;
        index = o.index;
        scale = o.scale;
        disp = o.disp;
        imm = o.imm;
        imm2 = o.imm2;
        modrm = o.modrm;
        mode = o.mode;
        entry = o.entry;
    }

    @Override
    public String toString() {
        return Disassembler.format(this, 0);
    }
}

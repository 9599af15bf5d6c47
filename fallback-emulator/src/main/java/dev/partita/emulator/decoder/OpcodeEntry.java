package dev.partita.emulator.decoder;

/**
 * One row of the opcode table: either an instruction (mnemonic, operand kinds, op id, sub-op,
 * attributes) or a selector that picks a child by ModRM.reg, ModRM.mod, ModRM.rm, the mandatory
 * prefix or the processor mode. Immutable; shared by all decoders and threads.
 */
public final class OpcodeEntry {

    // Attributes.
    /** Invalid in 64-bit mode (#UD). */
    public static final int I64 = 1;
    /** Valid only in 64-bit mode. */
    public static final int O64 = 1 << 1;
    /** Default operand size 64 in 64-bit mode (66 gives 16). */
    public static final int D64 = 1 << 2;
    /** Operand size forced to 64 in 64-bit mode (near branches; Intel behaviour, 66 ignored). */
    public static final int F64 = 1 << 3;
    /** LOCK prefix allowed (with a memory destination). */
    public static final int LOCKABLE = 1 << 4;
    /** Has a ModRM byte (derived from operands or set for groups). */
    public static final int MODRM = 1 << 5;
    /** Mnemonic alternatives ("a|b") are chosen by REX.W rather than operand size. */
    public static final int NAME_BY_W = 1 << 6;
    /** Mnemonic alternatives are chosen by address size (JCXZ/JECXZ/JRCXZ). */
    public static final int NAME_BY_ASIZE = 1 << 7;
    /** Bits 8-11: the rule that gives the operation width ({@code SIZE_*} values shifted by 8). */
    public static final int SIZE_SHIFT = 8;
    public static final int SIZE_MASK = 0xF << SIZE_SHIFT;
    /** Width = operand size (2/4/8): the default when no operand says otherwise. */
    public static final int SIZE_V = 0;
    /** Width 1. */
    public static final int SIZE_B = 1 << SIZE_SHIFT;
    /** Width 2. */
    public static final int SIZE_W = 2 << SIZE_SHIFT;
    /** Width 4. */
    public static final int SIZE_D = 3 << SIZE_SHIFT;
    /** Width 8. */
    public static final int SIZE_Q = 4 << SIZE_SHIFT;
    /** Width 8 with REX.W, else 4. */
    public static final int SIZE_Y = 5 << SIZE_SHIFT;
    /** Width 8 in 64-bit mode, else 4 (MOV CR/DR). */
    public static final int SIZE_CR = 6 << SIZE_SHIFT;
    /** Width 2 for 16-bit operand size, else 4. */
    public static final int SIZE_Z = 7 << SIZE_SHIFT;
    /** Set when the size rule was given explicitly (not derived from the operands). */
    static final int SIZE_EXPLICIT = 1 << 12;
    /** ModRM.mod is ignored: r/m always names a register (MOV CR/DR). */
    public static final int MOD_IGNORED = 1 << 13;

    // Selector kinds.
    public static final int SEL_NONE = 0;
    public static final int SEL_REG = 1;
    /** children[0] for memory, children[1] for mod == 3. */
    public static final int SEL_MOD = 2;
    public static final int SEL_RM = 3;
    /** children: none, 66, F3, F2. */
    public static final int SEL_PREFIX = 4;
    /** children[0] outside 64-bit mode, children[1] in 64-bit mode. */
    public static final int SEL_MODE64 = 5;

    /** Lower-case Intel mnemonic, alternatives separated by '|'. */
    public final String mnemonic;
    /** Packed {@link OperandKind}s in Intel order (destination first). */
    final int[] operands;
    /** {@link Ops} id. */
    public final int op;
    /** Sub-operation within the family. */
    public final int sub;
    /** Attribute bits. */
    public final int attrs;
    final int selector;
    final OpcodeEntry[] children;

    OpcodeEntry(String mnemonic, int[] operands, int op, int sub, int attrs) {
        this.mnemonic = mnemonic;
        this.operands = operands;
        this.op = op;
        this.sub = sub;
        this.attrs = attrs;
        this.selector = SEL_NONE;
        this.children = null;
    }

    OpcodeEntry(int selector, OpcodeEntry[] children, int attrs) {
        this.mnemonic = null;
        this.operands = new int[0];
        this.op = Ops.UD;
        this.sub = 0;
        this.attrs = attrs;
        this.selector = selector;
        this.children = children;
    }

    /** Number of operands. */
    public int operandCount() {
        return operands.length;
    }

    /** Packed operand kind {@code i}. */
    public int operand(int i) {
        return operands[i];
    }

    /** Whether this row is an instruction (not a selector). */
    public boolean isInstruction() {
        return selector == SEL_NONE;
    }

    /** Whether attribute bits are all set. */
    public boolean has(int attr) {
        return (attrs & attr) == attr;
    }

    @Override
    public String toString() {
        return isInstruction() ? mnemonic : "selector" + selector;
    }
}

package dev.partita.emulator.diff.asm;

/**
 * An operand of an instruction for the differential test's encoder {@link X86Asm}: a register, a
 * memory reference, or a display-only immediate/literal. Immutable.
 */
public sealed interface Operand permits Operand.Reg, Operand.Mem, Operand.Imm, Operand.Literal {

    /** Operand size in bytes (0 when it has none, e.g. LEA's memory operand). */
    int size();

    /** Register number for {@link Mem#base} meaning RIP-relative addressing. */
    int RIP = 16;
    /** Register number meaning "absent" (no base or no index). */
    int NONE = -1;

    /**
     * A general-purpose register: x86 number 0-15 at size 1, 2, 4 or 8 bytes; {@code high} selects
     * AH/CH/DH/BH (number 4-7, size 1, never with a REX prefix).
     */
    record Reg(int num, int size, boolean high) implements Operand {
        public Reg {
            if (num < 0 || num > 15 || (size != 1 && size != 2 && size != 4 && size != 8)) {
                throw new IllegalArgumentException("bad register " + num + "/" + size);
            }
            if (high && (size != 1 || num < 4 || num > 7)) {
                throw new IllegalArgumentException("high-byte register must be AH..BH: " + num);
            }
        }

        /** True when only a REX prefix can name this register (SPL, BPL, SIL, DIL). */
        boolean needsRex() {
            return size == 1 && !high && num >= 4 && num <= 7;
        }

        @Override
        public String toString() {
            return RegNames.name(num, size, high);
        }
    }

    /**
     * A memory reference {@code [base + index*scale + disp]}. {@code base} may be {@link #RIP}
     * (then {@code disp} is the ABSOLUTE target address and the encoder computes the displacement),
     * or {@link #NONE}. {@code addr32} selects 32-bit address size (0x67). {@code forceDisp32} uses a
     * 32-bit displacement even when a shorter one would do.
     */
    record Mem(int base, int index, int scale, long disp, int size, boolean addr32, boolean forceDisp32)
            implements Operand {
        public Mem {
            if (index == 4 || index == RIP || (index != NONE && (index < 0 || index > 15))) {
                throw new IllegalArgumentException("bad index register " + index);
            }
            if (scale != 1 && scale != 2 && scale != 4 && scale != 8) {
                throw new IllegalArgumentException("bad scale " + scale);
            }
            if (base == RIP && (index != NONE || addr32)) {
                throw new IllegalArgumentException("RIP-relative takes no index and 64-bit addressing here");
            }
        }

        public static Mem at(int base, long disp, int size) {
            return new Mem(base, NONE, 1, disp, size, false, false);
        }

        public static Mem ripTo(long target, int size) {
            return new Mem(RIP, NONE, 1, target, size, false, false);
        }

        public Mem withSize(int newSize) {
            return new Mem(base, index, scale, disp, newSize, addr32, forceDisp32);
        }
    }

    /** An immediate, for display only (the encoder takes immediates as numbers). */
    record Imm(long value) implements Operand {
        @Override
        public int size() {
            return 0;
        }
    }

    /** Literal operand text, for display only (e.g. {@code cl}, {@code 1}). */
    record Literal(String text) implements Operand {
        @Override
        public int size() {
            return 0;
        }
    }
}

package dev.partita.hv.vp;

/** The 16 general-purpose registers, in x86 encoding order ({@link #ordinal()} = register number). */
public enum Gpr {
    RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15
}

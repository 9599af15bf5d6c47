package dev.partita.emulator.diff.asm;

/** Intel-syntax general-purpose register names by number and size. */
public final class RegNames {
    private static final String[] Q = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
        "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"};
    private static final String[] D = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi",
        "r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d"};
    private static final String[] W = {"ax", "cx", "dx", "bx", "sp", "bp", "si", "di",
        "r8w", "r9w", "r10w", "r11w", "r12w", "r13w", "r14w", "r15w"};
    private static final String[] B = {"al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil",
        "r8b", "r9b", "r10b", "r11b", "r12b", "r13b", "r14b", "r15b"};
    private static final String[] H = {"ah", "ch", "dh", "bh"};

    private RegNames() {
    }

    /** The name of register {@code num} (0-15) at {@code size} bytes; {@code high} for AH..BH. */
    public static String name(int num, int size, boolean high) {
        if (high) {
            return H[num - 4];
        }
        return switch (size) {
            case 1 -> B[num];
            case 2 -> W[num];
            case 4 -> D[num];
            default -> Q[num];
        };
    }

    /** The 64-bit name of register {@code num} (0-15). */
    public static String q(int num) {
        return Q[num];
    }
}

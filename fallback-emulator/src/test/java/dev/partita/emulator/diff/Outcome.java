package dev.partita.emulator.diff;

/**
 * How one case ended, on the host or in the emulator.
 *
 * @param kind      completed (reached the trampoline), faulted, or ran too long
 * @param vector    exception vector when {@code kind == FAULT}
 * @param errorCode error code pushed by the exception (0 when it pushes none)
 * @param cr2       faulting address for #PF
 * @param rip       RIP at the end: the trampoline address, or the faulting instruction (trap-class
 *                  exceptions such as #BP: the next instruction)
 * @param rflags    final RFLAGS
 * @param gpr       final RAX..R15
 * @param xmm       final XMM0-15 (low, high), 32 entries
 * @param mxcsr     final MXCSR
 * @param memDiff   the data region's changed 8-byte words as (byte offset, new value) pairs, by offset
 */
public record Outcome(Kind kind, int vector, long errorCode, long cr2, long rip, long rflags, long[] gpr,
        long[] xmm, int mxcsr, long[] memDiff) {

    /** How a case ended. */
    public enum Kind { DONE, FAULT, TIMEOUT }

    /** Whether the vector pushes an error code (#DF, #TS, #NP, #SS, #GP, #PF, #AC, #CP). */
    public static boolean hasErrorCode(int vector) {
        return vector == 8 || (vector >= 10 && vector <= 14) || vector == 17 || vector == 21;
    }
}

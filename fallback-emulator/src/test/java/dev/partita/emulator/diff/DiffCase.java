package dev.partita.emulator.diff;

import java.util.List;

/**
 * One differential test case: code run from {@link DiffLayout#CODE_BASE} at CPL3 in 64-bit mode with
 * the given initial registers and a data region filled from {@code dataSeed}.
 *
 * @param family         generator family (for grouping in reports)
 * @param form           instruction form key, e.g. {@code "shl r/m32,cl"} (undefined-flag report groups by it)
 * @param code           machine code (without the trampoline)
 * @param asm            the code as assembler text, one line per instruction (for reports)
 * @param starts         offset of each instruction in {@code code}, parallel to {@code asm}
 * @param gpr            initial RAX..R15
 * @param rflags         initial RFLAGS (only {@link DiffLayout#INPUT_FLAGS} bits are applied)
 * @param dataSeed       seed of the data region image ({@link DataImage})
 * @param xmm            initial XMM0-15 (low, high qwords), 32 entries
 * @param mxcsr          initial MXCSR
 * @param undefinedFlagsAt  per instruction (parallel to {@code starts}, plus one final entry for the
 *                       end of the code): RFLAGS bits the SDM calls undefined at that point (still
 *                       compared; a difference only there is reported separately, per form)
 * @param undefinedResultAt per instruction likewise: some register/memory result is undefined at that
 *                       point per the SDM (e.g. SHLD count > width, BSF of 0, LAHF of undefined flags)
 */
public record DiffCase(String family, String form, byte[] code, List<String> asm, List<Integer> starts, long[] gpr, long rflags,
        long dataSeed, long[] xmm, int mxcsr, int[] undefinedFlagsAt, boolean[] undefinedResultAt) {

    public DiffCase {
        if (gpr.length != 16 || xmm.length != 32) {
            throw new IllegalArgumentException("gpr must have 16 and xmm 32 entries");
        }
        if (code.length > DiffLayout.MAX_CODE) {
            throw new IllegalArgumentException("code too long: " + code.length);
        }
    }

    /** Index into the per-instruction arrays for an outcome ending at {@code rip} (the end: last entry). */
    private int pointIndex(long rip) {
        long off = rip - DiffLayout.CODE_BASE;
        for (int k = 0; k < starts.size(); k++) {
            if (starts.get(k) == off) {
                return Math.min(k, undefinedFlagsAt.length - 1);
            }
        }
        return undefinedFlagsAt.length - 1;
    }

    /** Undefined RFLAGS bits when execution stopped at {@code rip} (a fault there, or the end). */
    public int undefinedFlags(long rip) {
        return undefinedFlagsAt[pointIndex(rip)];
    }

    /** Whether some register/memory result is undefined when execution stopped at {@code rip}. */
    public boolean undefinedResult(long rip) {
        return undefinedResultAt[pointIndex(rip)];
    }

    /** Undefined RFLAGS bits at the end of the code. */
    public int undefinedFlags() {
        return undefinedFlagsAt[undefinedFlagsAt.length - 1];
    }

    /** Address where the case ends normally (the trampoline). */
    public long endAddress() {
        return DiffLayout.CODE_BASE + code.length;
    }
}

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
 * @param undefinedFlags RFLAGS bits the SDM calls undefined after this code (still compared; a
 *                       difference only there is reported separately, per form)
 * @param undefinedResult the SDM leaves some destination undefined (e.g. SHLD count > width): a
 *                       difference confined to registers/memory is reported as undefined, not failed
 */
public record DiffCase(String family, String form, byte[] code, List<String> asm, List<Integer> starts, long[] gpr, long rflags,
        long dataSeed, long[] xmm, int mxcsr, int undefinedFlags, boolean undefinedResult) {

    public DiffCase {
        if (gpr.length != 16 || xmm.length != 32) {
            throw new IllegalArgumentException("gpr must have 16 and xmm 32 entries");
        }
        if (code.length > DiffLayout.MAX_CODE) {
            throw new IllegalArgumentException("code too long: " + code.length);
        }
    }

    /** Address where the case ends normally (the trampoline). */
    public long endAddress() {
        return DiffLayout.CODE_BASE + code.length;
    }
}

package dev.partita.emulator.fuzz;

import dev.partita.emulator.decoder.DecodedInsn;
import dev.partita.emulator.decoder.Decoder;
import dev.partita.emulator.decoder.Disassembler;
import dev.partita.emulator.decoder.Ops;

/**
 * The decoder's contract on arbitrary bytes, checked by the fuzz target and the random-bytes test:
 * in each of 16-, 32- and 64-bit mode, walking instruction by instruction through the bytes, every
 * decode returns a length of 1-15 within the available bytes (or NEED_MORE_BYTES only when fewer
 * than 15 remain), the same bytes decode the same way again, a window cut to exactly the
 * instruction's length decodes it identically, and the disassembler formats the result. Any host
 * exception escapes and is the finding. One instance per thread.
 */
final class DecoderProperty {

    private static final int[] MODES = {Decoder.MODE16, Decoder.MODE32, Decoder.MODE64};

    private final Decoder decoder = new Decoder();
    private final DecodedInsn first = new DecodedInsn();
    private final DecodedInsn again = new DecodedInsn();
    /** Instructions decoded (not #UD) and #UD results, for reporting. */
    long decoded;
    long undefined;

    void check(byte[] data) {
        for (int mode : MODES) {
            int off = 0;
            while (off < data.length) {
                int avail = data.length - off;
                int len = decoder.decode(data, off, avail, mode, first);
                if (len == Decoder.NEED_MORE_BYTES) {
                    require(avail < Decoder.MAX_LENGTH, "NEED_MORE_BYTES with " + avail + " bytes available", data, off, mode);
                    break;
                }
                require(len >= 1 && len <= Decoder.MAX_LENGTH && len <= avail, "length " + len + " of " + avail,
                        data, off, mode);
                require(first.length == len, "DecodedInsn.length " + first.length + " != returned " + len, data, off, mode);
                String text = Disassembler.format(first, 0x1000L + off);
                require(text != null && !text.isEmpty(), "empty disassembly", data, off, mode);
                if (first.op == Ops.UD || first.op == Ops.GP_TOO_LONG) {
                    undefined++;
                } else {
                    decoded++;
                    int len2 = decoder.decode(data, off, len, mode, again);
                    require(len2 == len && again.op == first.op && again.sub == first.sub
                            && again.imm == first.imm && again.disp == first.disp,
                            "window cut to the instruction decodes differently (" + len2 + ")", data, off, mode);
                }
                int len3 = decoder.decode(data, off, avail, mode, again);
                require(len3 == len && again.op == first.op, "decoding is not repeatable", data, off, mode);
                off += len;
            }
        }
    }

    private static void require(boolean ok, String what, byte[] data, int off, int mode) {
        if (!ok) {
            StringBuilder hex = new StringBuilder();
            for (int i = off; i < Math.min(data.length, off + 16); i++) {
                hex.append(String.format("%02x ", data[i] & 0xFF));
            }
            throw new AssertionError("decoder contract broken in " + mode + "-bit mode at offset " + off + ": "
                    + what + "; bytes " + hex.toString().trim());
        }
    }
}

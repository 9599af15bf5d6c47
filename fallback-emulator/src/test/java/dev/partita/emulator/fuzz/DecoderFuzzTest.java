package dev.partita.emulator.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the emulator's decoder and disassembler with Jazzer: any byte sequence, in every mode, decodes or
 * yields #UD (never a host exception), see {@link DecoderProperty}. In CI (no JAZZER_FUZZ) the
 * {@code @FuzzTest} runs in regression mode over the seeds in
 * {@code src/test/resources/dev/partita/emulator/fuzz/DecoderFuzzTestInputs/decodeAnyBytes}; with
 * {@code JAZZER_FUZZ=1} it fuzzes with coverage feedback for up to {@code maxDuration}.
 */
class DecoderFuzzTest {

    private final DecoderProperty property = new DecoderProperty();

    @FuzzTest(maxDuration = "4m")
    void decodeAnyBytes(byte[] data) {
        property.check(data);
    }

    /** Deterministic complement for CI: 30,000 random byte strings, biased toward prefixes and escapes. */
    @Test
    void randomBytesNeverThrow() {
        SplittableRandom rng = new SplittableRandom(2024);
        int[] interesting = {0x0F, 0x38, 0x3A, 0x66, 0x67, 0xF2, 0xF3, 0xF0, 0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65, 0x40,
            0x48, 0x4F, 0xC4, 0xC5, 0x62, 0x8F, 0xD8, 0xDF, 0xFF, 0x00};
        for (int n = 0; n < 30_000; n++) {
            byte[] b = new byte[rng.nextInt(1, 40)];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) (rng.nextInt(3) == 0 ? interesting[rng.nextInt(interesting.length)] : rng.nextInt(256));
            }
            property.check(b);
        }
        System.out.println("DecoderFuzzTest.randomBytesNeverThrow: " + property.decoded + " instructions decoded, "
                + property.undefined + " #UD/#GP results");
    }
}

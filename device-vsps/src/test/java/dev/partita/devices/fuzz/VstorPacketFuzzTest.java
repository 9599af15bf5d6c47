package dev.partita.devices.fuzz;

import dev.partita.vmbus.protocol.LittleEndian;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

/**
 * Fuzzes the storage VSP with Jazzer (see {@link VstorPacketProperty}). Without JAZZER_FUZZ the
 * {@code @FuzzTest} runs in regression mode over the seeds in
 * {@code src/test/resources/dev/partita/devices/fuzz/VstorPacketFuzzTestInputs/anyPackets}; with
 * {@code JAZZER_FUZZ=1} it fuzzes with coverage feedback for up to {@code maxDuration}.
 */
class VstorPacketFuzzTest {
    private static final VstorPacketProperty PROPERTY = new VstorPacketProperty();

    @AfterAll
    static void close() {
        PROPERTY.close();
    }

    @FuzzTest(maxDuration = "90s")
    void anyPackets(byte[] data) {
        PROPERTY.check(data);
    }

    /**
     * Deterministic complement for CI: 3,000 random packet sequences after initialisation, biased
     * toward EXECUTE_SRB with plausible CDBs, range counts and PFNs near the end of guest RAM.
     */
    @Test
    void randomSrbsNeverBreakTheVsp() {
        SplittableRandom rng = new SplittableRandom(77);
        for (int n = 0; n < 3_000; n++) {
            java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
            b.write(1);
            for (int k = rng.nextInt(1, 6); k > 0; k--) {
                int pages = rng.nextInt(0, 4);
                b.write(rng.nextInt(6));
                b.write(rng.nextInt(2));
                b.write(pages == 0 ? 0 : 2 + pages);
                b.write(64);
                if (pages > 0) {
                    byte[] range = new byte[(2 + pages) * 8];
                    range[4] = (byte) (rng.nextInt(4) == 0 ? rng.nextInt(256) : 1);
                    int count = rng.nextInt(4) == 0 ? rng.nextInt() : rng.nextInt(1, pages * 4096 + 1);
                    LittleEndian.put32(range, 8, count);
                    LittleEndian.put32(range, 12, rng.nextInt(4) == 0 ? rng.nextInt() : rng.nextInt(512));
                    for (int p = 0; p < pages; p++) {
                        long pfn = rng.nextInt(3) == 0 ? rng.nextLong() : rng.nextInt(250, 260);
                        LittleEndian.put64(range, 16 + 8 * p, pfn);
                    }
                    b.writeBytes(range);
                }
                byte[] vstor = new byte[64];
                rng.nextBytes(vstor);
                vstor[0] = (byte) (rng.nextInt(3) == 0 ? rng.nextInt(16) : 3);
                vstor[1] = vstor[2] = vstor[3] = 0;
                int[] ops = {0x00, 0x03, 0x12, 0x1A, 0x25, 0x28, 0x2A, 0x35, 0x5A, 0x88, 0x8A, 0x9E, 0xA0, 0x2F, 0x08, 0x0A};
                vstor[28] = (byte) ops[rng.nextInt(ops.length)];
                vstor[20] = (byte) rng.nextInt(0, 18);
                vstor[22] = (byte) rng.nextInt(0, 4);
                LittleEndian.put32(vstor, 24, rng.nextInt(3) == 0 ? rng.nextInt() : rng.nextInt(0, 8192));
                b.writeBytes(vstor);
            }
            PROPERTY.check(b.toByteArray());
        }
        System.out.println("VstorPacketFuzzTest.randomSrbsNeverBreakTheVsp: " + PROPERTY.packets + " packets, "
                + PROPERTY.completions + " completions");
    }
}

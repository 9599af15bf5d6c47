package dev.partita.hv.state;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.partita.hv.memory.GuestMemory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the state file decoder: any byte string either loads or is refused with a
 * {@link StateFileException} whose message is one line; no other exception, no hang. The header's
 * RAM size must match the memory given to the reader for the memory section to be read, so the
 * seeds are real files of {@link StateFiles#MEMORY} bytes (see
 * {@code src/test/resources/dev/partita/hv/state/StateFileFuzzTestInputs/anyFile}); regression mode
 * replays them, {@code JAZZER_FUZZ=1} explores from them. The {@code vp/N} section decoder is
 * fuzzed with the same input.
 */
class StateFileFuzzTest {
    private static final GuestMemory MEMORY = GuestMemory.allocate(StateFiles.MEMORY);
    private static final Path FILE;

    static {
        try {
            FILE = Files.createTempFile("partita-state-fuzz", ".state");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void cleanUp() throws IOException {
        MEMORY.close();
        Files.deleteIfExists(FILE);
    }

    @FuzzTest(maxDuration = "60s")
    void anyFile(byte[] data) throws IOException {
        check(data);
    }

    static void check(byte[] data) throws IOException {
        Files.write(FILE, data);
        try (StateFileReader r = StateFileReader.open(FILE)) {
            r.readSections(MEMORY, StateProgress.NONE);
        } catch (StateFileException e) {
            oneLine(e);
        }
        try {
            VpStateSection.decode("vp/0", data, VpStateSection.VERSION);
        } catch (StateFileException e) {
            oneLine(e);
        }
    }

    private static void oneLine(StateFileException e) {
        if (e.getMessage() == null || e.getMessage().isBlank() || e.getMessage().contains("\n")) {
            throw new AssertionError("refusal without a one-line message: '" + e.getMessage() + "'");
        }
    }

    /** Random mutations of a real file keep the contract (a quick stand-in for fuzzing in every build). */
    @Test
    void mutatedFilesKeepTheContract() throws IOException {
        byte[] good;
        Path seed = Files.createTempFile("partita-state-seed", ".state");
        try (GuestMemory m = StateFiles.memory(9)) {
            java.util.Map<String, byte[]> sections = new java.util.LinkedHashMap<>();
            sections.put("vp/0", VpStateSection.encode(VpStateSectionTest.sample(4)));
            sections.put("dev", new byte[] {9, 8, 7});
            good = Files.readAllBytes(StateFiles.write(seed, sections, m));
        } finally {
            Files.deleteIfExists(seed);
        }
        SplittableRandom rng = new SplittableRandom(12);
        for (int n = 0; n < 300; n++) {
            byte[] d = good.clone();
            int edits = 1 + rng.nextInt(4);
            for (int e = 0; e < edits; e++) {
                int at = rng.nextInt(Math.min(d.length, rng.nextBoolean() ? 600 : d.length));
                d[at] = (byte) rng.nextInt(256);
            }
            if (rng.nextInt(4) == 0) {
                d = java.util.Arrays.copyOf(d, rng.nextInt(d.length));
            }
            check(d);
        }
    }
}

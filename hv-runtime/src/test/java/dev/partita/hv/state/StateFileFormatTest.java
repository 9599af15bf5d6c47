package dev.partita.hv.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.partita.hv.memory.GuestMemory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state file format: what is written reads back exactly (zero pages left out), and every kind
 * of damage — truncation at each part boundary and inside parts, any flipped byte, another format
 * version, a file of another VM — ends in a {@link StateFileException} with a one-line message.
 */
class StateFileFormatTest {
    @TempDir
    Path dir;

    private static Map<String, byte[]> payloads() {
        Map<String, byte[]> p = new LinkedHashMap<>();
        p.put("vp/0", "processor zero".getBytes());
        p.put("serial0", new byte[] {1, 2, 3, 4, 5});
        p.put("empty", new byte[0]);
        return p;
    }

    @Test
    void sectionsAndMemoryReadBackExactlyAndZeroPagesAreNotStored() throws Exception {
        try (GuestMemory saved = StateFiles.memory(7); GuestMemory loaded = GuestMemory.allocate(StateFiles.MEMORY)) {
            Path file = StateFiles.write(dir.resolve("vm.state"), payloads(), saved);
            long storedPages = (StateFiles.MEMORY / GuestMemory.PAGE_SIZE + 2) / 3;
            assertTrue(Files.size(file) < storedPages * GuestMemory.PAGE_SIZE + 4096,
                    "zero pages stored: file has " + Files.size(file) + " bytes");
            assertFalse(Files.exists(dir.resolve("vm.state.partial")), "temporary left behind");
            try (StateFileReader r = StateFileReader.open(file)) {
                assertEquals(StateFiles.header(List.copyOf(payloads().keySet())), r.header());
                Map<String, StateFileReader.Section> sections = r.readSections(loaded, StateProgress.NONE);
                assertEquals(List.copyOf(payloads().keySet()), List.copyOf(sections.keySet()));
                for (Map.Entry<String, byte[]> e : payloads().entrySet()) {
                    assertArrayEquals(e.getValue(), sections.get(e.getKey()).payload(), e.getKey());
                    assertEquals(1, sections.get(e.getKey()).version());
                }
            }
            assertArrayEquals(saved.read(0, (int) StateFiles.MEMORY), loaded.read(0, (int) StateFiles.MEMORY));
        }
    }

    @Test
    void truncationAtEveryBoundaryAndInsideEachPartIsNamed() throws Exception {
        byte[] whole;
        List<Long> boundaries;
        try (GuestMemory m = StateFiles.memory(1)) {
            Path file = StateFiles.write(dir.resolve("vm.state"), payloads(), m);
            whole = Files.readAllBytes(file);
            boundaries = StateFiles.boundaries(file);
        }
        assertEquals(payloads().size() + 2, boundaries.size(), "header end, 4 sections, trailer");
        for (long cut : boundaries) {
            for (long at : new long[] {cut, cut + 1, cut + 13, cut - 3}) {
                if (at <= 0 || at >= whole.length) {
                    continue;
                }
                String message = refusal(Arrays.copyOf(whole, (int) at));
                assertTrue(message.contains("truncated") || message.contains("corrupt"), "cut at " + at + ": " + message);
            }
            if (cut < whole.length) {
                String message = refusal(Arrays.copyOf(whole, (int) cut));
                assertTrue(message.contains("truncated"), "cut at boundary " + cut + ": " + message);
            }
        }
    }

    @Test
    void everyFlippedByteIsRefused() throws Exception {
        byte[] whole;
        try (GuestMemory m = StateFiles.memory(2)) {
            whole = Files.readAllBytes(StateFiles.write(dir.resolve("vm.state"), payloads(), m));
        }
        int refused = 0;
        for (int i = 0; i < whole.length; i += (i < 512 ? 1 : 509)) {
            byte[] bad = whole.clone();
            bad[i] ^= (byte) 0x40;
            String message = refusal(bad);
            assertFalse(message.isBlank());
            assertFalse(message.contains("\n"), message);
            refused++;
        }
        assertTrue(refused > 500);
    }

    @Test
    void anotherFormatVersionIsRefusedByNumber() throws Exception {
        byte[] whole;
        try (GuestMemory m = StateFiles.memory(3)) {
            whole = Files.readAllBytes(StateFiles.write(dir.resolve("vm.state"), payloads(), m));
        }
        ByteBuffer.wrap(whole).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 2);
        assertEquals("state file format version 2, this build reads version 1", refusal(whole));
        byte[] notOurs = "GIF89a and some more bytes of something else".getBytes();
        assertTrue(refusal(notOurs).startsWith("not a Partita state file"));
    }

    @Test
    void aFileOfAnotherConfigurationIsNamedByWhatDiffers() {
        StateFileHeader file = StateFiles.header(List.of("vp/0", "vp/1", "serial0"));
        assertEquals(null, file.mismatch(StateFiles.header(List.of("vp/0", "vp/1", "serial0"))));
        StateFileHeader bigger = new StateFileHeader(1, "test", StateFiles.MEMORY * 2, StateFiles.CPUS, file.sections());
        assertEquals("the file is from a VM with 256 KiB of memory, this VM has 512 KiB", file.mismatch(bigger));
        StateFileHeader moreCpus = new StateFileHeader(1, "test", StateFiles.MEMORY, 3, file.sections());
        assertEquals("the file is from a VM with 2 vCPUs, this VM has 3", file.mismatch(moreCpus));
        StateFileHeader otherDevices = StateFiles.header(List.of("vp/0", "vp/1", "i8042"));
        assertTrue(file.mismatch(otherDevices).contains("lacks [i8042], has extra [serial0]"), file.mismatch(otherDevices));
    }

    @Test
    void aMemorySectionForAnotherRamSizeIsRefused() throws Exception {
        Path file;
        try (GuestMemory m = StateFiles.memory(4)) {
            file = StateFiles.write(dir.resolve("vm.state"), payloads(), m);
        }
        try (GuestMemory smaller = GuestMemory.allocate(StateFiles.MEMORY / 2);
             StateFileReader r = StateFileReader.open(file)) {
            StateFileException e = assertThrows(StateFileException.class, () -> r.readSections(smaller, StateProgress.NONE));
            assertTrue(e.getMessage().contains("region 0"), e.getMessage());
        }
    }

    /** The message a damaged file is refused with (fails the test if it loads or throws anything else). */
    private String refusal(byte[] file) throws IOException {
        Path p = dir.resolve("damaged.state");
        Files.write(p, file);
        try (GuestMemory m = GuestMemory.allocate(StateFiles.MEMORY)) {
            StateFileException e = assertThrows(StateFileException.class, () -> {
                try (StateFileReader r = StateFileReader.open(p)) {
                    r.readSections(m, StateProgress.NONE);
                }
            });
            return e.getMessage();
        }
    }
}

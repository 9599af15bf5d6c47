package dev.partita.hv.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pieces of the whole-run benchmarks that can be checked without KVM. */
class BenchHelpersTest {

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(3.0, Medians.median(List.of(5.0, 1.0, 3.0)));
        assertEquals(2.5, Medians.median(List.of(4.0, 1.0, 3.0, 2.0)));
        assertThrows(IllegalArgumentException.class, () -> Medians.median(List.of()));
        assertEquals("\"a\\\"b\\\\c\\n\"", Medians.jsonString("a\"b\\c\n"));
    }

    @Test
    void guestAndHostRunTheSameLoopBytesAtTheSameOffset() {
        byte[] guest = CountingLoopCode.guest();
        byte[] host = CountingLoopCode.host();
        int at = CountingLoopCode.LOOP_OFFSET;
        int n = CountingLoopCode.LOOP.length;
        assertArrayEquals(CountingLoopCode.LOOP, Arrays.copyOfRange(guest, at, at + n));
        assertArrayEquals(CountingLoopCode.LOOP, Arrays.copyOfRange(host, at, at + n));
        // jnz rel8 lands on the dec: -(length of the loop).
        assertEquals(-n, CountingLoopCode.LOOP[n - 1]);
    }

    @Test
    void nativeLoopCountsDownToZero() {
        try (NativeCodePage page = new NativeCodePage(CountingLoopCode.host())) {
            assertEquals(0, page.call(1000));
        }
    }

    @Test
    void generatedOutLoopGuestCarriesItsCount() {
        byte[] g = OutLoopGuest.realMode(0x80, 12345);
        assertEquals(12345, ByteBuffer.wrap(g).order(ByteOrder.LITTLE_ENDIAN).getInt(2));
        assertEquals((byte) 0x80, g[7], "OUT port");
        assertThrows(IllegalArgumentException.class, () -> OutLoopGuest.realMode(0xF4, 10));
    }

    @Test
    void prebuiltExitLoopImageIsPatchedInACopy(@TempDir Path dir) throws Exception {
        byte[] image = new byte[32];
        image[4] = 'N';
        image[5] = 'I';
        image[6] = 'T';
        image[7] = 'R';
        Path original = dir.resolve("exit-loop.bin");
        Files.write(original, image);
        Path copy = OutLoopGuest.withIterations(original, 777);
        assertEquals(777, ByteBuffer.wrap(Files.readAllBytes(copy)).order(ByteOrder.LITTLE_ENDIAN).getInt(8));
        assertArrayEquals(image, Files.readAllBytes(original), "original untouched");
        Path plain = dir.resolve("plain.bin");
        Files.write(plain, new byte[32]);
        assertEquals(plain, OutLoopGuest.withIterations(plain, 777));
    }

    @Test
    void threadCpuClockAdvancesWithWork() {
        long t0 = ThreadCpuClock.nanos();
        long x = 0;
        for (int i = 0; i < 20_000_000; i++) {
            x += i ^ (x >>> 3);
        }
        long t1 = ThreadCpuClock.nanos();
        assertTrue(t1 > t0, "CPU clock advanced (" + x + ")");
    }
}

package dev.partita.vmms.images;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.*;

/** The first-run progress display of {@code partita demo}: steps as lines, byte counts redrawn in place on a terminal. */
class BuildProgressTest {
    @Test
    void terminalRedrawsBytesInPlaceWithTotalAndPercent() {
        StringWriter text = new StringWriter();
        BuildProgress p = BuildProgress.lines(new PrintWriter(text), true);
        p.step("downloading linux-image-6.1.0-50-cloud-amd64 6.1.176-1");
        p.bytes(0, 26_529_000);
        p.bytes(13_264_500, 26_529_000);
        p.bytes(26_529_000, 26_529_000);
        p.step("unpacking");
        p.bytes(3 << 20, -1);
        String s = text.toString().replace(System.lineSeparator(), "\n");
        assertTrue(s.startsWith("partita: downloading linux-image-6.1.0-50-cloud-amd64 6.1.176-1\n"), s);
        assertTrue(s.contains("\r     0.0 / 25.3 MiB (0%)"), s);
        assertTrue(s.contains("\r    12.7 / 25.3 MiB (50%)"), s);
        assertTrue(s.contains("\r    25.3 / 25.3 MiB (100%)\npartita: unpacking\n"), "the next step starts on a new line: " + s);
        assertTrue(s.endsWith("\r     3.0 MiB"), "an unknown total shows the bytes alone: " + s);
    }

    @Test
    void withoutTerminalOnlyStepsArePrinted() {
        StringWriter text = new StringWriter();
        BuildProgress p = BuildProgress.lines(new PrintWriter(text), false);
        p.step("downloading busybox-static");
        p.bytes(500_000, 1_000_000);
        p.step("unpacking");
        assertEquals("partita: downloading busybox-static\npartita: unpacking\n", text.toString().replace(System.lineSeparator(), "\n"));
    }
}

package dev.partita.vmms.disk;

import dev.partita.devices.storage.disk.vhdx.VhdxDisk;
import dev.partita.vmms.CommandLineRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

/** {@code partita disk create / info / merge} in-process. */
class DiskCommandTest {
    @TempDir
    Path dir;

    @Test
    void createInfoDifferencingAndMerge() throws Exception {
        Path base = dir.resolve("base.vhdx");
        CommandLineRun created = CommandLineRun.run("disk", "create", "--size", "1G", base.toString());
        assertEquals(0, created.exit(), created.err());
        CommandLineRun info = CommandLineRun.run("disk", "info", base.toString());
        assertEquals(0, info.exit(), info.err());
        assertTrue(info.out().contains("virtual size: " + (1L << 30) + " bytes"), info.out());
        assertTrue(info.out().contains("format: VHDX dynamic"), info.out());

        Path child = dir.resolve("child.vhdx");
        CommandLineRun diff = CommandLineRun.run("disk", "create", "--parent", base.toString(), child.toString());
        assertEquals(0, diff.exit(), diff.err());
        byte[] data = new byte[4096];
        Arrays.fill(data, (byte) 0x42);
        try (VhdxDisk c = VhdxDisk.open(child, false)) {
            c.write(100L << 20, MemorySegment.ofArray(data));
        }
        CommandLineRun childInfo = CommandLineRun.run("disk", "info", child.toString());
        assertTrue(childInfo.out().contains("format: VHDX differencing"), childInfo.out());
        assertTrue(childInfo.out().contains("parent: " + base.toAbsolutePath()), childInfo.out());

        CommandLineRun merged = CommandLineRun.run("disk", "merge", child.toString());
        assertEquals(0, merged.exit(), merged.err());
        assertFalse(Files.exists(child), "the merged child is deleted");
        try (VhdxDisk b = VhdxDisk.open(base, true)) {
            byte[] back = new byte[4096];
            b.read(100L << 20, MemorySegment.ofArray(back));
            assertArrayEquals(data, back, "the parent holds the child's write");
        }
    }

    @Test
    void badInputGetsOneLineAndStatusTwo() throws Exception {
        Path junk = dir.resolve("junk.vhdx");
        Files.write(junk, new byte[2 << 20]);
        CommandLineRun info = CommandLineRun.run("disk", "info", junk.toString());
        assertEquals(2, info.exit());
        assertEquals(1, info.err().strip().lines().count(), info.err());
        assertTrue(info.err().contains("no 'vhdxfile' signature"), info.err());

        CommandLineRun exists = CommandLineRun.run("disk", "create", "--size", "1M", junk.toString());
        assertEquals(2, exists.exit());
        assertTrue(exists.err().contains("already exists"), exists.err());

        CommandLineRun both = CommandLineRun.run("disk", "create", "--size", "1M", "--parent", "x.vhdx", "y.vhdx");
        assertEquals(2, both.exit(), "--size and --parent exclude each other");
        CommandLineRun merge = CommandLineRun.run("disk", "merge", dir.resolve("missing.vhdx").toString());
        assertEquals(2, merge.exit());
        assertTrue(merge.err().contains("no such file"), merge.err());
    }
}

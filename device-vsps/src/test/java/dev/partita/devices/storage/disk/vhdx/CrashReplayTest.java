package dev.partita.devices.storage.disk.vhdx;

import dev.partita.devices.storage.disk.DiskImageException;
import dev.partita.vmbus.protocol.LittleEndian;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A crash between the log write and the in-place metadata write (simulated by a {@link CommitHook} that
 * throws once the log entry is flushed): the file's BAT does not yet name the new block, the log does, and
 * opening the file replays it. qemu-img, reading the same crashed file, refuses it read-only (a log to
 * replay) and replays our log itself with {@code check -r all}.
 */
class CrashReplayTest {
    private static final long MIB = 1 << 20;
    private static final long BAT_OFFSET = 3 * MIB;

    @TempDir
    Path dir;

    /** Writes {@code data} at {@code offset} of a new disk and crashes after the log flush of the BAT update. */
    private static void crashAfterLog(Path img, long offset, byte[] data, CommitHook.Stage crashAt) throws Exception {
        CommitHook crash = stage -> {
            if (stage == crashAt) {
                throw new IOException("simulated crash at " + stage);
            }
        };
        try (VhdxDisk d = VhdxDisk.open(img, false, false, crash, 0)) {
            IOException e = assertThrows(IOException.class, () -> d.write(offset, MemorySegment.ofArray(data)));
            assertTrue(e.getMessage().contains("simulated crash"), e.getMessage());
            IOException later = assertThrows(IOException.class, () -> d.read(0, MemorySegment.ofArray(new byte[512])));
            assertTrue(later.getMessage().contains("reopen"), later.getMessage());
        }
    }

    private static long batEntry(Path img, int index) throws IOException {
        byte[] all = Files.readAllBytes(img);
        return LittleEndian.u64(all, (int) BAT_OFFSET + index * 8);
    }

    @Test
    void logWrittenButNotAppliedIsReplayedOnOpen() throws Exception {
        Path img = dir.resolve("crash.vhdx");
        VhdxImages.createDynamic(img, 16 * MIB, MIB);
        byte[] data = VhdxDiskTest.pattern(new SplittableRandom(5), 8192);
        long offset = 5 * MIB + 4096;
        crashAfterLog(img, offset, data, CommitHook.Stage.LOG_FLUSHED);

        assertEquals(BatEntry.NOT_PRESENT, BatEntry.state(batEntry(img, 5)), "the crash came before the BAT was written in place");
        Path copy = dir.resolve("copy.vhdx");
        Files.copy(img, copy, StandardCopyOption.COPY_ATTRIBUTES);

        DiskImageException ro = assertThrows(DiskImageException.class, () -> VhdxDisk.open(img, true));
        assertTrue(ro.getMessage().contains("replayed"), "read-only open asks for a replay: " + ro.getMessage());

        byte[] expected = new byte[(int) (16 * MIB)];
        System.arraycopy(data, 0, expected, (int) offset, data.length);
        try (VhdxDisk d = VhdxDisk.open(img, false)) {
            assertArrayEquals(expected, VhdxDiskTest.readAll(d), "after replay the block and its data are there");
        }
        long e = batEntry(img, 5);
        assertEquals(BatEntry.FULLY_PRESENT, BatEntry.state(e), "replay wrote the BAT entry in place");
        try (VhdxDisk d = VhdxDisk.open(img, true)) {
            assertArrayEquals(expected, VhdxDiskTest.readAll(d), "a clean close leaves nothing to replay");
        }

        QemuImg.require("CrashReplayTest.qemu");
        QemuImg.Result refused = QemuImg.qemuImg("check", "-f", "vhdx", copy.toString());
        assertNotEquals(0, refused.exit(), "qemu sees a log to replay in the crashed file: " + refused.describe());
        assertTrue(refused.output().contains("log"), refused.describe());
        QemuImg.Result replay = QemuImg.qemuImg("check", "-r", "all", "-f", "vhdx", copy.toString());
        assertEquals(0, replay.exit(), "qemu replays our log entry: " + replay.describe());
        Path raw = dir.resolve("expected.raw");
        Files.write(raw, expected);
        QemuImg.Result cmp = QemuImg.qemuImg("compare", "-f", "vhdx", "-F", "raw", copy.toString(), raw.toString());
        assertEquals(0, cmp.exit(), "qemu's replay of our log gives the same disk: " + cmp.describe());
        QemuImg.Result clean = QemuImg.qemuImg("check", "-f", "vhdx", img.toString());
        assertEquals(0, clean.exit(), "our replayed file is clean for qemu: " + clean.describe());
    }

    @Test
    void crashAfterApplyReplaysHarmlessly() throws Exception {
        Path img = dir.resolve("applied.vhdx");
        VhdxImages.createDynamic(img, 8 * MIB, MIB);
        byte[] data = VhdxDiskTest.pattern(new SplittableRandom(6), 4096);
        crashAfterLog(img, 2 * MIB, data, CommitHook.Stage.APPLIED);
        byte[] expected = new byte[(int) (8 * MIB)];
        System.arraycopy(data, 0, expected, (int) (2 * MIB), data.length);
        try (VhdxDisk d = VhdxDisk.open(img, false)) {
            assertArrayEquals(expected, VhdxDiskTest.readAll(d));
        }
    }

    @Test
    void tornLogEntryLeavesTheOldMetadata() throws Exception {
        Path img = dir.resolve("torn.vhdx");
        VhdxImages.createDynamic(img, 8 * MIB, MIB);
        crashAfterLog(img, 3 * MIB, VhdxDiskTest.pattern(new SplittableRandom(7), 4096), CommitHook.Stage.LOG_FLUSHED);
        byte[] all = Files.readAllBytes(img);
        all[(int) MIB + 4096 + 100] ^= 1;                   // the entry's data sector: its checksum no longer holds
        Files.write(img, all);
        try (VhdxDisk d = VhdxDisk.open(img, false)) {
            assertArrayEquals(new byte[(int) (8 * MIB)], VhdxDiskTest.readAll(d), "no valid entry: the write never happened");
            assertEquals(0, d.allocatedBlocks());
        }
    }

    @Test
    void mergeInterruptedByACrashIsFinishedByResume() throws Exception {
        long mib = MIB;
        Path base = dir.resolve("base.vhdx");
        VhdxImages.createDynamic(base, 16 * mib, mib);
        byte[] reference = new byte[(int) (16 * mib)];
        SplittableRandom rnd = new SplittableRandom(8);
        try (VhdxDisk d = VhdxDisk.open(base, false)) {
            VhdxDiskTest.write(d, reference, 0, VhdxDiskTest.pattern(rnd, (int) mib));
        }
        Path child = dir.resolve("child.vhdx");
        VhdxImages.createDifferencing(child, base);
        try (VhdxDisk c = VhdxDisk.open(child, false)) {
            for (int b = 1; b < 12; b++) {                  // blocks the parent has not allocated: one commit each
                VhdxDiskTest.write(c, reference, b * mib + 512, VhdxDiskTest.pattern(rnd, 8192));
            }
        }
        int[] commits = {0};
        CommitHook crashOnThird = stage -> {
            if (stage == CommitHook.Stage.LOG_FLUSHED && ++commits[0] == 3) {
                throw new IOException("simulated crash during merge");
            }
        };
        assertThrows(IOException.class, () -> VhdxImages.merge(child, false, crashOnThird));
        DiskImageException unlinked = assertThrows(DiskImageException.class, () -> VhdxImages.merge(child));
        assertTrue(unlinked.getMessage().contains("DataWriteGuid"), unlinked.getMessage());
        VhdxImages.resumeMerge(child);
        try (VhdxDisk d = VhdxDisk.open(base, true)) {
            assertArrayEquals(reference, VhdxDiskTest.readAll(d), "the resumed merge completed the parent");
        }
    }
}

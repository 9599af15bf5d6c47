package dev.partita.devices.storage.disk.vhdx;

import dev.partita.devices.storage.disk.DiskImageException;
import dev.partita.devices.storage.disk.DiskImages;
import dev.partita.devices.storage.disk.RawImageDisk;
import dev.partita.devices.storage.disk.BlockDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** Dynamic and differencing VHDX disks through {@link VhdxDisk}, checked against an in-memory reference. */
class VhdxDiskTest {
    private static final long MIB = 1 << 20;

    @TempDir
    Path dir;

    static byte[] pattern(SplittableRandom rnd, int length) {
        byte[] b = new byte[length];
        rnd.nextBytes(b);
        return b;
    }

    static void write(BlockDevice d, byte[] reference, long offset, byte[] data) throws Exception {
        d.write(offset, MemorySegment.ofArray(data));
        System.arraycopy(data, 0, reference, (int) offset, data.length);
    }

    static byte[] readAll(BlockDevice d) throws Exception {
        byte[] all = new byte[(int) (d.sectorCount() * 512)];
        d.read(0, MemorySegment.ofArray(all));
        return all;
    }

    /** Writes of several shapes: inside a block, across a block boundary, a whole block, single sectors. */
    static void mixedWrites(BlockDevice d, byte[] reference, SplittableRandom rnd, long blockSize) throws Exception {
        write(d, reference, 512, pattern(rnd, 4096));
        write(d, reference, blockSize - 1024, pattern(rnd, 8192));
        long lastWhole = reference.length / blockSize - 1;
        if (lastWhole >= 1) {
            write(d, reference, Math.min(3, lastWhole) * blockSize, pattern(rnd, (int) blockSize));
        }
        for (int i = 0; i < 40; i++) {
            long sectors = reference.length / 512;
            long lba = rnd.nextLong(sectors - 16);
            write(d, reference, lba * 512, pattern(rnd, 512 * (1 + rnd.nextInt(16))));
        }
    }

    @Test
    void dynamicDiskReadsZerosUntilWrittenAndKeepsWritesAcrossReopen() throws Exception {
        Path img = dir.resolve("d.vhdx");
        VhdxImages.createDynamic(img, 64 * MIB, MIB);
        byte[] reference = new byte[(int) (64 * MIB)];
        SplittableRandom rnd = new SplittableRandom(1);
        try (VhdxDisk d = VhdxDisk.open(img, false)) {
            assertEquals(64 * MIB / 512, d.sectorCount());
            assertEquals(0, d.allocatedBlocks());
            assertArrayEquals(reference, readAll(d), "a new dynamic disk reads as zeros");
            mixedWrites(d, reference, rnd, MIB);
            assertArrayEquals(reference, readAll(d));
            d.flush();
        }
        try (VhdxDisk d = VhdxDisk.open(img, true)) {
            assertArrayEquals(reference, readAll(d), "contents survive close and reopen");
            long expected = 0;
            for (int b = 0; b < 64; b++) {
                byte[] block = Arrays.copyOfRange(reference, (int) (b * MIB), (int) ((b + 1) * MIB));
                expected += Arrays.equals(block, new byte[(int) MIB]) ? 0 : 1;
            }
            assertTrue(d.allocatedBlocks() >= expected && d.allocatedBlocks() <= 64, "blocks allocated on write only");
            assertThrows(java.io.IOException.class, () -> d.write(0, MemorySegment.ofArray(new byte[512])));
        }
        assertTrue(Files.size(img) < 64 * MIB + 8 * MIB, "dynamic: the file holds the written blocks only");
    }

    @Test
    void diskImagesOpensVhdxByContentAndRawOtherwise() throws Exception {
        Path v = dir.resolve("disk.img");                  // a VHDX under a raw-looking name
        VhdxImages.createDynamic(v, 8 * MIB, MIB);
        Path r = dir.resolve("disk.vhdx");                 // a raw image under a VHDX name
        Files.write(r, new byte[4096]);
        try (BlockDevice a = DiskImages.open(v, true); BlockDevice b = DiskImages.open(r, true)) {
            assertInstanceOf(VhdxDisk.class, a);
            assertEquals(8 * MIB / 512, a.sectorCount());
            assertInstanceOf(RawImageDisk.class, b);
            assertEquals(8, b.sectorCount());
        }
    }

    @Test
    void differencingDiskReadsThroughParentAndWritesOnlyItself() throws Exception {
        Path base = dir.resolve("base.vhdx");
        VhdxImages.createDynamic(base, 40 * MIB, MIB);
        byte[] reference = new byte[(int) (40 * MIB)];
        SplittableRandom rnd = new SplittableRandom(2);
        try (VhdxDisk d = VhdxDisk.open(base, false)) {
            mixedWrites(d, reference, rnd, MIB);
        }
        byte[] baseBytes = Files.readAllBytes(base);
        Path sub = Files.createDirectories(dir.resolve("sub"));
        Path child = sub.resolve("child.vhdx");
        VhdxImages.createDifferencing(child, base);
        try (VhdxDisk c = VhdxDisk.open(child, false)) {
            assertEquals(base.toAbsolutePath().normalize(), c.parentPath().toAbsolutePath().normalize());
            try (VhdxDisk b = VhdxDisk.open(base, true)) {
                assertEquals(b.page83Id(), c.page83Id(), "the child keeps the parent's disk identity");
            }
            assertArrayEquals(reference, readAll(c), "an empty child reads as its parent");
            mixedWrites(c, reference, rnd, VhdxImages.DEFAULT_DIFFERENCING_BLOCK);
            write(c, reference, 7 * MIB + 100, pattern(rnd, 3000));     // unaligned: sector read-modify-write
            assertArrayEquals(reference, readAll(c));
        }
        assertArrayEquals(baseBytes, Files.readAllBytes(base), "the parent is never written");
        try (VhdxDisk c = VhdxDisk.open(child, true)) {
            assertArrayEquals(reference, readAll(c), "child + parent after reopen");
        }
        // moved together: the relative path still finds the parent
        Path moved = Files.createDirectories(dir.resolve("moved"));
        Files.createDirectories(moved.resolve("sub"));
        Files.move(base, moved.resolve("base.vhdx"));
        Files.move(child, moved.resolve("sub/child.vhdx"));
        try (VhdxDisk c = VhdxDisk.open(moved.resolve("sub/child.vhdx"), true)) {
            assertEquals(moved.resolve("base.vhdx").toAbsolutePath().normalize(), c.parentPath().toAbsolutePath().normalize());
            assertArrayEquals(reference, readAll(c));
        }
    }

    @Test
    void partlyWrittenChildBlockOverwrittenWholeStaysInPlace() throws Exception {
        Path base = dir.resolve("base.vhdx");
        VhdxImages.createDynamic(base, 8 * MIB, MIB);
        byte[] reference = new byte[(int) (8 * MIB)];
        SplittableRandom rnd = new SplittableRandom(4);
        try (VhdxDisk d = VhdxDisk.open(base, false)) {
            write(d, reference, 0, pattern(rnd, (int) (8 * MIB)));
        }
        Path child = dir.resolve("child.vhdx");
        VhdxImages.createDifferencing(child, base);
        long block = VhdxImages.DEFAULT_DIFFERENCING_BLOCK;
        try (VhdxDisk c = VhdxDisk.open(child, false)) {
            write(c, reference, block + 4096, pattern(rnd, 4096));          // partially present
            long size = Files.size(child);
            write(c, reference, block, pattern(rnd, (int) block));          // every sector replaced
            assertEquals(size, Files.size(child), "the block is reused, not allocated again");
            assertEquals(1, c.allocatedBlocks());
            assertArrayEquals(reference, readAll(c));
        }
        try (VhdxDisk c = VhdxDisk.open(child, true)) {
            assertArrayEquals(reference, readAll(c));
        }
    }

    @Test
    void childOfAChangedParentIsRefused() throws Exception {
        Path base = dir.resolve("base.vhdx");
        VhdxImages.createDynamic(base, 8 * MIB, MIB);
        Path child = dir.resolve("child.vhdx");
        VhdxImages.createDifferencing(child, base);
        try (VhdxDisk d = VhdxDisk.open(base, false)) {
            d.write(0, MemorySegment.ofArray(new byte[512]));
        }
        DiskImageException e = assertThrows(DiskImageException.class, () -> VhdxDisk.open(child, true));
        assertTrue(e.getMessage().contains("DataWriteGuid"), e.getMessage());
        Files.delete(base);
        e = assertThrows(DiskImageException.class, () -> VhdxDisk.open(child, true));
        assertTrue(e.getMessage().contains("parent disk not found"), e.getMessage());
    }

    @Test
    void mergeCopiesTheChildIntoItsParent() throws Exception {
        Path base = dir.resolve("base.vhdx");
        VhdxImages.createDynamic(base, 24 * MIB, MIB);
        byte[] reference = new byte[(int) (24 * MIB)];
        SplittableRandom rnd = new SplittableRandom(3);
        try (VhdxDisk d = VhdxDisk.open(base, false)) {
            mixedWrites(d, reference, rnd, MIB);
        }
        Path child = dir.resolve("child.vhdx");
        VhdxImages.createDifferencing(child, base);
        try (VhdxDisk c = VhdxDisk.open(child, false)) {
            mixedWrites(c, reference, rnd, VhdxImages.DEFAULT_DIFFERENCING_BLOCK);
        }
        assertEquals(base.toAbsolutePath().normalize(), VhdxImages.merge(child).toAbsolutePath().normalize());
        try (VhdxDisk d = VhdxDisk.open(base, true)) {
            assertArrayEquals(reference, readAll(d), "the parent now holds the child's contents");
        }
        assertThrows(DiskImageException.class, () -> VhdxDisk.open(child, true), "the merged child no longer links");
        DiskImageException notDiff = assertThrows(DiskImageException.class, () -> VhdxImages.merge(base));
        assertTrue(notDiff.getMessage().contains("not a differencing disk"), notDiff.getMessage());
    }

    @Test
    void concurrentWritersAndReadersSeeTheirOwnBlocks() throws Exception {
        Path img = dir.resolve("c.vhdx");
        VhdxImages.createDynamic(img, 32 * MIB, MIB);
        try (VhdxDisk d = VhdxDisk.open(img, false)) {
            Thread[] threads = new Thread[4];
            Throwable[] failure = new Throwable[1];
            for (int t = 0; t < threads.length; t++) {
                int id = t;
                threads[t] = Thread.ofPlatform().start(() -> {
                    try {
                        SplittableRandom rnd = new SplittableRandom(100 + id);
                        for (int i = 0; i < 50; i++) {
                            long block = id + 4L * rnd.nextInt(8);          // each thread owns blocks = id mod 4
                            long off = block * MIB + 4096L * rnd.nextInt(256);
                            byte[] data = pattern(rnd, 4096);
                            d.write(off, MemorySegment.ofArray(data));
                            byte[] back = new byte[4096];
                            d.read(off, MemorySegment.ofArray(back));
                            assertArrayEquals(data, back);
                        }
                    } catch (Throwable e) {
                        synchronized (failure) {
                            failure[0] = e;
                        }
                    }
                });
            }
            for (Thread t : threads) {
                t.join();
            }
            if (failure[0] != null) {
                throw new AssertionError(failure[0]);
            }
        }
    }

    @Test
    void aDiskOpenForWritingCannotBeOpenedAgain() throws Exception {
        Path img = dir.resolve("locked.vhdx");
        VhdxImages.createDynamic(img, 8 * MIB, MIB);
        try (VhdxDisk d = VhdxDisk.open(img, false)) {
            DiskImageException e = assertThrows(DiskImageException.class, () -> VhdxDisk.open(img, true));
            assertTrue(e.getMessage().contains("already open"), e.getMessage());
        }
        Path child = dir.resolve("child.vhdx");
        VhdxImages.createDifferencing(child, img);
        Path sibling = dir.resolve("sibling.vhdx");
        VhdxImages.createDifferencing(sibling, img);
        try (VhdxDisk c = VhdxDisk.open(child, false); VhdxDisk s = VhdxDisk.open(sibling, false)) {
            assertNotNull(s.parentPath(), "two children share their read-only parent");
            DiskImageException e = assertThrows(DiskImageException.class, () -> VhdxImages.merge(child));
            assertTrue(e.getMessage().contains("already open"), e.getMessage());
            e = assertThrows(DiskImageException.class, () -> VhdxDisk.open(img, false));
            assertTrue(e.getMessage().contains("already open (read-only"), "a parent in use is not writable: " + e.getMessage());
        }
        try (VhdxDisk d = VhdxDisk.open(img, false)) {
            assertEquals(0, d.allocatedBlocks(), "closing released every claim");
        }
    }

    @Test
    void createRefusesBadSizesAndExistingFiles() throws Exception {
        Path img = dir.resolve("x.vhdx");
        assertThrows(DiskImageException.class, () -> VhdxImages.createDynamic(img, 1000, MIB));
        assertThrows(DiskImageException.class, () -> VhdxImages.createDynamic(img, MIB, 3 * MIB));
        assertFalse(Files.exists(img));
        VhdxImages.createDynamic(img, MIB, MIB);
        DiskImageException e = assertThrows(DiskImageException.class, () -> VhdxImages.createDynamic(img, MIB, MIB));
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
    }
}

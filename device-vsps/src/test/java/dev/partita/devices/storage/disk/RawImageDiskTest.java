package dev.partita.devices.storage.disk;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RawImageDiskTest {
    @TempDir
    Path dir;

    @Test
    void sizeRoundsDownToWholeSectors() throws Exception {
        Path img = dir.resolve("odd.img");
        Files.write(img, new byte[3 * 512 + 100]);
        try (RawImageDisk d = RawImageDisk.open(img, false)) {
            assertEquals(3, d.sectorCount());
            assertThrows(IOException.class, () -> d.write(3 * 512, MemorySegment.ofArray(new byte[100])));
        }
        assertEquals(3 * 512 + 100, Files.size(img), "the partial tail is never touched");
    }

    @Test
    void readWriteFlushRoundTripThroughTheFile() throws Exception {
        Path img = dir.resolve("d.img");
        Files.write(img, new byte[16 * 512]);
        byte[] data = new byte[1024];
        Arrays.fill(data, (byte) 0x3C);
        try (RawImageDisk d = RawImageDisk.open(img, false)) {
            assertFalse(d.readOnly());
            d.write(512, MemorySegment.ofArray(data));
            d.flush();
            byte[] back = new byte[1024];
            d.read(512, MemorySegment.ofArray(back));
            assertArrayEquals(data, back);
        }
        byte[] file = Files.readAllBytes(img);
        assertEquals(0, file[511]);
        assertEquals(0x3C, file[512]);
        assertEquals(0x3C, file[1535]);
        assertEquals(0, file[1536]);
    }

    @Test
    void readOnlyImageRefusesWritesAndLeavesTheFileAlone() throws Exception {
        Path img = dir.resolve("ro.img");
        Files.write(img, new byte[4 * 512]);
        try (RawImageDisk d = RawImageDisk.open(img, true)) {
            assertTrue(d.readOnly());
            assertThrows(IOException.class, () -> d.write(0, MemorySegment.ofArray(new byte[512])));
            d.flush();
        }
        assertArrayEquals(new byte[4 * 512], Files.readAllBytes(img));
    }

    @Test
    void clearErrorsForUnusableImages() throws Exception {
        DiskImageException missing = assertThrows(DiskImageException.class,
                () -> RawImageDisk.open(dir.resolve("nope.img"), false));
        assertTrue(missing.getMessage().contains("no such file"), missing.getMessage());
        DiskImageException notFile = assertThrows(DiskImageException.class, () -> RawImageDisk.open(dir, true));
        assertTrue(notFile.getMessage().contains("not a regular file"), notFile.getMessage());
        Path tiny = dir.resolve("tiny.img");
        Files.write(tiny, new byte[100]);
        DiskImageException small = assertThrows(DiskImageException.class, () -> RawImageDisk.open(tiny, true));
        assertTrue(small.getMessage().contains("smaller than one 512-byte sector"), small.getMessage());
    }

    @Test
    void readOutsideTheDiskThrows() throws Exception {
        Path img = dir.resolve("s.img");
        Files.write(img, new byte[2 * 512]);
        try (RawImageDisk d = RawImageDisk.open(img, true)) {
            assertThrows(IOException.class, () -> d.read(1024, MemorySegment.ofArray(new byte[1])));
            assertThrows(IOException.class, () -> d.read(-1, MemorySegment.ofArray(new byte[1])));
        }
    }

    @Test
    void mappedImageBehavesLikeThePositionalOne() throws Exception {
        Path img = dir.resolve("m.img");
        Files.write(img, new byte[8 * 512 + 7]);
        byte[] data = new byte[512];
        Arrays.fill(data, (byte) 0x42);
        try (MappedImageDisk d = MappedImageDisk.open(img, false)) {
            assertEquals(8, d.sectorCount());
            d.write(1024, MemorySegment.ofArray(data));
            d.flush();
            byte[] back = new byte[512];
            d.read(1024, MemorySegment.ofArray(back));
            assertArrayEquals(data, back);
            assertThrows(IOException.class, () -> d.read(8 * 512, MemorySegment.ofArray(new byte[1])));
        }
        assertEquals(0x42, Files.readAllBytes(img)[1024]);
        try (MappedImageDisk ro = MappedImageDisk.open(img, true)) {
            assertThrows(IOException.class, () -> ro.write(0, MemorySegment.ofArray(data)));
        }
        assertThrows(DiskImageException.class, () -> MappedImageDisk.open(dir.resolve("none.img"), true));
    }
}

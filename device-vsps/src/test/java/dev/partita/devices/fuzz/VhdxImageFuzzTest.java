package dev.partita.devices.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.partita.devices.storage.disk.DiskImageException;
import dev.partita.devices.storage.disk.vhdx.VhdxDisk;
import dev.partita.devices.storage.disk.vhdx.VhdxTemplates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Fuzzes the VHDX open path (headers, region tables, metadata, parent locator, BAT, log replay) with
 * patched copies of valid images: opening either fails with {@link DiskImageException} or gives a disk
 * whose reads and writes end normally or with {@link IOException}; nothing else escapes.
 *
 * <p>Input: byte 0 selects the template (bits 0-1: dynamic, pending log, differencing child), whether the
 * header and region table checksums are recomputed after patching (bits 2, 3, so patches reach past the
 * checksums), read-only open (bit 4) and truncation (bit 5, to byte 1 x 64 KiB). Then patches of
 * (area u8, offset u16, length u8, bytes): area picks the file identifier, a header, a region table, the
 * log, the metadata table, the metadata items, the BAT or the first data block. Regression mode over
 * {@code src/test/resources/dev/partita/devices/fuzz/VhdxImageFuzzTestInputs/anyImage}.
 */
class VhdxImageFuzzTest {
    private static final long[] AREAS = {0, 64 << 10, 128 << 10, 192 << 10, 256 << 10, 1 << 20, 2 << 20,
        (2 << 20) + (64 << 10), 3 << 20, 4 << 20};
    private static final Path DIR;

    static {
        try {
            DIR = Files.createTempDirectory("vhdx-fuzz");
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @AfterAll
    static void cleanUp() throws IOException {
        try (Stream<Path> files = Files.walk(DIR)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @FuzzTest(maxDuration = "60s")
    void anyImage(byte[] data) throws IOException {
        check(data);
    }

    static void check(byte[] data) throws IOException {
        if (data.length < 2) {
            return;
        }
        int flags = data[0] & 0xFF;
        int kind = (flags & 3) % 3;
        byte[] image = switch (kind) {
            case 0 -> VhdxTemplates.dynamic();
            case 1 -> VhdxTemplates.pendingLog();
            default -> VhdxTemplates.child();
        };
        int at = 2;
        while (at + 4 <= data.length) {
            long area = AREAS[(data[at] & 0xFF) % AREAS.length];
            int offset = ((data[at + 1] & 0xFF) << 8) | (data[at + 2] & 0xFF);
            int length = data[at + 3] & 0xFF;
            at += 4;
            for (int i = 0; i < length && at < data.length; i++, at++) {
                long target = area + offset + i;
                if (target < image.length) {
                    image[(int) target] = data[at];
                }
            }
        }
        if ((flags & 4) != 0) {
            seal(image, 64 << 10, 4096);
            seal(image, 128 << 10, 4096);
        }
        if ((flags & 8) != 0) {
            seal(image, 192 << 10, 65536);
            seal(image, 256 << 10, 65536);
        }
        if ((flags & 32) != 0) {
            image = Arrays.copyOf(image, Math.min(image.length, (data[1] & 0xFF) << 16));
        }
        Path img = DIR.resolve("fuzz.vhdx");
        Files.write(img, image);
        if (kind == 2) {
            Files.write(DIR.resolve(VhdxTemplates.PARENT_NAME), VhdxTemplates.parent());
        }
        VhdxDisk disk;
        try {
            disk = VhdxDisk.open(img, (flags & 16) != 0);
        } catch (DiskImageException expected) {
            return;
        }
        try (disk) {
            byte[] buf = new byte[8192];
            long sectors = disk.sectorCount();
            long lba = Math.floorMod(ByteBuffer.wrap(Arrays.copyOf(data, 8)).order(ByteOrder.LITTLE_ENDIAN).getLong(),
                    Math.max(1, sectors - 16));
            disk.read(0, MemorySegment.ofArray(buf).asSlice(0, 512));
            disk.read(lba * 512, MemorySegment.ofArray(buf));
            if (!disk.readOnly()) {
                disk.write(lba * 512 + 512, MemorySegment.ofArray(buf).asSlice(0, 4096));
                disk.read(lba * 512, MemorySegment.ofArray(buf));
            }
        } catch (IOException expected) {
            // an I/O error on a damaged but openable image ends that request only
        }
    }

    private static void seal(byte[] b, int from, int length) {
        if (from + length > b.length) {
            return;
        }
        Arrays.fill(b, from + 4, from + 8, (byte) 0);
        CRC32C crc = new CRC32C();
        crc.update(b, from, length);
        ByteBuffer.wrap(b, from + 4, 4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) crc.getValue());
    }

    @Test
    void randomStructurePatchesKeepTheContract() throws IOException {
        SplittableRandom rng = new SplittableRandom(12);
        int n = 150;
        for (int i = 0; i < n; i++) {
            byte[] d = new byte[2 + 4 * (1 + rng.nextInt(4)) + 16];
            rng.nextBytes(d);
            d[0] = (byte) (d[0] & ~32 | (rng.nextInt(8) == 0 ? 32 : 0));
            for (int p = 2; p + 4 <= d.length; p += 4 + 4) {
                d[p + 3] = (byte) 4;                          // short patches: each a field or two
            }
            check(d);
        }
        System.out.println("VhdxImageFuzzTest.randomStructurePatchesKeepTheContract: " + n + " patched images");
    }
}

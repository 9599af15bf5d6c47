package dev.partita.devices.storage.disk.vhdx;

import dev.partita.devices.storage.disk.DiskImageException;
import dev.partita.vmbus.protocol.LittleEndian;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.*;

/** Forged and damaged files are refused with one {@link DiskImageException} naming the problem. */
class MalformedVhdxTest {
    private static final int H1 = 64 << 10;
    private static final int H2 = 128 << 10;
    private static final int RT1 = 192 << 10;
    private static final int RT2 = 256 << 10;
    private static final int META = 2 << 20;
    private static final int BAT = 3 << 20;

    @TempDir
    Path dir;

    private void refused(String expected, Consumer<byte[]> forge) throws Exception {
        byte[] b = VhdxTemplates.dynamic();
        forge.accept(b);
        refusedBytes(expected, b);
    }

    private void refusedBytes(String expected, byte[] b) throws Exception {
        Path img = dir.resolve("forged-" + System.nanoTime() + ".vhdx");
        Files.write(img, b);
        for (boolean ro : new boolean[] {true, false}) {
            DiskImageException e = assertThrows(DiskImageException.class, () -> VhdxDisk.open(img, ro).close());
            assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
            assertTrue(e.getMessage().startsWith("disk image " + img), e.getMessage());
        }
    }

    private static void sealHeaders(byte[] b) {
        Crc32cField.seal(b, H1, 4096, 4);
        Crc32cField.seal(b, H2, 4096, 4);
    }

    private static void sealRegions(byte[] b) {
        Crc32cField.seal(b, RT1, 65536, 4);
        Crc32cField.seal(b, RT2, 65536, 4);
    }

    /** Both copies of the region table's BAT entry (entry 0) and metadata entry (entry 1) fields. */
    private static void regionField(byte[] b, int entry, int field, long value, boolean wide) {
        for (int rt : new int[] {RT1, RT2}) {
            int at = rt + 16 + entry * 32 + field;
            if (wide) {
                LittleEndian.put64(b, at, value);
            } else {
                LittleEndian.put32(b, at, (int) value);
            }
        }
        sealRegions(b);
    }

    private static int metadataItemOffset(byte[] b, int item) {
        return META + LittleEndian.u32(b, META + 32 + item * 32 + 16);
    }

    @Test
    void fileIdentifierAndHeaders() throws Exception {
        refused("no 'vhdxfile' signature", b -> b[0] = 'w');
        refused("neither header", b -> {
            b[H1 + 100] ^= 1;
            b[H2 + 100] ^= 1;
        });
        refused("log at", b -> {
            LittleEndian.put64(b, H1 + 72, 1L << 40);     // log offset far past the end
            LittleEndian.put64(b, H2 + 72, 1L << 40);
            sealHeaders(b);
        });
        refused("log version", b -> {
            LittleEndian.put16(b, H1 + 64, 7);
            LittleEndian.put16(b, H2 + 64, 7);
            sealHeaders(b);
        });
        refusedBytes("shorter than the 1 MiB header section", Arrays.copyOf(VhdxTemplates.dynamic(), 500 << 10));
    }

    @Test
    void oneDamagedHeaderOrRegionTableCopyIsTolerated() throws Exception {
        byte[] b = VhdxTemplates.dynamic();
        b[H1 + 200] ^= 1;
        b[RT1 + 300] ^= 1;
        Path img = dir.resolve("one-bad-copy.vhdx");
        Files.write(img, b);
        try (VhdxDisk d = VhdxDisk.open(img, true)) {
            assertEquals(2, d.allocatedBlocks());
        }
    }

    @Test
    void regionTable() throws Exception {
        refused("neither region table", b -> {
            b[RT1 + 40] ^= 1;
            b[RT2 + 40] ^= 1;
        });
        refused("overlap", b -> regionField(b, 0, 16, META, true));        // BAT placed on the metadata region
        refused("log overlaps", b -> regionField(b, 0, 16, 1 << 20, true)); // BAT placed on the log
        refused("beyond the end", b -> regionField(b, 0, 16, 1L << 30, true));          // BAT far past the end
        refused("1 MiB-aligned", b -> regionField(b, 0, 16, BAT + 4096, true));
        refused("entries", b -> {
            LittleEndian.put32(b, RT1 + 8, 100000);
            LittleEndian.put32(b, RT2 + 8, 100000);
            sealRegions(b);
        });
        refused("unknown region", b -> {
            for (int rt : new int[] {RT1, RT2}) {
                b[rt + 16] ^= 0x55;                         // the BAT's GUID becomes unknown; it is required
            }
            sealRegions(b);
        });
    }

    @Test
    void metadata() throws Exception {
        refused("block size", b -> LittleEndian.put32(b, metadataItemOffset(b, 0), 3 << 20));
        refused("virtual disk size", b -> LittleEndian.put64(b, metadataItemOffset(b, 1), 0));
        refused("virtual disk size", b -> LittleEndian.put64(b, metadataItemOffset(b, 1), 1000));
        refused("sector sizes", b -> LittleEndian.put32(b, metadataItemOffset(b, 3), 1024));
        refused("without a parent locator", b -> LittleEndian.put32(b, metadataItemOffset(b, 0) + 4, 2));
        refused("'metadata' table signature", b -> b[META] = 'x');
        refused("entries", b -> LittleEndian.put16(b, META + 10, 5000));
        refused("lies outside", b -> LittleEndian.put32(b, META + 32 + 16, 1 << 30));
        refused("appears twice", b -> System.arraycopy(b, META + 32, b, META + 64, 16));
        refused("cannot hold", b -> LittleEndian.put64(b, metadataItemOffset(b, 1), 1L << 40)); // BAT too small for 1 TiB
    }

    @Test
    void blockAllocationTable() throws Exception {
        refused("outside the", b -> LittleEndian.put64(b, BAT, (100L << 20) | 6));         // block past the end
        refused("overlaps", b -> LittleEndian.put64(b, BAT, (2L << 20) | 6));              // block on the metadata
        refused("overlaps", b -> LittleEndian.put64(b, BAT + 8, LittleEndian.u64(b, BAT) )); // two blocks, one place
        refused("payload state 4", b -> LittleEndian.put64(b, BAT + 16, 4));
        refused("partially present block in a disk without parent", b -> LittleEndian.put64(b, BAT, LittleEndian.u64(b, BAT) | 7));
        byte[] cut = VhdxTemplates.dynamic();
        refusedBytes("outside the", Arrays.copyOf(cut, cut.length - (512 << 10)));        // last block truncated
    }

    @Test
    void pendingLogWithForgedTargetsIsRefused() throws Exception {
        byte[] b = VhdxTemplates.pendingLog();
        int entry = 1 << 20;
        assertEquals(VhdxLayout.LOG_ENTRY_SIGNATURE, LittleEndian.u32(b, entry), "the template has a log entry at the log's start");
        LittleEndian.put64(b, entry + 64 + 16, 64 << 10);   // descriptor 0 now targets header 1
        Crc32cField.seal(b, entry, LittleEndian.u32(b, entry + 8), 4);
        Path img = dir.resolve("forged-log.vhdx");
        Files.write(img, b);
        DiskImageException e = assertThrows(DiskImageException.class, () -> VhdxDisk.open(img, false));
        assertTrue(e.getMessage().contains("outside the file's data area"), e.getMessage());
        assertArrayEquals(b, Files.readAllBytes(img), "nothing was written to the forged file");

        byte[] far = VhdxTemplates.pendingLog();
        LittleEndian.put64(far, entry + 56, 1L << 45);     // LastFileOffset 32 TiB: replay would grow the file
        Crc32cField.seal(far, entry, LittleEndian.u32(far, entry + 8), 4);
        Path farImg = dir.resolve("forged-growth.vhdx");
        Files.write(farImg, far);
        e = assertThrows(DiskImageException.class, () -> VhdxDisk.open(farImg, false));
        assertTrue(e.getMessage().contains("more than 1 GiB past"), e.getMessage());
        assertEquals(far.length, Files.size(farImg), "the forged file did not grow");
    }
}

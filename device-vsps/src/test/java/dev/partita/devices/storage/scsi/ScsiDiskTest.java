package dev.partita.devices.storage.scsi;

import dev.partita.devices.storage.disk.MemoryDisk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScsiDiskTest {
    private static final int SECTORS = 2048;                 // 1 MiB
    private final MemoryDisk memory = new MemoryDisk(SECTORS, false);
    private final ScsiDisk disk = new ScsiDisk(DiskIdentity.of("SER123"), memory, 64 * 1024);

    @AfterEach
    void close() {
        memory.close();
    }

    static byte[] cdb(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return b;
    }

    static byte[] rw10(int op, long lba, int blocks) {
        return cdb(op, 0, (int) (lba >>> 24), (int) (lba >>> 16), (int) (lba >>> 8), (int) lba, 0, blocks >>> 8, blocks, 0);
    }

    static byte[] rw16(int op, long lba, long blocks) {
        byte[] c = new byte[16];
        c[0] = (byte) op;
        Cdb.put64(c, 2, lba);
        Cdb.put32(c, 10, blocks);
        return c;
    }

    private ScsiResult in(byte[] cdb, HeapDataBuffer buf) {
        return disk.execute(cdb, DataDirection.FROM_DEVICE, buf);
    }

    static void assertSense(ScsiResult r, int key, int asc, int ascq) {
        assertEquals(ScsiStatus.CHECK_CONDITION, r.status());
        byte[] s = r.sense().toFixedFormat();
        assertEquals(0x70, s[0] & 0xFF, "response code");
        assertEquals(key, s[2] & 0x0F, "sense key");
        assertEquals(10, s[7], "additional sense length");
        assertEquals(asc, s[12] & 0xFF, "ASC");
        assertEquals(ascq, s[13] & 0xFF, "ASCQ");
        assertEquals(0, r.transferred());
    }

    @Test
    void testUnitReadyAndStartStopAreGood() {
        assertEquals(ScsiResult.good(0), disk.execute(cdb(0, 0, 0, 0, 0, 0), DataDirection.NONE, DataBuffer.EMPTY));
        assertEquals(ScsiResult.good(0), disk.execute(cdb(0x1B, 0, 0, 0, 1, 0), DataDirection.NONE, DataBuffer.EMPTY));
    }

    @Test
    void standardInquiry() {
        HeapDataBuffer buf = HeapDataBuffer.allocate(96);
        ScsiResult r = in(cdb(0x12, 0, 0, 0, 96, 0), buf);
        assertTrue(r.isGood());
        assertEquals(36, r.transferred());
        byte[] b = buf.bytes();
        assertEquals(0x00, b[0], "qualifier 0, direct access");
        assertEquals(0x05, b[2], "SPC-3");
        assertEquals(0x02, b[3] & 0x0F, "response data format");
        assertEquals(31, b[4], "additional length");
        assertEquals(0x02, b[7], "CMDQUE");
        assertEquals("PARTITA Virtual Disk    0001", new String(b, 8, 28, StandardCharsets.US_ASCII));
    }

    @Test
    void inquiryTruncatedToAllocationLength() {
        HeapDataBuffer buf = HeapDataBuffer.allocate(96);
        ScsiResult r = in(cdb(0x12, 0, 0, 0, 5, 0), buf);
        assertEquals(5, r.transferred());
        assertEquals(0, buf.bytes()[5]);
    }

    @Test
    void vpdSupportedPagesListsEveryAnsweredPage() {
        HeapDataBuffer buf = HeapDataBuffer.allocate(255);
        ScsiResult r = in(cdb(0x12, 1, 0x00, 0, 255, 0), buf);
        byte[] b = buf.bytes();
        assertEquals(0x00, b[1]);
        int n = b[3];
        assertEquals(4 + n, r.transferred());
        assertArrayEquals(new byte[]{0x00, (byte) 0x80, (byte) 0x83, (byte) 0xB0, (byte) 0xB1}, Arrays.copyOfRange(b, 4, 4 + n));
        for (int i = 0; i < n; i++) {
            HeapDataBuffer page = HeapDataBuffer.allocate(255);
            ScsiResult pr = in(cdb(0x12, 1, b[4 + i] & 0xFF, 0, 255, 0), page);
            assertTrue(pr.isGood(), "page " + (b[4 + i] & 0xFF));
            assertEquals(b[4 + i], page.bytes()[1]);
            assertEquals(4 + Cdb.u16(page.bytes(), 2), pr.transferred());
        }
    }

    @Test
    void vpdSerialIdentificationLimitsCharacteristics() {
        HeapDataBuffer buf = HeapDataBuffer.allocate(255);
        in(cdb(0x12, 1, 0x80, 0, 255, 0), buf);
        assertEquals(6, buf.bytes()[3]);
        assertEquals("SER123", new String(buf.bytes(), 4, 6, StandardCharsets.US_ASCII));

        buf = HeapDataBuffer.allocate(255);
        in(cdb(0x12, 1, 0x83, 0, 255, 0), buf);
        byte[] b = buf.bytes();
        assertEquals(0x02, b[4], "first designator: ASCII");
        assertEquals(0x01, b[5], "T10 vendor id, LU association");
        int l1 = b[7];
        assertEquals("PARTITA ", new String(b, 8, 8, StandardCharsets.US_ASCII));
        int naa = 8 + l1;
        assertEquals(0x01, b[naa], "binary");
        assertEquals(0x03, b[naa + 1], "NAA designator");
        assertEquals(8, b[naa + 3]);
        assertEquals(3, (b[naa + 4] >> 4) & 0xF, "NAA 3 locally assigned");
        assertEquals(Cdb.u16(b, 2), l1 + 4 + 12);

        buf = HeapDataBuffer.allocate(255);
        in(cdb(0x12, 1, 0xB0, 0, 255, 0), buf);
        assertEquals(0x3C, Cdb.u16(buf.bytes(), 2));
        assertEquals(128, Cdb.u32(buf.bytes(), 8), "max transfer length = 64 KiB / 512");

        buf = HeapDataBuffer.allocate(255);
        in(cdb(0x12, 1, 0xB1, 0, 255, 0), buf);
        assertEquals(1, Cdb.u16(buf.bytes(), 4), "non-rotating");
    }

    @Test
    void badInquiryFields() {
        assertSense(in(cdb(0x12, 1, 0xB2, 0, 255, 0), HeapDataBuffer.allocate(255)), 5, 0x24, 0);
        assertSense(in(cdb(0x12, 0, 0x80, 0, 255, 0), HeapDataBuffer.allocate(255)), 5, 0x24, 0);
        assertSense(in(cdb(0x12, 2, 0, 0, 255, 0), HeapDataBuffer.allocate(255)), 5, 0x24, 0);
    }

    @Test
    void readCapacity10And16() {
        HeapDataBuffer buf = HeapDataBuffer.allocate(8);
        ScsiResult r = in(cdb(0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0), buf);
        assertEquals(8, r.transferred());
        assertEquals(SECTORS - 1, Cdb.u32(buf.bytes(), 0));
        assertEquals(512, Cdb.u32(buf.bytes(), 4));

        buf = HeapDataBuffer.allocate(32);
        byte[] c = new byte[16];
        c[0] = (byte) 0x9E;
        c[1] = 0x10;
        Cdb.put32(c, 10, 32);
        r = in(c, buf);
        assertEquals(32, r.transferred());
        assertEquals(SECTORS - 1, Cdb.u64(buf.bytes(), 0));
        assertEquals(512, Cdb.u32(buf.bytes(), 8));
        assertEquals(0, buf.bytes()[14] & 0x80, "LBPME clear");

        c[1] = 0x11;
        assertSense(in(c, HeapDataBuffer.allocate(32)), 5, 0x24, 0);
    }

    @Test
    void modeSense6AllPagesWithBlockDescriptor() {
        HeapDataBuffer buf = HeapDataBuffer.allocate(192);
        ScsiResult r = in(cdb(0x1A, 0, 0x3F, 0, 192, 0), buf);
        byte[] b = buf.bytes();
        int total = (b[0] & 0xFF) + 1;
        assertEquals(4 + 8 + 20 + 12, total);
        assertEquals(total, r.transferred());
        assertEquals(0, b[2] & 0x80, "not write protected");
        assertEquals(8, b[3], "block descriptor length");
        assertEquals(SECTORS, Cdb.u32(b, 4));
        assertEquals(512, Cdb.u24(b, 9));
        assertEquals(0x08, b[12]);
        assertEquals(0x12, b[13]);
        assertEquals(0x04, b[14] & 0x05, "WCE set, RCD clear");
        assertEquals(0x0A, b[32]);
        assertEquals(0x0A, b[33]);
    }

    @Test
    void modeSense10CachingPageDbdAndLongLba() {
        HeapDataBuffer buf = HeapDataBuffer.allocate(64);
        ScsiResult r = in(cdb(0x5A, 0x08, 0x08, 0, 0, 0, 0, 0, 64, 0), buf);
        byte[] b = buf.bytes();
        assertEquals(8 + 20, r.transferred());
        assertEquals(8 + 20 - 2, Cdb.u16(b, 0));
        assertEquals(0, Cdb.u16(b, 6), "DBD: no descriptor");
        assertEquals(0x08, b[8]);

        buf = HeapDataBuffer.allocate(64);
        in(cdb(0x5A, 0x10, 0x0A, 0, 0, 0, 0, 0, 64, 0), buf);
        b = buf.bytes();
        assertEquals(1, b[4] & 1, "LONGLBA");
        assertEquals(16, Cdb.u16(b, 6));
        assertEquals(SECTORS, Cdb.u64(b, 8));
        assertEquals(0x0A, b[24]);
    }

    @Test
    void modeSenseErrors() {
        assertSense(in(cdb(0x1A, 0, 0xC8, 0, 192, 0), HeapDataBuffer.allocate(192)), 5, 0x39, 0);
        assertSense(in(cdb(0x1A, 0, 0x1C, 0, 192, 0), HeapDataBuffer.allocate(192)), 5, 0x24, 0);
        assertSense(in(cdb(0x1A, 0, 0x08, 1, 192, 0), HeapDataBuffer.allocate(192)), 5, 0x24, 0);
        assertTrue(in(cdb(0x1A, 0, 0x3F, 0xFF, 192, 0), HeapDataBuffer.allocate(192)).isGood());
    }

    @Test
    void modeSenseChangeableValuesAreZero() {
        HeapDataBuffer buf = HeapDataBuffer.allocate(64);
        in(cdb(0x1A, 0x08, 0x48, 0, 64, 0), buf);
        assertEquals(0x08, buf.bytes()[4]);
        assertEquals(0, buf.bytes()[6], "WCE not changeable");
    }

    @Test
    void writeThenReadRoundTripAllSizes() {
        byte[] data = new byte[8 * 512];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31 + 7);
        }
        ScsiResult w = disk.execute(rw10(0x2A, 100, 8), DataDirection.TO_DEVICE, HeapDataBuffer.wrap(data));
        assertEquals(ScsiResult.good(4096), w);
        assertEquals(data[0], memory.contents().get(ValueLayout.JAVA_BYTE, 100 * 512L));
        HeapDataBuffer back = HeapDataBuffer.allocate(4096);
        assertEquals(ScsiResult.good(4096), in(rw16(0x88, 100, 8), back));
        assertArrayEquals(data, back.bytes());
        HeapDataBuffer six = HeapDataBuffer.allocate(512);
        assertEquals(ScsiResult.good(512), in(cdb(0x08, 0, 0, 101, 1, 0), six));
        assertArrayEquals(Arrays.copyOfRange(data, 512, 1024), six.bytes());
        byte[] one = new byte[512];
        Arrays.fill(one, (byte) 0x5A);
        assertTrue(disk.execute(cdb(0x0A, 0, 0, 5, 1, 0), DataDirection.TO_DEVICE, HeapDataBuffer.wrap(one)).isGood());
        assertTrue(disk.execute(rw16(0x8A, 6, 1), DataDirection.TO_DEVICE, HeapDataBuffer.wrap(one)).isGood());
        assertEquals(0x5A, memory.contents().get(ValueLayout.JAVA_BYTE, 6 * 512L + 511));
    }

    @Test
    void read6LengthZeroMeans256Blocks() {
        HeapDataBuffer buf = HeapDataBuffer.allocate(128 * 1024);
        ScsiDisk big = new ScsiDisk(DiskIdentity.of("X"), memory, 128 * 1024);
        assertEquals(ScsiResult.good(256 * 512), big.execute(cdb(0x08, 0, 0, 0, 0, 0), DataDirection.FROM_DEVICE, buf));
    }

    @Test
    void outOfRangeAndOversizedTransfers() {
        assertSense(in(rw10(0x28, SECTORS - 1, 2), HeapDataBuffer.allocate(1024)), 5, 0x21, 0);
        assertSense(in(rw16(0x88, SECTORS + 1, 0), HeapDataBuffer.allocate(0)), 5, 0x21, 0);
        assertSense(in(rw16(0x88, -1L, 1), HeapDataBuffer.allocate(512)), 5, 0x21, 0);
        assertTrue(in(rw10(0x28, SECTORS - 1, 1), HeapDataBuffer.allocate(512)).isGood());
        assertSense(in(rw10(0x28, 0, 4), HeapDataBuffer.allocate(1024)), 5, 0x24, 0);  // transfer beyond the buffer
        assertSense(in(rw10(0x28, 0, 129), HeapDataBuffer.allocate(129 * 512)), 5, 0x24, 0); // beyond max transfer
        assertSense(disk.execute(rw10(0x28, 0, 1), DataDirection.TO_DEVICE, HeapDataBuffer.allocate(512)), 5, 0x24, 0);
        byte[] prot = rw10(0x28, 0, 1);
        prot[1] = 0x20;
        assertSense(in(prot, HeapDataBuffer.allocate(512)), 5, 0x24, 0);
    }

    @Test
    void unsupportedOpcodesAndShortCdbs() {
        assertSense(in(cdb(0x42, 0, 0, 0, 0, 0, 0, 0, 0, 0), HeapDataBuffer.allocate(0)), 5, 0x20, 0); // UNMAP
        assertSense(in(cdb(0xA3, 0x0C, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0), HeapDataBuffer.allocate(512)), 5, 0x20, 0);
        assertSense(in(cdb(0x93, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), HeapDataBuffer.allocate(0)), 5, 0x20, 0);
        assertSense(in(cdb(0xC0, 0, 0, 0, 0, 0), HeapDataBuffer.allocate(0)), 5, 0x20, 0);   // vendor group
        assertSense(in(new byte[0], HeapDataBuffer.allocate(0)), 5, 0x20, 0);
        assertSense(in(cdb(0x28, 0, 0, 0), HeapDataBuffer.allocate(512)), 5, 0x24, 0);
    }

    @Test
    void synchronizeCacheAndVerify() {
        assertEquals(ScsiResult.good(0), disk.execute(cdb(0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0), DataDirection.NONE, DataBuffer.EMPTY));
        assertEquals(ScsiResult.good(0), disk.execute(rw16(0x91, 0, SECTORS), DataDirection.NONE, DataBuffer.EMPTY));
        assertSense(disk.execute(rw16(0x91, SECTORS, 1), DataDirection.NONE, DataBuffer.EMPTY), 5, 0x21, 0);
        assertEquals(ScsiResult.good(0), disk.execute(rw10(0x2F, 0, 8), DataDirection.NONE, DataBuffer.EMPTY));
        assertSense(disk.execute(rw10(0x2F, SECTORS, 1), DataDirection.NONE, DataBuffer.EMPTY), 5, 0x21, 0);

        byte[] one = new byte[512];
        Arrays.fill(one, (byte) 9);
        disk.execute(rw10(0x2A, 3, 1), DataDirection.TO_DEVICE, HeapDataBuffer.wrap(one));
        byte[] bytchk = rw10(0x2F, 3, 1);
        bytchk[1] = 0x02;
        assertEquals(ScsiResult.good(512), disk.execute(bytchk, DataDirection.TO_DEVICE, HeapDataBuffer.wrap(one.clone())));
        one[100] = 10;
        assertSense(disk.execute(bytchk, DataDirection.TO_DEVICE, HeapDataBuffer.wrap(one)), 0xE, 0x1D, 0);
        bytchk[1] = 0x06;
        assertSense(disk.execute(bytchk, DataDirection.TO_DEVICE, HeapDataBuffer.wrap(one)), 5, 0x24, 0);
    }

    @Test
    void requestSenseReportsNoSenseInFixedFormat() {
        HeapDataBuffer buf = HeapDataBuffer.allocate(252);
        ScsiResult r = in(cdb(0x03, 0, 0, 0, 252, 0), buf);
        assertEquals(18, r.transferred());
        assertEquals(0x70, buf.bytes()[0]);
        assertEquals(0, buf.bytes()[2]);
        assertSense(in(cdb(0x03, 1, 0, 0, 252, 0), HeapDataBuffer.allocate(252)), 5, 0x24, 0);
    }

    @Test
    void readOnlyDiskRefusesWritesAndReportsWriteProtect() {
        try (MemoryDisk ro = new MemoryDisk(16, true)) {
            ScsiDisk d = new ScsiDisk(DiskIdentity.of("RO"), ro, 4096);
            byte[] one = new byte[512];
            Arrays.fill(one, (byte) 1);
            assertSense(d.execute(rw10(0x2A, 0, 1), DataDirection.TO_DEVICE, HeapDataBuffer.wrap(one)), 7, 0x27, 0);
            assertEquals(0, ro.contents().get(ValueLayout.JAVA_BYTE, 0));
            HeapDataBuffer buf = HeapDataBuffer.allocate(64);
            d.execute(cdb(0x1A, 0x08, 0x3F, 0, 64, 0), DataDirection.FROM_DEVICE, buf);
            assertEquals(0x80, buf.bytes()[2] & 0x80, "WP bit");
            assertTrue(d.execute(cdb(0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0), DataDirection.NONE, DataBuffer.EMPTY).isGood());
        }
    }

    @Test
    void ioErrorBecomesMediumErrorForThatCommandOnly() {
        FailingDisk failing = new FailingDisk(64);
        ScsiDisk d = new ScsiDisk(DiskIdentity.of("F"), failing, 4096);
        failing.fail = true;
        assertSense(d.execute(rw10(0x28, 0, 1), DataDirection.FROM_DEVICE, HeapDataBuffer.allocate(512)), 3, 0x11, 0);
        assertSense(d.execute(rw10(0x2A, 0, 1), DataDirection.TO_DEVICE, HeapDataBuffer.allocate(512)), 3, 0x0C, 0);
        assertSense(d.execute(cdb(0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0), DataDirection.NONE, DataBuffer.EMPTY), 3, 0x0C, 0);
        failing.fail = false;
        assertTrue(d.execute(rw10(0x28, 0, 1), DataDirection.FROM_DEVICE, HeapDataBuffer.allocate(512)).isGood());
    }

    @Test
    void senseDataEncoding() {
        byte[] s = new SenseData(0x5, 0x24, 0x01).toFixedFormat();
        assertEquals(18, s.length);
        assertArrayEquals(new byte[]{0x70, 0, 5, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x24, 1, 0, 0, 0, 0}, s);
        assertNull(ScsiResult.good(3).sense());
    }
}

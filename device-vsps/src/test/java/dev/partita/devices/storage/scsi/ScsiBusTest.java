package dev.partita.devices.storage.scsi;

import dev.partita.devices.storage.disk.MemoryDisk;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScsiBusTest {
    private static byte[] reportLuns(int alloc) {
        byte[] c = new byte[12];
        c[0] = (byte) 0xA0;
        Cdb.put32(c, 6, alloc);
        return c;
    }

    @Test
    void absentLunAnswersInquiryWithQualifier3AndOtherCommandsWithLunNotSupported() {
        ScsiBus bus = new ScsiBus();
        try (MemoryDisk m = new MemoryDisk(8, false)) {
            bus.attach(new ScsiAddress(0, 0, 0), new ScsiDisk(DiskIdentity.of("A"), m, 4096));
            ScsiAddress absent = new ScsiAddress(0, 1, 0);
            HeapDataBuffer buf = HeapDataBuffer.allocate(36);
            ScsiResult r = bus.execute(absent, ScsiDiskTest.cdb(0x12, 0, 0, 0, 36, 0), DataDirection.FROM_DEVICE, buf);
            assertTrue(r.isGood());
            assertEquals(0x7F, buf.bytes()[0] & 0xFF);
            ScsiDiskTest.assertSense(bus.execute(absent, ScsiDiskTest.cdb(0, 0, 0, 0, 0, 0), DataDirection.NONE,
                    DataBuffer.EMPTY), 5, 0x25, 0);
            HeapDataBuffer sense = HeapDataBuffer.allocate(18);
            assertTrue(bus.execute(absent, ScsiDiskTest.cdb(3, 0, 0, 0, 18, 0), DataDirection.FROM_DEVICE, sense).isGood());
            assertEquals(5, sense.bytes()[2]);
            assertEquals(0x25, sense.bytes()[12]);
            HeapDataBuffer present = HeapDataBuffer.allocate(36);
            bus.execute(new ScsiAddress(0, 0, 0), ScsiDiskTest.cdb(0x12, 0, 0, 0, 36, 0), DataDirection.FROM_DEVICE, present);
            assertEquals(0, present.bytes()[0]);
        }
    }

    @Test
    void reportLunsListsTheUnitsOfTheAddressedTarget() {
        ScsiBus bus = new ScsiBus();
        try (MemoryDisk m = new MemoryDisk(8, false)) {
            bus.attach(new ScsiAddress(0, 0, 0), new ScsiDisk(DiskIdentity.of("A"), m, 4096));
            bus.attach(new ScsiAddress(0, 0, 3), new ScsiDisk(DiskIdentity.of("B"), m, 4096));
            bus.attach(new ScsiAddress(0, 1, 0), new ScsiDisk(DiskIdentity.of("C"), m, 4096));
            HeapDataBuffer buf = HeapDataBuffer.allocate(64);
            ScsiResult r = bus.execute(new ScsiAddress(0, 0, 0), reportLuns(64), DataDirection.FROM_DEVICE, buf);
            assertEquals(24, r.transferred());
            assertEquals(16, Cdb.u32(buf.bytes(), 0));
            assertEquals(0, buf.bytes()[9]);
            assertEquals(3, buf.bytes()[17]);
            HeapDataBuffer none = HeapDataBuffer.allocate(64);
            assertEquals(8, bus.execute(new ScsiAddress(2, 0, 0), reportLuns(64), DataDirection.FROM_DEVICE, none).transferred());
            assertEquals(0, Cdb.u32(none.bytes(), 0));
            ScsiDiskTest.assertSense(bus.execute(new ScsiAddress(0, 0, 0), reportLuns(8), DataDirection.FROM_DEVICE, buf),
                    5, 0x24, 0);
            assertThrows(IllegalArgumentException.class,
                    () -> bus.attach(new ScsiAddress(0, 0, 0), new ScsiDisk(DiskIdentity.of("D"), m, 4096)));
        }
    }
}

package dev.partita.devices.storage;

import dev.partita.vmbus.ring.GpaDirectRange;
import dev.partita.vmbus.protocol.LittleEndian;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.partita.devices.storage.disk.MemoryDisk;
import dev.partita.devices.storage.scsi.DiskIdentity;
import dev.partita.devices.storage.scsi.ScsiAddress;
import dev.partita.devices.storage.scsi.ScsiBus;
import dev.partita.devices.storage.scsi.ScsiDisk;
import dev.partita.hv.memory.GuestMemory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Disk data stored into guest pages through segment views must be announced to GuestMemory's
 * host-write observers (the emulator forgets decoded code there; dirty logging sees it), and only
 * for reads from the device: a write to the device reads guest memory and announces nothing.
 */
class SrbHostWriteNoticeTest {
    private final GuestMemory memory = GuestMemory.allocate(1L << 20);
    private final List<long[]> notices = new ArrayList<>();

    @AfterEach
    void close() {
        memory.close();
    }

    private int srb(int dataIn, int opcode, int sectors, long[] pfns) {
        ScsiBus bus = new ScsiBus();
        bus.attach(new ScsiAddress(0, 0, 0), new ScsiDisk(DiskIdentity.of("NOTE"), new MemoryDisk(64, false), 1 << 20));
        memory.addHostWriteObserver((gpa, length) -> notices.add(new long[] {gpa, length}));
        byte[] reply = new byte[VstorPacket.SIZE];
        reply[VstorPacket.SRB_CDB_LENGTH] = 10;
        reply[VstorPacket.SRB_SENSE_LENGTH] = (byte) VstorPacket.SRB_SENSE_MAX;
        reply[VstorPacket.SRB_DATA_IN] = (byte) dataIn;
        int bytes = sectors * 512;
        LittleEndian.put32(reply, VstorPacket.SRB_TRANSFER_LENGTH, bytes);
        reply[VstorPacket.SRB_CDB] = (byte) opcode;              // READ(10) 0x28 / WRITE(10) 0x2A, LBA 0
        reply[VstorPacket.SRB_CDB + 8] = (byte) sectors;         // transfer length in blocks
        List<GpaDirectRange> ranges = List.of(new GpaDirectRange(bytes, 0, pfns));
        new SrbExecutor(memory, bus, 1 << 20).execute(reply, new VstorSession(), ranges);
        return reply[VstorPacket.SRB_SRB_STATUS];
    }

    @Test
    void readFromDeviceAnnouncesEveryGuestPageWritten() {
        int status = srb(VstorPacket.DATA_IN_READ, 0x28, 16, new long[] {0x40, 0x7});  // 8 KiB over two pages
        assertEquals(VstorPacket.SRB_STATUS_SUCCESS, status);
        assertEquals(2, notices.size(), "one notice per contiguous guest piece");
        assertEquals(0x40_000, notices.get(0)[0]);
        assertEquals(4096, notices.get(0)[1]);
        assertEquals(0x7_000, notices.get(1)[0]);
        assertEquals(4096, notices.get(1)[1]);
    }

    @Test
    void writeToDeviceAnnouncesNothing() {
        int status = srb(VstorPacket.DATA_IN_WRITE, 0x2A, 8, new long[] {0x40});
        assertEquals(VstorPacket.SRB_STATUS_SUCCESS, status);
        assertEquals(0, notices.size());
    }
}

package dev.partita.devices.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.partita.devices.storage.disk.MemoryDisk;
import dev.partita.devices.storage.scsi.DataDirection;
import dev.partita.devices.storage.scsi.DiskIdentity;
import dev.partita.devices.storage.scsi.ScsiAddress;
import dev.partita.devices.storage.scsi.ScsiBus;
import dev.partita.devices.storage.scsi.ScsiDisk;
import dev.partita.hv.memory.DirtyPages;
import dev.partita.hv.memory.GuestMemory;
import dev.partita.vmbus.ring.GpaDirectRange;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every store of the host into guest pages is announced to GuestMemory (dirty log, and host-write
 * observers such as the emulator's decoded-code cache), whatever data direction and transfer
 * length the guest put in the request; a write to the device only reads guest memory and
 * announces nothing.
 */
class SrbHostWriteNoticeTest {
    private final GuestMemory memory = GuestMemory.allocate(1L << 20);
    private final List<long[]> notices = new ArrayList<>();

    @BeforeEach
    void observe() {
        memory.addHostWriteObserver((gpa, length) -> notices.add(new long[] {gpa, length}));
        memory.setDirtyTracking(true);
        memory.collectDirtyPages(); // start a clean interval
    }

    @AfterEach
    void close() {
        memory.close();
    }

    /** Runs one SRB with {@code cdb}, direction {@code dataIn} and a transfer of {@code bytes} over {@code pfns}. */
    private int srb(int dataIn, byte[] cdb, int bytes, long[] pfns) {
        ScsiBus bus = new ScsiBus();
        bus.attach(new ScsiAddress(0, 0, 0), new ScsiDisk(DiskIdentity.of("NOTE"), new MemoryDisk(64, false), 1 << 20));
        DataDirection direction = switch (dataIn) {
            case VstorPacket.DATA_IN_READ -> DataDirection.FROM_DEVICE;
            case VstorPacket.DATA_IN_WRITE -> DataDirection.TO_DEVICE;
            default -> DataDirection.NONE;
        };
        SrbRequest request = new SrbRequest(new ScsiAddress(0, 0, 0), cdb, direction, VstorPacket.SRB_SENSE_MAX, bytes, true);
        List<GpaDirectRange> ranges = List.of(new GpaDirectRange(bytes, 0, pfns));
        return new SrbExecutor(memory, bus, 1 << 20).execute(request, ranges, VstorPacket.SRB_SENSE_MAX).srbStatus();
    }

    private static byte[] rw10(int opcode, int sectors) {
        byte[] cdb = new byte[10];
        cdb[0] = (byte) opcode;              // READ(10) 0x28 / WRITE(10) 0x2A, LBA 0
        cdb[8] = (byte) sectors;             // transfer length in blocks
        return cdb;
    }

    private void assertPageAnnounced(long gpa) {
        assertTrue(notices.stream().anyMatch(n -> n[0] <= gpa && gpa < n[0] + n[1]), "a host-write notice covers 0x"
                + Long.toHexString(gpa));
        DirtyPages dirty = memory.collectDirtyPages();
        assertTrue(dirty.isDirty(gpa), "page 0x" + Long.toHexString(gpa) + " is in the dirty log");
    }

    @Test
    void readFromDeviceAnnouncesEveryGuestPageWritten() {
        int status = srb(VstorPacket.DATA_IN_READ, rw10(0x28, 16), 16 * 512, new long[] {0x40, 0x7}); // two pages
        assertEquals(VstorPacket.SRB_STATUS_SUCCESS, status);
        assertEquals(2, notices.size(), "one notice per contiguous guest piece");
        assertEquals(0x40_000, notices.get(0)[0]);
        assertEquals(4096, notices.get(0)[1]);
        assertEquals(0x7_000, notices.get(1)[0]);
        assertEquals(4096, notices.get(1)[1]);
        DirtyPages dirty = memory.collectDirtyPages();
        assertTrue(dirty.isDirty(0x40_000) && dirty.isDirty(0x7_000));
    }

    @Test
    void writeToDeviceAnnouncesNothing() {
        int status = srb(VstorPacket.DATA_IN_WRITE, rw10(0x2A, 8), 8 * 512, new long[] {0x40});
        assertEquals(VstorPacket.SRB_STATUS_SUCCESS, status);
        assertEquals(0, notices.size());
        assertFalse(memory.collectDirtyPages().isDirty(0x40_000));
    }

    @Test
    void requestSenseClaimingAWriteToTheDeviceStillAnnouncesItsStore() {
        byte[] cdb = {0x03, 0, 0, 0, 18, 0}; // REQUEST SENSE, allocation length 18
        int status = srb(VstorPacket.DATA_IN_WRITE, cdb, 18, new long[] {0x50});
        assertEquals(VstorPacket.SRB_STATUS_SUCCESS, status);
        assertPageAnnounced(0x50_000);
    }

    @Test
    void inquiryWithNoDataDirectionButATransferLengthAnnouncesItsStore() {
        byte[] cdb = {0x12, 0, 0, 0, 36, 0}; // INQUIRY, allocation length 36
        int status = srb(VstorPacket.DATA_IN_NONE, cdb, 36, new long[] {0x60});
        assertEquals(VstorPacket.SRB_STATUS_SUCCESS, status);
        assertTrue(memory.read(0x60_000, 36)[8] != 0, "the vendor id reached guest memory");
        assertPageAnnounced(0x60_000);
    }

    @Test
    void readViewsCannotBeWrittenAndAFailingWriterStillAnnouncesItsPiece() throws Exception {
        GuestPagesBuffer b = GuestPagesBuffer.of(memory, List.of(new GpaDirectRange(8192, 0, new long[] {0x70, 0x72})), 8192);
        MemorySegment view = b.segments(0, 8192).getFirst();
        assertTrue(view.isReadOnly(), "data going to the device is read through read-only views");
        assertThrows(IllegalArgumentException.class, () -> view.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, (byte) 1));
        assertEquals(0, notices.size());
        assertThrows(IllegalStateException.class, () -> b.write(0, 8192, (at, dst) -> {
            dst.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, (byte) 1);
            throw new IllegalStateException("disk read failed after storing a byte");
        }));
        assertEquals(1, notices.size(), "the piece written before the failure is announced; the next is not offered");
        assertEquals(0x70_000, notices.getFirst()[0]);
        List<Long> offsets = new ArrayList<>();
        b.write(4000, 200, (at, dst) -> offsets.add(at));
        assertEquals(List.of(4000L, 4096L), offsets, "each piece knows where it starts in the buffer");
        assertEquals(0x70_000 + 4000, notices.get(1)[0]);
        assertEquals(96, notices.get(1)[1]);
        assertEquals(0x72_000, notices.get(2)[0]);
        assertEquals(104, notices.get(2)[1]);
    }
}

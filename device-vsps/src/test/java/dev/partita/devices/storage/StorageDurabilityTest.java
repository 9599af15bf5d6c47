package dev.partita.devices.storage;

import dev.partita.vmbus.ring.GpaDirectRange;
import dev.partita.devices.storage.disk.RawImageDisk;
import dev.partita.devices.storage.scsi.DiskIdentity;
import dev.partita.devices.storage.scsi.ScsiAddress;
import dev.partita.devices.storage.scsi.ScsiBus;
import dev.partita.devices.storage.scsi.ScsiDisk;
import dev.partita.hv.memory.GuestMemory;
import dev.partita.vmbus.ring.PacketType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Durability through the storage VSP: a guest's SYNCHRONIZE CACHE and FUA writes force its data to the image
 * (fdatasync) before they complete, and plain writes are left to the host cache. The disk layer records which
 * writes were forced ({@link ForcedWritesDisk} over a raw image file), so a skipped flush fails here although
 * the data would survive a killed process.
 */
class StorageDurabilityTest {
    private static final long BUF_GPA = 0x10_0000;
    private static final int SECTOR = 512;

    @TempDir
    Path dir;

    private final GuestMemory memory = GuestMemory.allocate(4L << 20);
    private final RingPacketMaker maker = new RingPacketMaker();
    private final RecordingChannel ch = new RecordingChannel();
    private ForcedWritesDisk disk;
    private StorageVsp vsp;
    private long txid = 1;

    @BeforeEach
    void open() throws Exception {
        Path img = dir.resolve("durable.img");
        Files.write(img, new byte[64 * SECTOR]);
        disk = new ForcedWritesDisk(RawImageDisk.open(img, false));
        ScsiBus bus = new ScsiBus();
        bus.attach(new ScsiAddress(0, 0, 0), new ScsiDisk(DiskIdentity.of("DURABLE"), disk, 1 << 20));
        vsp = new StorageVsp(UUID.randomUUID(), memory, bus, StorageVspConfig.defaults());
        vsp.open(ch);
        assertEquals(0, Vstor.status(call(Vstor.op(VstorPacket.OP_BEGIN_INITIALIZATION))));
        assertEquals(0, Vstor.status(call(Vstor.version(VstorProtocolVersion.WIN10.wire()))));
        assertEquals(0, Vstor.status(call(Vstor.op(VstorPacket.OP_QUERY_PROPERTIES))));
        assertEquals(0, Vstor.status(call(Vstor.op(VstorPacket.OP_END_INITIALIZATION))));
    }

    @AfterEach
    void close() throws Exception {
        maker.close();
        memory.close();
        disk.close();
    }

    private byte[] call(byte[] vstor) {
        vsp.onPacket(ch, maker.inband(++txid, true, vstor), true);
        assertEquals(txid, ch.last().txid());
        return ch.last().payload();
    }

    /** A one-sector write from guest page BUF_GPA; {@code cdb} names the LBA. */
    private void write(byte[] cdb) {
        memory.fill(BUF_GPA, SECTOR, (byte) 0x5A);
        byte[] r = callWithPage(Vstor.srb(0, 0, 0, cdb, VstorPacket.DATA_IN_WRITE, SECTOR));
        assertEquals(VstorPacket.SRB_STATUS_SUCCESS, Vstor.srbStatus(r));
        assertEquals(SECTOR, Vstor.transferLength(r));
    }

    private byte[] callWithPage(byte[] vstor) {
        vsp.onPacket(ch, maker.packet(PacketType.DATA_USING_GPA_DIRECT, true, ++txid,
                RingPacketMaker.rangeList(new GpaDirectRange(SECTOR, 0, new long[] {BUF_GPA >> 12})), vstor), true);
        assertEquals(txid, ch.last().txid());
        return ch.last().payload();
    }

    private static byte[] write10(int lba, boolean fua) {
        return new byte[] {0x2A, (byte) (fua ? 0x08 : 0), 0, 0, 0, (byte) lba, 0, 0, 1, 0};
    }

    private static byte[] write16(int lba, boolean fua) {
        byte[] cdb = new byte[16];
        cdb[0] = (byte) 0x8A;
        cdb[1] = (byte) (fua ? 0x08 : 0);
        cdb[9] = (byte) lba;
        cdb[13] = 1;
        return cdb;
    }

    @Test
    void synchronizeCacheForcesEveryEarlierWrite() {
        write(write10(3, false));
        write(write16(4, false));
        assertFalse(disk.forcedAt(3L * SECTOR), "a plain write stays in the host cache");
        assertFalse(disk.forcedAt(4L * SECTOR));
        byte[] sync10 = {0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        assertEquals(VstorPacket.SRB_STATUS_SUCCESS, Vstor.srbStatus(call(Vstor.srb(0, 0, 0, sync10, VstorPacket.DATA_IN_NONE, 0))));
        assertTrue(disk.forcedAt(3L * SECTOR), "SYNCHRONIZE CACHE (10) completed: the write is durable");
        assertTrue(disk.forcedAt(4L * SECTOR));

        write(write10(5, false));
        byte[] sync16 = new byte[16];
        sync16[0] = (byte) 0x91;
        assertEquals(VstorPacket.SRB_STATUS_SUCCESS, Vstor.srbStatus(call(Vstor.srb(0, 0, 0, sync16, VstorPacket.DATA_IN_NONE, 0))));
        assertTrue(disk.forcedAt(5L * SECTOR), "SYNCHRONIZE CACHE (16) completed: the write is durable");
    }

    @Test
    void fuaWritesAreDurableWhenTheyComplete() {
        write(write10(7, false));
        int flushes = disk.flushes();
        write(write10(8, true));
        assertTrue(disk.forcedAt(8L * SECTOR), "WRITE (10) with FUA completed: durable");
        write(write16(9, true));
        assertTrue(disk.forcedAt(9L * SECTOR), "WRITE (16) with FUA completed: durable");
        assertEquals(flushes + 2, disk.flushes(), "one flush per FUA write");
        write(write10(10, false));
        assertFalse(disk.forcedAt(10L * SECTOR), "without FUA nothing is forced");
    }
}

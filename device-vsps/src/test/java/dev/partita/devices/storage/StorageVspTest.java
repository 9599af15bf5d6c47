package dev.partita.devices.storage;

import dev.partita.vmbus.ring.GpaDirectRange;
import dev.partita.vmbus.protocol.LittleEndian;
import dev.partita.devices.storage.disk.RawImageDisk;
import dev.partita.devices.storage.scsi.DiskIdentity;
import dev.partita.devices.storage.scsi.ScsiAddress;
import dev.partita.devices.storage.scsi.ScsiBus;
import dev.partita.devices.storage.scsi.ScsiDisk;
import dev.partita.hv.memory.GuestMemory;
import dev.partita.vmbus.ring.GpaDirectRange;
import dev.partita.vmbus.ring.PacketType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StorageVspTest {
    private static final long BUF_GPA = 0x10_0000;          // guest data pages at 1 MiB
    @TempDir
    Path dir;

    private final GuestMemory memory = GuestMemory.allocate(4L << 20);
    private final RingPacketMaker maker = new RingPacketMaker();
    private final RecordingChannel ch = new RecordingChannel();
    private final ScsiBus bus = new ScsiBus();
    private StorageVsp vsp;
    private RawImageDisk disk;
    private long txid = 100;

    @AfterEach
    void tearDown() throws Exception {
        maker.close();
        memory.close();
        if (disk != null) {
            disk.close();
        }
    }

    private Path image(int sectors, boolean ro) throws Exception {
        Path img = dir.resolve("disk.img");
        byte[] content = new byte[sectors * 512];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i / 512);
        }
        Files.write(img, content);
        disk = RawImageDisk.open(img, ro);
        bus.attach(new ScsiAddress(0, 0, 0), new ScsiDisk(DiskIdentity.of("VSPTEST"), disk, 1 << 20));
        vsp = new StorageVsp(UUID.randomUUID(), memory, bus, StorageVspConfig.defaults());
        vsp.open(ch);
        return img;
    }

    private byte[] call(byte[] vstor) {
        vsp.onPacket(ch, maker.inband(++txid, true, vstor), true);
        RecordingChannel.Sent s = ch.last();
        assertTrue(s.completion());
        assertEquals(txid, s.txid());
        assertEquals(VstorPacket.OP_COMPLETE_IO, LittleEndian.u32(s.payload(), 0));
        return s.payload();
    }

    private byte[] callWithData(byte[] vstor, int bytes) {
        long[] pfns = new long[(int) GpaDirectRange.pagesSpanned(0, bytes)];
        for (int i = 0; i < pfns.length; i++) {
            pfns[i] = (BUF_GPA >> 12) + 2L * i;             // every other page: not contiguous
        }
        vsp.onPacket(ch, maker.packet(PacketType.DATA_USING_GPA_DIRECT, true, ++txid,
                RingPacketMaker.rangeList(new GpaDirectRange(bytes, 0, pfns)), vstor), true);
        assertEquals(txid, ch.last().txid());
        return ch.last().payload();
    }

    private byte[] guestBytes(int bytes) {
        byte[] out = new byte[bytes];
        for (int at = 0; at < bytes; at += 4096) {
            memory.read(BUF_GPA + 2L * at, out, at, Math.min(4096, bytes - at));
        }
        return out;
    }

    private void init() {
        assertEquals(0, Vstor.status(call(Vstor.op(VstorPacket.OP_BEGIN_INITIALIZATION))));
        assertEquals(0, Vstor.status(call(Vstor.version(0x0602))));
        assertEquals(0, Vstor.status(call(Vstor.op(VstorPacket.OP_QUERY_PROPERTIES))));
        assertEquals(0, Vstor.status(call(Vstor.op(VstorPacket.OP_END_INITIALIZATION))));
    }

    @Test
    void initialisationSequenceAsLinuxDoesIt() throws Exception {
        image(64, false);
        byte[] r = call(Vstor.op(VstorPacket.OP_BEGIN_INITIALIZATION));
        assertEquals(64, r.length);
        assertEquals(0, Vstor.status(r));
        assertEquals(VstorPacket.STATUS_REVISION_MISMATCH, Vstor.status(call(Vstor.version(0x0700))));
        r = call(Vstor.version(0x0602));
        assertEquals(0, Vstor.status(r));
        assertEquals(0x0602, LittleEndian.u16(r, VstorPacket.VERSION_MAJOR_MINOR));
        r = call(Vstor.op(VstorPacket.OP_QUERY_PROPERTIES));
        assertEquals(0, Vstor.status(r));
        assertEquals(0, LittleEndian.u32(r, VstorPacket.PROPERTIES_FLAGS) & 1, "multi-channel off");
        int max = LittleEndian.u32(r, VstorPacket.PROPERTIES_MAX_TRANSFER_BYTES);
        assertTrue(max > 0 && max % 4096 == 0, "max transfer " + max);
        assertEquals(VstorPacket.STATUS_NOT_SUPPORTED, Vstor.status(call(Vstor.op(VstorPacket.OP_CREATE_SUB_CHANNELS))));
        assertEquals(0, Vstor.status(call(Vstor.op(VstorPacket.OP_END_INITIALIZATION))));
        assertNull(ch.failure);
    }

    @Test
    void requestsOutOfOrderAreRefusedWithAStatus() throws Exception {
        image(64, false);
        byte[] tur = Vstor.srb(0, 0, 0, new byte[6], VstorPacket.DATA_IN_NONE, 0);
        assertEquals(VstorPacket.STATUS_INVALID_DEVICE_STATE, Vstor.status(call(tur)));
        assertEquals(VstorPacket.STATUS_INVALID_DEVICE_STATE, Vstor.status(call(Vstor.version(0x0602))));
        assertEquals(VstorPacket.STATUS_INVALID_DEVICE_STATE, Vstor.status(call(Vstor.op(VstorPacket.OP_END_INITIALIZATION))));
        init();
        assertEquals(0, Vstor.status(call(tur)));
        assertEquals(VstorPacket.SRB_STATUS_SUCCESS, Vstor.srbStatus(call(tur)));
        assertEquals(VstorPacket.STATUS_NOT_SUPPORTED, Vstor.status(call(Vstor.op(99))));
        assertEquals(0, Vstor.status(call(Vstor.op(VstorPacket.OP_RESET_BUS))));
    }

    @Test
    void inquiryAndReadCapacityLandInGuestPages() throws Exception {
        image(64, false);
        init();
        byte[] r = callWithData(Vstor.srb(0, 0, 0, new byte[]{0x12, 0, 0, 0, 36, 0}, VstorPacket.DATA_IN_READ, 36), 36);
        assertEquals(VstorPacket.SRB_STATUS_SUCCESS, Vstor.srbStatus(r));
        assertEquals(0, Vstor.scsiStatus(r));
        assertEquals(36, Vstor.transferLength(r));
        byte[] inq = guestBytes(36);
        assertEquals("PARTITA ", new String(inq, 8, 8));

        byte[] rc16 = new byte[16];
        rc16[0] = (byte) 0x9E;
        rc16[1] = 0x10;
        rc16[13] = 32;
        r = callWithData(Vstor.srb(0, 0, 0, rc16, VstorPacket.DATA_IN_READ, 32), 32);
        assertEquals(32, Vstor.transferLength(r));
        byte[] cap = guestBytes(32);
        assertEquals(63, cap[7]);
        assertEquals(2, cap[10]);                            // 512 = 0x0200
    }

    @Test
    void readWriteRoundTripAcrossNonContiguousPages() throws Exception {
        Path img = image(256, false);
        init();
        byte[] pattern = new byte[3 * 4096];
        for (int i = 0; i < pattern.length; i++) {
            pattern[i] = (byte) (i * 13 + 1);
        }
        for (int at = 0; at < pattern.length; at += 4096) {
            memory.write(BUF_GPA + 2L * at, pattern, at, 4096);
        }
        byte[] w10 = {0x2A, 0, 0, 0, 0, 16, 0, 0, 24, 0};   // WRITE(10) LBA 16, 24 blocks
        byte[] r = callWithData(Vstor.srb(0, 0, 0, w10, VstorPacket.DATA_IN_WRITE, pattern.length), pattern.length);
        assertEquals(VstorPacket.SRB_STATUS_SUCCESS, Vstor.srbStatus(r));
        assertEquals(pattern.length, Vstor.transferLength(r));
        byte[] sync = {0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        assertEquals(VstorPacket.SRB_STATUS_SUCCESS, Vstor.srbStatus(call(Vstor.srb(0, 0, 0, sync, VstorPacket.DATA_IN_NONE, 0))));
        byte[] file = Files.readAllBytes(img);
        assertArrayEquals(pattern, Arrays.copyOfRange(file, 16 * 512, 16 * 512 + pattern.length));

        for (int at = 0; at < pattern.length; at += 4096) {
            memory.fill(BUF_GPA + 2L * at, 4096, (byte) 0);
        }
        byte[] r16 = new byte[16];
        r16[0] = (byte) 0x88;
        r16[9] = 16;
        r16[13] = 24;
        r = callWithData(Vstor.srb(0, 0, 0, r16, VstorPacket.DATA_IN_READ, pattern.length), pattern.length);
        assertEquals(VstorPacket.SRB_STATUS_SUCCESS, Vstor.srbStatus(r));
        assertArrayEquals(pattern, guestBytes(pattern.length));
    }

    @Test
    void readOnlyDiskGivesDataProtectAndLeavesTheFileUnchanged() throws Exception {
        Path img = image(64, true);
        byte[] before = Files.readAllBytes(img);
        init();
        memory.fill(BUF_GPA, 4096, (byte) 0x77);
        byte[] w10 = {0x2A, 0, 0, 0, 0, 0, 0, 0, 1, 0};
        byte[] r = callWithData(Vstor.srb(0, 0, 0, w10, VstorPacket.DATA_IN_WRITE, 512), 512);
        assertEquals(VstorPacket.SRB_STATUS_ERROR | VstorPacket.SRB_STATUS_AUTOSENSE_VALID, Vstor.srbStatus(r));
        assertEquals(2, Vstor.scsiStatus(r), "CHECK CONDITION");
        assertEquals(0, Vstor.transferLength(r));
        assertEquals(18, r[VstorPacket.SRB_SENSE_LENGTH]);
        assertEquals(0x70, r[VstorPacket.SRB_CDB] & 0xFF);
        assertEquals(7, r[VstorPacket.SRB_CDB + 2], "DATA PROTECT");
        assertEquals(0x27, r[VstorPacket.SRB_CDB + 12], "WRITE PROTECTED");
        assertArrayEquals(before, Files.readAllBytes(img));
    }

    @Test
    void absentLunInquiryAndInvalidLunStatus() throws Exception {
        image(64, false);
        init();
        byte[] r = callWithData(Vstor.srb(0, 1, 0, new byte[]{0x12, 0, 0, 0, 36, 0}, VstorPacket.DATA_IN_READ, 36), 36);
        assertEquals(VstorPacket.SRB_STATUS_SUCCESS, Vstor.srbStatus(r));
        assertEquals(0x7F, guestBytes(1)[0] & 0xFF);
        r = call(Vstor.srb(3, 0, 5, new byte[6], VstorPacket.DATA_IN_NONE, 0));
        assertEquals(VstorPacket.SRB_STATUS_INVALID_LUN | VstorPacket.SRB_STATUS_AUTOSENSE_VALID, Vstor.srbStatus(r));
        assertEquals(0x25, r[VstorPacket.SRB_CDB + 12]);
    }

    @Test
    void badGuestRangesAreAnsweredInvalidRequestNeverTouchingOtherMemory() throws Exception {
        image(64, false);
        init();
        byte[] read = Vstor.srb(0, 0, 0, new byte[]{0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0}, VstorPacket.DATA_IN_READ, 512);
        long outside = (8L << 20) >> 12;                       // beyond the 4 MiB of guest RAM
        vsp.onPacket(ch, maker.packet(PacketType.DATA_USING_GPA_DIRECT, true, 1, RingPacketMaker.rawRange(512, 0, outside), read), true);
        assertEquals(VstorPacket.SRB_STATUS_INVALID_REQUEST, Vstor.srbStatus(ch.last().payload()));
        vsp.onPacket(ch, maker.packet(PacketType.DATA_USING_GPA_DIRECT, true, 2, RingPacketMaker.rawRange(256, 0, 0x100), read), true);
        assertEquals(VstorPacket.SRB_STATUS_INVALID_REQUEST, Vstor.srbStatus(ch.last().payload()), "range shorter than transfer");
        vsp.onPacket(ch, maker.packet(PacketType.DATA_USING_GPA_DIRECT, true, 3, RingPacketMaker.rawRange(512, 4096, 0x100), read), true);
        assertEquals(VstorPacket.SRB_STATUS_INVALID_REQUEST, Vstor.srbStatus(ch.last().payload()), "offset beyond page");
        vsp.onPacket(ch, maker.packet(PacketType.DATA_USING_GPA_DIRECT, true, 4, RingPacketMaker.rawRange(8192, 0, 0x100), read), true);
        assertEquals(VstorPacket.SRB_STATUS_INVALID_REQUEST, Vstor.srbStatus(ch.last().payload()), "PFN count short");
        vsp.onPacket(ch, maker.inband(5, true, read), true);
        assertEquals(VstorPacket.SRB_STATUS_INVALID_REQUEST, Vstor.srbStatus(ch.last().payload()), "data without ranges");
        assertNull(ch.failure);
    }

    @Test
    void undecodablePacketsCloseTheChannel() throws Exception {
        image(64, false);
        vsp.onPacket(ch, maker.inband(1, true, new byte[8]), true);
        assertNotNull(ch.failure);
        assertTrue(ch.failure.contains("shorter than"), ch.failure);
        RecordingChannel other = new RecordingChannel();
        vsp.open(other);
        vsp.onPacket(other, maker.packet(PacketType.DATA_USING_TRANSFER_PAGES, true, 1, new byte[0], new byte[64]), true);
        assertNotNull(other.failure);
    }

    @Test
    void win7ProtocolUsesTheShortPacket() throws Exception {
        image(64, false);
        call(Vstor.op(VstorPacket.OP_BEGIN_INITIALIZATION));
        byte[] r = call(Vstor.version(0x0402));
        assertEquals(0, Vstor.status(r));
        assertEquals(48, call(Vstor.op(VstorPacket.OP_QUERY_PROPERTIES)).length);
    }

    @Test
    void busChangeNotificationIsUnsolicitedEnumerateBus() throws Exception {
        image(64, false);
        init();
        vsp.notifyBusChanged();
        RecordingChannel.Sent s = ch.last();
        assertEquals(false, s.completion());
        assertEquals(0, s.txid());
        assertEquals(VstorPacket.OP_ENUMERATE_BUS, LittleEndian.u32(s.payload(), 0));
    }

    @Test
    void savedStateRestoresTheAgreedVersion() throws Exception {
        // Windows 7's protocol (4.2) has the smaller packet: a restore that lost the version would answer with
        // the default (Windows 8 and later) size.
        int win7 = VstorProtocolVersion.WIN7.packetSize();
        assertTrue(win7 < VstorPacket.SIZE, "the chosen version's packet size differs from the default");
        image(64, false);
        assertEquals(0, Vstor.status(call(Vstor.op(VstorPacket.OP_BEGIN_INITIALIZATION))));
        assertEquals(0, Vstor.status(call(Vstor.version(VstorProtocolVersion.WIN7.wire()))));
        assertEquals(0, Vstor.status(call(Vstor.op(VstorPacket.OP_QUERY_PROPERTIES))));
        assertEquals(0, Vstor.status(call(Vstor.op(VstorPacket.OP_END_INITIALIZATION))));
        byte[] tur = Arrays.copyOf(Vstor.srb(0, 0, 0, new byte[6], VstorPacket.DATA_IN_NONE, 0), win7);
        assertEquals(win7, call(tur).length, "4.2 answers with its own packet size");
        byte[] saved = vsp.saveState();
        vsp.close(ch);
        vsp.open(ch);
        assertEquals(VstorPacket.STATUS_INVALID_DEVICE_STATE, Vstor.status(call(tur)), "a fresh channel is not initialised");
        vsp.restoreState(saved);
        byte[] r = call(tur);
        assertEquals(VstorPacket.STATUS_SUCCESS, Vstor.status(r));
        assertEquals(VstorPacket.SRB_STATUS_SUCCESS, Vstor.srbStatus(r));
        assertEquals(win7, r.length, "the restored channel answers with the agreed version's packet size");
    }

    @Test
    void savedStateKeepsEachSessionStateAndItsVersion() throws Exception {
        image(64, false);
        call(Vstor.op(VstorPacket.OP_BEGIN_INITIALIZATION));
        call(Vstor.version(0x0402));                          // versioned, Windows 7 packet size
        RecordingChannel other = new RecordingChannel(8);
        vsp.open(other);                                      // opened, nothing sent yet
        byte[] saved = vsp.saveState();
        vsp.close(ch);
        vsp.close(other);
        vsp.open(ch);
        vsp.open(other);
        vsp.restoreState(saved);
        byte[] props = call(Vstor.op(VstorPacket.OP_QUERY_PROPERTIES));
        assertEquals(0, Vstor.status(props), "still versioned after restore");
        assertEquals(48, props.length, "with the agreed 4.2 packet size");
        vsp.onPacket(other, maker.inband(1, true, Vstor.op(VstorPacket.OP_END_INITIALIZATION)), true);
        assertEquals(VstorPacket.STATUS_INVALID_DEVICE_STATE, Vstor.status(other.last().payload()), "still only opened");
    }

    @Test
    void savedStateOfTheFirstFormatRestores() throws Exception {
        image(64, false);
        // format 1, one channel: relid 7, session code 3 (ready), version 6.0
        byte[] v1 = {1, 0, 0, 0, 1, 0, 0, 0, 7, 0, 0, 0, 3, 0, 0, 0, 0x00, 0x06, 0, 0};
        vsp.restoreState(v1);
        assertEquals(VstorPacket.SRB_STATUS_SUCCESS,
                Vstor.srbStatus(call(Vstor.srb(0, 0, 0, new byte[6], VstorPacket.DATA_IN_NONE, 0))));
        assertEquals(v1.length, vsp.saveState().length);
        assertArrayEquals(v1, vsp.saveState());
    }

    @Test
    void malformedSavedStateIsRefusedAndChangesNothing() throws Exception {
        image(64, false);
        init();
        byte[][] bad = {
                {2, 0, 0, 0, 0, 0, 0, 0},                                                // unknown format
                {1, 0, 0, 0, 5, 0, 0, 0},                                                // count beyond the data
                {1, 0, 0, 0, 1, 0, 0, 0, 7, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0},            // session code 9
                {1, 0, 0, 0, 1, 0, 0, 0, 7, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0},            // ready without a version
                {1, 0},                                                                  // no header
        };
        for (byte[] b : bad) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> vsp.restoreState(b));
            StorageProtocolException cause = (StorageProtocolException) e.getCause();
            assertEquals(StorageProtocolException.Reason.BAD_SAVED_STATE, cause.reason());
        }
        assertEquals(VstorPacket.SRB_STATUS_SUCCESS,
                Vstor.srbStatus(call(Vstor.srb(0, 0, 0, new byte[6], VstorPacket.DATA_IN_NONE, 0))), "still ready");
    }

    @Test
    void restartingInitialisationFromTheShortPacketVersionAnswersInFull() throws Exception {
        image(64, false);
        call(Vstor.op(VstorPacket.OP_BEGIN_INITIALIZATION));
        call(Vstor.version(0x0402));
        call(Vstor.op(VstorPacket.OP_QUERY_PROPERTIES));
        call(Vstor.op(VstorPacket.OP_END_INITIALIZATION));
        byte[] begin = java.util.Arrays.copyOf(Vstor.op(VstorPacket.OP_BEGIN_INITIALIZATION), 48);
        vsp.onPacket(ch, maker.inband(++txid, true, begin), true);
        assertNull(ch.failure);
        assertEquals(64, ch.last().payload().length, "no version agreed any more: the full packet");
        assertEquals(0, Vstor.status(ch.last().payload()));
    }

    @Test
    void hostOnlyOperationsAreInvalidParameters() throws Exception {
        image(64, false);
        call(Vstor.op(VstorPacket.OP_BEGIN_INITIALIZATION));
        assertEquals(VstorPacket.STATUS_INVALID_PARAMETER, Vstor.status(call(Vstor.op(VstorPacket.OP_REMOVE_DEVICE))));
        assertEquals(VstorPacket.STATUS_INVALID_PARAMETER, Vstor.status(call(Vstor.op(VstorPacket.OP_COMPLETE_IO))));
        assertEquals(0, Vstor.status(call(Vstor.version(0x0602))), "the session is still initializing");
        assertNull(ch.failure);
    }
}

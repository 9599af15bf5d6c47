package dev.partita.devices.storage;

import dev.partita.devices.storage.disk.RawImageDisk;
import dev.partita.devices.storage.scsi.DiskIdentity;
import dev.partita.devices.storage.scsi.ScsiAddress;
import dev.partita.devices.storage.scsi.ScsiBus;
import dev.partita.devices.storage.scsi.ScsiDisk;
import dev.partita.hv.memory.GuestMemory;
import dev.partita.vmbus.VmBus;
import dev.partita.vmbus.VmBusTuning;
import dev.partita.vmbus.client.ClientChannel;
import dev.partita.vmbus.client.GuestPageAllocator;
import dev.partita.vmbus.client.LoopbackHypervisor;
import dev.partita.vmbus.client.VmBusClient;
import dev.partita.vmbus.protocol.ChannelMessage.OfferChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The storage VSP behind the root's VMBus, driven by the Java VSC client against an image file. */
class StorageEndToEndTest {
    private static final long BUFFER = 8L << 20;
    @TempDir
    Path dir;
    private final GuestMemory memory = GuestMemory.allocate(16L << 20);
    private final LoopbackHypervisor hv = new LoopbackHypervisor();
    private final VmBus vmbus = VmBus.attach(memory, hv, VmBusTuning.defaults());
    private RawImageDisk disk;

    @AfterEach
    void tearDown() throws Exception {
        vmbus.close();
        memory.close();
        if (disk != null) {
            disk.close();
        }
    }

    /** The VSP's configuration (a subclass runs every test with another). */
    StorageVspConfig config() {
        return StorageVspConfig.defaults();
    }

    private StorvscClient connect(Path img, boolean ro) throws Exception {
        disk = RawImageDisk.open(img, ro);
        ScsiBus bus = new ScsiBus();
        bus.attach(new ScsiAddress(0, 0, 0), new ScsiDisk(DiskIdentity.of("E2E"), disk, 1 << 20));
        StorageVsp vsp = new StorageVsp(UUID.randomUUID(), memory, bus, config());
        vmbus.offer(vsp);
        VmBusClient client = new VmBusClient(memory, hv, new GuestPageAllocator(1L << 20, 8L << 20));
        client.connect();
        OfferChannel o = client.requestOffers().stream()
                .filter(x -> x.interfaceType().equals(StorageVsp.INTERFACE_TYPE)).findFirst().orElseThrow();
        ClientChannel ch = client.open(o, 128 * 1024, 128 * 1024);
        return new StorvscClient(ch, memory, BUFFER);
    }

    @Test
    void initInquiryCapacityAndReadWriteRoundTrip() throws Exception {
        Path img = dir.resolve("e2e.img");
        byte[] initial = new byte[1 << 20];
        for (int i = 0; i < initial.length; i += 512) {
            initial[i] = (byte) (i / 512);
        }
        Files.write(img, initial);
        StorvscClient c = connect(img, false);
        assertEquals(1 << 20, c.initialise());

        byte[] r = c.srb(new byte[]{0x12, 0, 0, 0, 36, 0}, VstorPacket.DATA_IN_READ, 36);
        assertEquals(VstorPacket.SRB_STATUS_SUCCESS, Vstor.srbStatus(r));
        assertEquals(36, Vstor.transferLength(r));
        assertEquals("PARTITA ", new String(memory.read(BUFFER + 8, 8)));

        r = c.srb(new byte[]{0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0}, VstorPacket.DATA_IN_READ, 8);
        assertEquals(VstorPacket.SRB_STATUS_SUCCESS, Vstor.srbStatus(r));
        assertEquals(2047, Integer.reverseBytes((int) memory.readU32(BUFFER)));

        r = c.srb(StorvscClient.read10(5, 2, false), VstorPacket.DATA_IN_READ, 1024);
        assertEquals(1024, Vstor.transferLength(r));
        assertEquals(5, memory.readU8(BUFFER));
        assertEquals(6, memory.readU8(BUFFER + 512));

        byte[] pattern = new byte[64 * 1024];
        for (int i = 0; i < pattern.length; i++) {
            pattern[i] = (byte) (i * 7 + 3);
        }
        memory.write(BUFFER, pattern);
        r = c.srb(StorvscClient.read10(100, 128, true), VstorPacket.DATA_IN_WRITE, pattern.length);
        assertEquals(VstorPacket.SRB_STATUS_SUCCESS, Vstor.srbStatus(r));
        r = c.srb(new byte[]{0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0}, VstorPacket.DATA_IN_NONE, 0);
        assertEquals(VstorPacket.SRB_STATUS_SUCCESS, Vstor.srbStatus(r));
        assertArrayEquals(pattern, Arrays.copyOfRange(Files.readAllBytes(img), 100 * 512, 100 * 512 + pattern.length));
        memory.fill(BUFFER, pattern.length, (byte) 0);
        c.srb(StorvscClient.read10(100, 128, false), VstorPacket.DATA_IN_READ, pattern.length);
        assertArrayEquals(pattern, memory.read(BUFFER, pattern.length));
    }

    @Test
    void manyRequestsInFlightCompleteInOrderWithTheirTransactionIds() throws Exception {
        Path img = dir.resolve("q.img");
        Files.write(img, new byte[1 << 20]);
        StorvscClient c = connect(img, false);
        c.initialise();
        long first = -1;
        for (int i = 0; i < 32; i++) {
            long id = c.send(StorvscClient.read10(i * 8L, 8, false), VstorPacket.DATA_IN_READ, 4096);
            if (first < 0) {
                first = id;
            }
        }
        for (int i = 0; i < 32; i++) {
            byte[] r = c.awaitAny();
            assertEquals(VstorPacket.SRB_STATUS_SUCCESS, Vstor.srbStatus(r));
            assertEquals(4096, Vstor.transferLength(r));
            assertEquals(first + i, c.lastTransactionId());
        }
    }

    @Test
    void readOnlyImageRefusesWritesThroughTheWholeStack() throws Exception {
        Path img = dir.resolve("ro.img");
        byte[] content = new byte[64 * 512];
        Arrays.fill(content, (byte) 0x11);
        Files.write(img, content);
        StorvscClient c = connect(img, true);
        c.initialise();
        memory.fill(BUFFER, 4096, (byte) 0x99);
        byte[] r = c.srb(StorvscClient.read10(0, 8, true), VstorPacket.DATA_IN_WRITE, 4096);
        assertEquals(VstorPacket.SRB_STATUS_ERROR | VstorPacket.SRB_STATUS_AUTOSENSE_VALID, Vstor.srbStatus(r));
        assertEquals(7, r[VstorPacket.SRB_CDB + 2]);
        assertEquals(0x27, r[VstorPacket.SRB_CDB + 12]);
        assertArrayEquals(content, Files.readAllBytes(img));
        byte[] ms = c.srb(new byte[]{0x1A, 0x08, 0x3F, 0, (byte) 192, 0}, VstorPacket.DATA_IN_READ, 192);
        assertTrue(Vstor.transferLength(ms) > 4);
        assertEquals(0x80, memory.readU8(BUFFER + 2) & 0x80, "write-protect bit in MODE SENSE(6)");
    }
}

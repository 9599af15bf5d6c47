package dev.partita.vmbus.client;

import dev.partita.hv.memory.GuestMemory;
import dev.partita.vmbus.VmBus;
import dev.partita.vmbus.VmBusTuning;
import dev.partita.vmbus.ring.PacketBuffer;
import dev.partita.vmbus.ring.GpaDirectRange;
import dev.partita.vmbus.ring.PacketType;
import dev.partita.vmbus.vsp.Vsp;
import dev.partita.vmbus.vsp.VspChannel;
import dev.partita.vmbus.vsp.VspOffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link ClientChannel#sendGpaDirect} through the loopback hypervisor to a VSP that records the raw
 * packets it sees: type 9, the range list right after the descriptor, the payload at the data offset.
 */
class GpaDirectSendTest {
    private static final UUID TYPE = UUID.fromString("0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9");

    /** What the VSP handler thread saw: the descriptor fields and the packet's bytes up to the payload's end. */
    private record Seen(int type, int flags, long transactionId, int dataOffset, byte[] raw) {
    }

    /** Records each packet, then completes it (echoing the payload) when the guest asked for it. */
    private static final class RecordingVsp implements Vsp {
        final BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();

        @Override
        public VspOffer offer() {
            return new VspOffer(TYPE, UUID.fromString("00000000-0000-0000-0000-0000000000a1"), 16 * 1024, 16 * 1024);
        }

        @Override
        public void open(VspChannel channel) {
        }

        @Override
        public void onPacket(VspChannel channel, PacketBuffer p, boolean endOfBatch) {
            seen.add(new Seen(p.type(), p.flags(), p.transactionId(), p.payloadOffset(),
                    Arrays.copyOfRange(p.bytes(), 0, p.payloadOffset() + p.payloadLength())));
            if (p.completionRequested()) {
                channel.complete(p.transactionId(), p.bytes(), p.payloadOffset(), p.payloadLength());
            }
        }

        @Override
        public void close(VspChannel channel) {
        }
    }

    private GuestMemory memory;
    private VmBus bus;
    private RecordingVsp vsp;
    private ClientChannel ch;

    @BeforeEach
    void setUp() throws Exception {
        memory = GuestMemory.allocate(16L << 20);
        LoopbackHypervisor hv = new LoopbackHypervisor();
        bus = VmBus.attach(memory, hv, VmBusTuning.defaults());
        vsp = new RecordingVsp();
        bus.offer(vsp);
        VmBusClient client = new VmBusClient(memory, hv, new GuestPageAllocator(1L << 20, 16L << 20));
        client.connect();
        ch = client.open(client.requestOffers().getFirst(), 16 * 1024, 16 * 1024);
    }

    @AfterEach
    void tearDown() {
        bus.close();
        memory.close();
    }

    @Test
    void vspSeesTypeNineTheRangeListAndThePayloadAtTheDataOffset() throws Exception {
        GpaDirectRange spanning = GpaDirectRange.contiguous(0x20_0123L, 2 * 4096); // offset 0x123, 3 pages
        GpaDirectRange single = new GpaDirectRange(512, 0, new long[] {0x345});
        byte[] payload = new byte[50];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 7 + 1);
        }
        assertTrue(ch.sendGpaDirect(0x1234_5678_9AL, true, List.of(spanning, single), payload, 5, 37));

        Seen s = vsp.seen.poll(10, TimeUnit.SECONDS);
        assertNotNull(s, "the VSP saw the packet");
        assertEquals(PacketType.DATA_USING_GPA_DIRECT, s.type());
        assertEquals(PacketType.FLAG_COMPLETION_REQUESTED, s.flags());
        assertEquals(0x1234_5678_9AL, s.transactionId());
        // 16 descriptor + 8 (reserved, count) + (8 + 3 * 8) + (8 + 1 * 8)
        assertEquals(72, s.dataOffset());
        ByteBuffer b = ByteBuffer.wrap(s.raw()).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(PacketType.DATA_USING_GPA_DIRECT, b.getShort(0));
        assertEquals(72 / 8, b.getShort(2), "data offset in 8-byte units");
        assertEquals((72 + 40) / 8, b.getShort(4), "total length in 8-byte units (payload padded to 8)");
        assertEquals(0, b.getInt(16), "reserved");
        assertEquals(2, b.getInt(20), "range count");
        assertEquals(2 * 4096, b.getInt(24), "first range's byte count");
        assertEquals(0x123, b.getInt(28), "first range's byte offset");
        assertEquals(0x200, b.getLong(32), "first range's first PFN");
        List<GpaDirectRange> parsed = GpaDirectRange.parseList(s.raw(), s.dataOffset(), 64);
        assertEquals(List.of(spanning, single), parsed);
        assertArrayEquals(new long[] {0x200, 0x201, 0x202}, parsed.getFirst().pfns());
        assertEquals(0x123, parsed.getFirst().byteOffset());
        assertArrayEquals(Arrays.copyOfRange(payload, 5, 42), Arrays.copyOfRange(s.raw(), 72, 72 + 37));
        assertArrayEquals(new byte[3], Arrays.copyOfRange(s.raw(), 72 + 37, 72 + 40), "zero padding");

        PacketBuffer in = new PacketBuffer(64);
        assertTrue(ch.receive(in, TimeUnit.SECONDS.toNanos(10)));
        assertEquals(PacketType.COMPLETION, in.type());
        assertEquals(0x1234_5678_9AL, in.transactionId());
        assertArrayEquals(Arrays.copyOfRange(payload, 5, 42),
                Arrays.copyOfRange(in.bytes(), in.payloadOffset(), in.payloadOffset() + 37));
    }

    @Test
    void gpaDirectAndInBandPacketsInterleaveAcrossRingWrapsInOrder() throws Exception {
        PacketBuffer in = new PacketBuffer(256);
        for (int i = 0; i < 600; i++) { // ~600 x 150 ring bytes wraps the 12 KiB data area several times
            byte[] payload = new byte[1 + i % 90];
            Arrays.fill(payload, (byte) i);
            if (i % 3 == 2) {
                assertTrue(ch.send(i, false, payload, 0, payload.length));
                Seen s = vsp.seen.poll(10, TimeUnit.SECONDS);
                assertNotNull(s, "in-band packet " + i);
                assertEquals(PacketType.DATA_IN_BAND, s.type());
                assertEquals(i, s.transactionId());
                assertEquals(16, s.dataOffset());
                continue;
            }
            GpaDirectRange r = GpaDirectRange.contiguous(0x40_0000L + 8L * i, 100 + 37 * i);
            assertTrue(ch.sendGpaDirect(i, true, List.of(r), payload, 0, payload.length));
            Seen s = vsp.seen.poll(10, TimeUnit.SECONDS);
            assertNotNull(s, "GPA-direct packet " + i);
            assertEquals(PacketType.DATA_USING_GPA_DIRECT, s.type());
            assertEquals(i, s.transactionId());
            assertEquals(List.of(r), GpaDirectRange.parseList(s.raw(), s.dataOffset(), 64));
            assertArrayEquals(payload, Arrays.copyOfRange(s.raw(), s.dataOffset(), s.dataOffset() + payload.length));
            assertTrue(ch.receive(in, TimeUnit.SECONDS.toNanos(10)), "completion " + i);
            assertEquals(i, in.transactionId());
        }
    }

    @Test
    void badRangesAndAnEmptyRangeListAreRefusedBeforeAnythingIsWritten() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> new GpaDirectRange(4096, 1, new long[] {7}),
                "4096 bytes at offset 1 span two pages");
        assertThrows(IllegalArgumentException.class, () -> new GpaDirectRange(1, 4096, new long[] {7}));
        assertThrows(IllegalArgumentException.class, () -> new GpaDirectRange(0, 0, new long[0]));
        assertThrows(IllegalArgumentException.class,
                () -> ch.sendGpaDirect(1, true, List.of(), new byte[8], 0, 8));
        assertThrows(IllegalArgumentException.class,
                () -> ch.sendGpaDirect(2, true, List.of(GpaDirectRange.contiguous(0, 64)), new byte[20_000], 0, 20_000),
                "larger than the 16 KiB ring");
        long[] pfns = {1, 2};
        GpaDirectRange r = new GpaDirectRange(4096, 8, pfns);
        pfns[0] = 99;
        assertEquals(1, r.pfns()[0], "the range keeps its own copy of the PFNs");

        assertTrue(ch.send(3, false, new byte[8], 0, 8));
        Seen s = vsp.seen.poll(10, TimeUnit.SECONDS);
        assertNotNull(s);
        assertEquals(3, s.transactionId(), "the refused sends wrote nothing ahead of this packet");
    }
}

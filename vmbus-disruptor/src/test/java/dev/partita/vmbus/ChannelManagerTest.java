package dev.partita.vmbus;

import dev.partita.hv.hyperv.HvStatus;
import dev.partita.hv.memory.GuestMemory;
import dev.partita.vmbus.channel.ChannelPipeline;
import dev.partita.vmbus.client.VmBusClient;
import dev.partita.vmbus.protocol.ChannelMessage;
import dev.partita.vmbus.protocol.ChannelMessage.*;
import dev.partita.vmbus.protocol.ChannelMessageCodec;
import dev.partita.vmbus.protocol.VmbusVersion;
import dev.partita.vmbus.ring.RingBuffer;
import dev.partita.vmbus.testing.RecordingSynicPort;
import dev.partita.vmbus.testing.EchoVsp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** The management state machine, driven synchronously with hand-made guest messages. */
class ChannelManagerTest {
    private GuestMemory memory;
    private RecordingSynicPort port;
    private ChannelManager manager;
    private final BlockingQueue<Object[]> failures = new LinkedBlockingQueue<>();

    @BeforeEach
    void setUp() {
        memory = GuestMemory.allocate(4L << 20);
        port = new RecordingSynicPort();
        manager = new ChannelManager(memory, port, VmBusTuning.defaults(),
                (relid, pipeline, reason) -> failures.add(new Object[]{relid, pipeline, reason}));
    }

    @AfterEach
    void tearDown() {
        manager.reset();
        memory.close();
    }

    private void guest(int conn, ChannelMessage m) {
        manager.handleMessage(0, conn, 1, ChannelMessageCodec.encode(m));
    }

    private void guest(ChannelMessage m) {
        guest(1, m);
    }

    private void contact(int version) {
        guest(version >= VmbusVersion.V5_0 ? 4 : 1, new InitiateContact(version, 0, 2, 0, 0));
    }

    @Test
    void versionNegotiationFollowsTheConnectionIdRules() {
        guest(1, new InitiateContact(VmbusVersion.V5_3, 0, 2, 0, 0));
        assertEquals(List.of(), port.take(), "5.x contact must come on connection 4");
        assertFalse(manager.isConnected());
        contact(VmbusVersion.V5_3);
        assertEquals(List.of(new VersionResponse(true, 0, 1)), port.take());
        assertEquals(VmbusVersion.V5_3, manager.version());
        contact(0x00060000);
        assertEquals(List.of(new VersionResponse(false, 0, 0)), port.take());
        assertFalse(manager.isConnected(), "a refused contact leaves the bus disconnected");
        contact(VmbusVersion.V3_0);
        assertEquals(List.of(new VersionResponse(true, 0, 1)), port.take());
        assertEquals(VmbusVersion.V3_0, manager.version());
    }

    @Test
    void repliesGoToTheTargetVcpuAndSintOfTheContact() {
        port.processorCount = 4;
        manager.handleMessage(0, 4, 1, ChannelMessageCodec.encode(new InitiateContact(VmbusVersion.V5_0, 0, 5, 0, 0)));
        assertEquals(5, port.posted.getFirst().sint());
        manager.handleMessage(0, 1, 1, ChannelMessageCodec.encode(new InitiateContact(VmbusVersion.V4_0, 3, 0xFFFF_0005L, 0, 0)));
        RecordingSynicPort.Posted p = port.posted.get(1);
        assertEquals(3, p.vp());
        assertEquals(2, p.sint(), "before 5.0 the union is the interrupt page and messages use SINT2");
    }

    @Test
    void messagesBeforeContactAreDroppedWithALogLine() {
        guest(new RequestOffers());
        assertEquals(List.of(), port.take());
        assertTrue(manager.dropped().getLast().contains("before INITIATE_CONTACT"));
        manager.handleMessage(0, 1, 1, new byte[3]);
        assertTrue(manager.dropped().getLast().contains("shorter"));
    }

    @Test
    void offersThenAllOffersDeliveredAndLateOffersAtOnce() {
        int a = manager.offer(new EchoVsp(UUID.randomUUID(), 16384));
        contact(VmbusVersion.V5_3);
        port.take();
        guest(new RequestOffers());
        List<ChannelMessage> got = port.take();
        assertEquals(2, got.size());
        OfferChannel o = (OfferChannel) got.getFirst();
        assertEquals(a, o.childRelid());
        assertEquals(ChannelManager.CHANNEL_CONNECTION_BASE + a, o.connectionId());
        assertFalse(o.monitorAllocated());
        assertInstanceOf(AllOffersDelivered.class, got.get(1));
        assertTrue(port.connections.containsKey(o.connectionId()), "channel connection id registered");
        int b = manager.offer(new EchoVsp(UUID.randomUUID(), 16384));
        assertEquals(b, ((OfferChannel) port.take().getFirst()).childRelid());
    }

    /** A GPADL of {@code pages} contiguous pages from {@code firstPfn}, sent as header plus bodies. */
    private int gpadl(int relid, int id, long firstPfn, int pages) {
        long[] pfns = new long[pages];
        for (int i = 0; i < pages; i++) {
            pfns[i] = firstPfn + i;
        }
        for (byte[] m : VmBusClient.gpadlMessages(relid, id, pfns)) {
            manager.handleMessage(0, 1, 1, m);
        }
        return id;
    }

    @Test
    void gpadlOverSeveralBodiesIsCreatedAfterTheLastOne() {
        int relid = manager.offer(new EchoVsp(UUID.randomUUID(), 16384));
        contact(VmbusVersion.V5_3);
        port.take();
        long[] pfns = new long[100]; // header 26 + bodies 28, 28, 18
        for (int i = 0; i < pfns.length; i++) {
            pfns[i] = 0x200 + 3L * i;
        }
        List<byte[]> msgs = VmBusClient.gpadlMessages(relid, 77, pfns);
        assertEquals(4, msgs.size());
        for (int i = 0; i < 3; i++) {
            manager.handleMessage(0, 1, 1, msgs.get(i));
            assertEquals(List.of(), port.take(), "not complete after message " + i);
        }
        manager.handleMessage(0, 1, 1, msgs.get(3));
        assertEquals(List.of(new GpadlCreated(relid, 77, 0)), port.take());
        assertTrue(manager.hasGpadl(77));
        gpadl(relid, 77, 0x300, 2);
        assertEquals(List.of(new GpadlCreated(relid, 77, ChannelManager.STATUS_FAILURE)), port.take(), "id in use");
        guest(new GpadlTeardown(relid, 77));
        assertEquals(List.of(new GpadlTorndown(77)), port.take());
        assertFalse(manager.hasGpadl(77));
    }

    @Test
    void badGpadlsAreRefused() {
        int relid = manager.offer(new EchoVsp(UUID.randomUUID(), 16384));
        contact(VmbusVersion.V5_3);
        port.take();
        gpadl(relid, 1, (4L << 20) >>> 12, 2); // PFNs past the end of guest RAM
        assertEquals(List.of(new GpadlCreated(relid, 1, ChannelManager.STATUS_FAILURE)), port.take());
        assertTrue(manager.dropped().getLast().contains("not guest RAM"));
        gpadl(99, 2, 0x100, 2); // unknown channel
        assertEquals(ChannelManager.STATUS_FAILURE, ((GpadlCreated) port.take().getFirst()).status());
        // header announcing 2 PFNs, then a body with 3
        byte[] range = new byte[16];
        java.nio.ByteBuffer.wrap(range).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(0, 8192).putLong(8, 0x100);
        guest(new GpadlHeader(relid, 3, 24, 1, range));
        guest(new GpadlBody(1, 3, new long[]{0x101, 0x102, 0x103}));
        assertEquals(List.of(new GpadlCreated(relid, 3, ChannelManager.STATUS_FAILURE)), port.take());
        guest(new GpadlBody(1, 4, new long[]{0x101}));
        assertTrue(manager.dropped().getLast().contains("no header pending"));
        // byte count implying more pages than given
        java.nio.ByteBuffer.wrap(range).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(0, 3 * 4096);
        guest(new GpadlHeader(relid, 5, 16, 1, range));
        assertEquals(List.of(new GpadlCreated(relid, 5, ChannelManager.STATUS_FAILURE)), port.take());
        assertEquals(0, manager.gpadlCount());
    }

    @Test
    void openChecksTheRingGpadlAndDownstreamOffset() {
        int relid = manager.offer(new EchoVsp(UUID.randomUUID(), 16384));
        contact(VmbusVersion.V5_3);
        guest(new RequestOffers());
        port.take();
        gpadl(relid, 10, 0x100, 8);
        port.take();
        guest(new OpenChannel(relid, 1, 11, 0, 4, new byte[120]));
        assertEquals(List.of(new OpenChannelResult(relid, 1, ChannelManager.STATUS_FAILURE)), port.take(), "unknown gpadl");
        guest(new OpenChannel(relid, 2, 10, 0, 1, new byte[120]));
        assertEquals(List.of(new OpenChannelResult(relid, 2, ChannelManager.STATUS_FAILURE)), port.take(), "offset 1");
        guest(new OpenChannel(relid, 3, 10, 0, 7, new byte[120]));
        assertEquals(List.of(new OpenChannelResult(relid, 3, ChannelManager.STATUS_FAILURE)), port.take(), "1-page downstream ring");
        guest(new OpenChannel(relid, 4, 10, 0, 4, new byte[120]));
        assertEquals(List.of(new OpenChannelResult(relid, 4, 0)), port.take());
        assertEquals(ChannelState.OPEN, manager.state(relid));
        guest(new OpenChannel(relid, 5, 10, 0, 4, new byte[120]));
        assertEquals(List.of(new OpenChannelResult(relid, 5, ChannelManager.STATUS_FAILURE)), port.take(), "already open");
        guest(new CloseChannel(relid));
        assertEquals(List.of(), port.take(), "CLOSECHANNEL has no reply");
        assertEquals(ChannelState.OFFERED, manager.state(relid));
        guest(new GpadlTeardown(relid, 10));
        assertEquals(List.of(new GpadlTorndown(10)), port.take());
    }

    @Test
    void unloadClosesEverythingAndAnswers() {
        int relid = manager.offer(new EchoVsp(UUID.randomUUID(), 16384));
        contact(VmbusVersion.V5_3);
        gpadl(relid, 10, 0x100, 4);
        guest(new OpenChannel(relid, 1, 10, 0, 2, new byte[120]));
        port.take();
        guest(new Unload());
        assertEquals(List.of(new UnloadResponse()), port.take());
        assertFalse(manager.isConnected());
        assertEquals(ChannelState.OFFERED, manager.state(relid));
        assertEquals(0, manager.gpadlCount());
    }

    @Test
    void rescindThenRelidReleasedRemovesTheChannel() {
        int relid = manager.offer(new EchoVsp(UUID.randomUUID(), 16384));
        contact(VmbusVersion.V5_3);
        port.take();
        int conn = manager.connectionId(relid);
        manager.rescind(relid, "test");
        assertEquals(List.of(new RescindChannelOffer(relid)), port.take());
        assertEquals(ChannelState.RESCINDED, manager.state(relid));
        guest(new RelidReleased(relid));
        assertNull(manager.state(relid));
        assertFalse(port.connections.containsKey(conn));
        assertEquals(HvStatus.INVALID_CONNECTION_ID, manager.onSignal(0, conn, 0));
    }

    @Test
    void aCorruptGuestRingClosesTheChannelWithAReasonAndRescindsIt() throws Exception {
        int relid = manager.offer(new EchoVsp(UUID.randomUUID(), 16384));
        contact(VmbusVersion.V5_3);
        gpadl(relid, 10, 0x100, 4);
        guest(new OpenChannel(relid, 1, 10, 0, 2, new byte[120]));
        port.take();
        RingBuffer up = RingBuffer.fromPages(memory, new long[]{0x100, 0x101}, 0, 2);
        up.setWriteIndex(0x7FFF_FFF8); // far outside the 4 KiB data area
        assertEquals(HvStatus.SUCCESS, manager.onSignal(0, manager.connectionId(relid), 0));
        Object[] f = failures.poll(5, TimeUnit.SECONDS);
        assertNotNull(f, "the pipeline reported the fault");
        assertTrue(((String) f[2]).startsWith("guest-to-host ring: write index"), (String) f[2]);
        manager.channelFailed(relid, (ChannelPipeline) f[1], (String) f[2]);
        assertEquals(List.of(new RescindChannelOffer(relid)), port.take());
        assertEquals(ChannelState.RESCINDED, manager.state(relid));
        assertTrue(manager.closeReason(relid).contains("write index"));
    }

    @Test
    void targetProcessorsMustBeProcessorsOfThePartition() {
        manager.handleMessage(0, 4, 1, ChannelMessageCodec.encode(new InitiateContact(VmbusVersion.V5_3, 2, 2, 0, 0)));
        assertEquals(List.of(), port.take(), "vCPU 2 of a 2-processor partition: no reply can be addressed");
        assertFalse(manager.isConnected());
        assertTrue(manager.dropped().getLast().contains("target vCPU 2"), manager.dropped().getLast());
        manager.handleMessage(0, 4, 1, ChannelMessageCodec.encode(new InitiateContact(VmbusVersion.V5_3, -1, 2, 0, 0)));
        assertFalse(manager.isConnected());
        assertTrue(manager.dropped().getLast().contains("target vCPU 4294967295"), manager.dropped().getLast());

        int relid = manager.offer(new EchoVsp(UUID.randomUUID(), 16384));
        contact(VmbusVersion.V5_3);
        gpadl(relid, 10, 0x100, 4);
        port.take();
        guest(new OpenChannel(relid, 1, 10, 2, 2, new byte[120]));
        assertEquals(List.of(new OpenChannelResult(relid, 1, ChannelManager.STATUS_FAILURE)), port.take());
        assertTrue(manager.dropped().getLast().contains("target vCPU 2"), manager.dropped().getLast());
        guest(new OpenChannel(relid, 2, 10, 1, 2, new byte[120]));
        assertEquals(List.of(new OpenChannelResult(relid, 2, 0)), port.take(), "vCPU 1 exists");
    }

    @Test
    void ringsLargerThanTheVspOfferedAreRefused() {
        int relid = manager.offer(new EchoVsp(UUID.randomUUID(), 16384)); // 16 KiB each way
        contact(VmbusVersion.V5_3);
        gpadl(relid, 10, 0x100, 12);
        port.take();
        guest(new OpenChannel(relid, 1, 10, 0, 5, new byte[120]));
        assertEquals(List.of(new OpenChannelResult(relid, 1, ChannelManager.STATUS_FAILURE)), port.take(), "20 KiB up");
        assertTrue(manager.dropped().getLast().contains("offered at most 16384 / 16384"), manager.dropped().getLast());
        guest(new OpenChannel(relid, 2, 10, 0, 4, new byte[120]));
        assertEquals(List.of(new OpenChannelResult(relid, 2, ChannelManager.STATUS_FAILURE)), port.take(), "32 KiB down");
        gpadl(relid, 11, 0x200, 6);
        port.take();
        guest(new OpenChannel(relid, 3, 11, 0, 3, new byte[120]));
        assertEquals(List.of(new OpenChannelResult(relid, 3, 0)), port.take(), "smaller rings than offered are fine");
    }

    @Test
    void aRingGpadlServesOnlyTheChannelItWasCreatedForAndOnlyOnce() {
        int a = manager.offer(new EchoVsp(UUID.randomUUID(), 16384));
        int b = manager.offer(new EchoVsp(UUID.randomUUID(), 16384));
        contact(VmbusVersion.V5_3);
        gpadl(a, 10, 0x100, 4);
        port.take();
        guest(new OpenChannel(b, 1, 10, 0, 2, new byte[120]));
        assertEquals(List.of(new OpenChannelResult(b, 1, ChannelManager.STATUS_FAILURE)), port.take());
        assertTrue(manager.dropped().getLast().contains("of channel " + a), manager.dropped().getLast());
        guest(new OpenChannel(a, 2, 10, 0, 2, new byte[120]));
        assertEquals(List.of(new OpenChannelResult(a, 2, 0)), port.take());
    }

    @Test
    void gpadlPagesOfAPartitionAreBoundedByItsRam() {
        int relid = manager.offer(new EchoVsp(UUID.randomUUID(), 16384));
        contact(VmbusVersion.V5_3);
        port.take();
        long ramPages = memory.totalSize() / 4096; // 1024
        // A header announcing 900 pages (one range) reserves them until its bodies arrive.
        byte[] first = new byte[16];
        java.nio.ByteBuffer.wrap(first).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(0, 900 * 4096).putLong(8, 0x10);
        guest(new GpadlHeader(relid, 1, 8 + 900 * 8, 1, first));
        assertEquals(List.of(), port.take(), "pending: bodies awaited");
        assertEquals(900, manager.gpadlPages());
        gpadl(relid, 2, 0x100, 200);
        assertEquals(List.of(new GpadlCreated(relid, 2, ChannelManager.STATUS_FAILURE)), port.take());
        assertTrue(manager.dropped().stream().anyMatch(r -> r.contains(ramPages + " RAM pages")), manager.dropped().toString());
        guest(new GpadlTeardown(relid, 1));
        assertEquals(List.of(new GpadlTorndown(1)), port.take());
        assertEquals(0, manager.gpadlPages(), "tearing down a pending GPADL gives its pages back");
        gpadl(relid, 2, 0x100, 200);
        assertEquals(List.of(new GpadlCreated(relid, 2, 0)), port.take());
        assertEquals(200, manager.gpadlPages());
        for (int id = 3; id < 8; id++) {
            gpadl(relid, id, 0x100, 200);
        }
        List<ChannelMessage> replies = port.take();
        assertEquals(List.of(new GpadlCreated(relid, 3, 0), new GpadlCreated(relid, 4, 0), new GpadlCreated(relid, 5, 0),
                new GpadlCreated(relid, 6, 0), new GpadlCreated(relid, 7, ChannelManager.STATUS_FAILURE)), replies,
                "pages shared between GPADLs count for each: the fifth 200 pages would pass 1024");
        assertEquals(1000, manager.gpadlPages());
        assertTrue(manager.gpadlPages() <= ramPages);
    }

    @Test
    void droppedMessagesAreCountedAndTheLast100Kept() {
        for (int i = 0; i < 10_000; i++) {
            guest(new RequestOffers()); // before contact: dropped
        }
        assertEquals(10_000, manager.droppedTotal());
        List<String> reasons = manager.dropped();
        assertEquals(100, reasons.size(), "the most recent 100 are kept");
        assertTrue(reasons.getFirst().contains("before INITIATE_CONTACT"));
    }
}

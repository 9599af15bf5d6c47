package dev.partita.devices.ic;

import dev.partita.vmbus.protocol.LittleEndian;
import dev.partita.hv.memory.GuestMemory;
import dev.partita.vmbus.VmBus;
import dev.partita.vmbus.VmBusTuning;
import dev.partita.vmbus.client.ClientChannel;
import dev.partita.vmbus.client.GuestPageAllocator;
import dev.partita.vmbus.client.LoopbackHypervisor;
import dev.partita.vmbus.client.VmBusClient;
import dev.partita.vmbus.protocol.ChannelMessage.OfferChannel;
import dev.partita.vmbus.vsp.Vsp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Heartbeat, shutdown and time sync through the root's VMBus and vb's Java VSC client, answered like hv_utils. */
class IntegrationComponentsTest {
    private static final List<IcVersion> LINUX_FW = List.of(IcVersion.V3_0, IcVersion.V1_0);
    private final GuestMemory memory = GuestMemory.allocate(16L << 20);
    private final LoopbackHypervisor hv = new LoopbackHypervisor();
    private final VmBus bus = VmBus.attach(memory, hv, VmBusTuning.defaults());
    private final VmBusClient client = new VmBusClient(memory, hv, new GuestPageAllocator(1L << 20, 16L << 20));
    private final Instant now = Instant.parse("2026-11-21T22:00:00Z");
    private final Clock clock = Clock.fixed(now, ZoneOffset.UTC);

    @AfterEach
    void tearDown() {
        bus.close();
        memory.close();
    }

    private ClientChannel openOnly(Vsp vsp) throws Exception {
        bus.offer(vsp);
        client.connect();
        List<OfferChannel> offers = client.requestOffers();
        OfferChannel o = offers.stream().filter(x -> x.interfaceType().equals(vsp.offer().interfaceType())).findFirst().orElseThrow();
        return client.open(o, 4 * 4096, 4 * 4096);
    }

    /** The message data as long as the header's message size says (the ring pads packets to 8 bytes). */
    private static byte[] data(byte[] msg) {
        int size = LittleEndian.u16(msg, IcMessage.SIZE);
        assertTrue(IcMessage.DATA + size <= msg.length, "message size within the packet");
        assertEquals(size + 20, LittleEndian.u32(msg, IcMessage.PIPE_SIZE), "pipe header size = IC header + data");
        return java.util.Arrays.copyOfRange(msg, IcMessage.DATA, IcMessage.DATA + size);
    }

    @Test
    void heartbeatNegotiatesAndReportsGuestLiveness() throws Exception {
        HeartbeatVsp hb = new HeartbeatVsp(UUID.randomUUID(), clock, 0);
        ClientChannel ch = openOnly(hb);
        HvUtilsGuest guest = new HvUtilsGuest(LINUX_FW, List.of(IcVersion.V3_0, IcVersion.V1_0));
        byte[] neg = guest.answerOne(ch, 0);
        assertEquals(IcMessage.TYPE_NEGOTIATE, LittleEndian.u16(neg, IcMessage.TYPE));
        assertEquals(IcMessage.FLAG_TRANSACTION | IcMessage.FLAG_REQUEST, neg[IcMessage.FLAGS]);
        byte[] nd = data(neg);
        assertEquals(2, LittleEndian.u16(nd, 0), "framework versions offered");
        assertEquals(2, LittleEndian.u16(nd, 2), "heartbeat versions offered");
        assertEquals(3, LittleEndian.u16(nd, 8));
        assertEquals(1, LittleEndian.u16(nd, 12));
        assertEquals(3, LittleEndian.u16(nd, 16));
        assertEquals(24, nd.length);

        byte[] beat = guest.answerOne(ch, 0);              // sent by the VSP once negotiation finished
        assertEquals(IcMessage.TYPE_HEARTBEAT, LittleEndian.u16(beat, IcMessage.TYPE));
        assertEquals(3, LittleEndian.u16(beat, IcMessage.MESSAGE_MAJOR), "agreed heartbeat version in the header");
        assertTrue(beat.length >= IcMessage.DATA + 40);
        long seq = LittleEndian.u64(beat, IcMessage.DATA);
        awaitAnswers(hb, 1);
        HeartbeatStatus s = hb.status();
        assertTrue(s.negotiated());
        assertEquals(seq + 1, s.lastSequence());
        assertEquals(now, s.lastSeen());
        assertTrue(s.aliveAt(now.plusSeconds(1), 5000));
        assertFalse(s.aliveAt(now.plusSeconds(10), 5000));
        assertEquals(IcVersion.V3_0, hb.agreed().message());
        assertInstanceOf(IcChannelState.Negotiated.class, hb.state());

        assertTrue(hb.beat());
        guest.answerOne(ch, 0);
        awaitAnswers(hb, 2);
        assertEquals(0, hb.status().badAnswers());
    }

    @Test
    void heartbeatWithAnOldGuestAgreesOnVersion1() throws Exception {
        HeartbeatVsp hb = new HeartbeatVsp(UUID.randomUUID(), clock, 0);
        ClientChannel ch = openOnly(hb);
        HvUtilsGuest guest = new HvUtilsGuest(List.of(IcVersion.V1_0), List.of(IcVersion.V1_0));
        guest.answerOne(ch, 0);
        guest.answerOne(ch, 0);
        awaitAnswers(hb, 1);
        assertEquals(new IcNegotiation.Agreed(IcVersion.V1_0, IcVersion.V1_0), hb.agreed());
    }

    @Test
    void noCommonVersionLeavesTheComponentUnnegotiated() throws Exception {
        HeartbeatVsp hb = new HeartbeatVsp(UUID.randomUUID(), clock, 0);
        ClientChannel ch = openOnly(hb);
        assertInstanceOf(IcChannelState.Negotiating.class, hb.state());
        new HvUtilsGuest(LINUX_FW, List.of(new IcVersion(9, 9))).answerOne(ch, 0);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (hb.state() instanceof IcChannelState.Negotiating && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        IcChannelState.Refused refused = assertInstanceOf(IcChannelState.Refused.class, hb.state());
        assertEquals(IcProtocolException.Reason.NO_COMMON_VERSION, refused.reason());
        assertNull(hb.agreed());
        assertFalse(hb.beat());
    }

    @Test
    void shutdownRequestCarriesReasonAndForceAndCompletesWithGuestStatus() throws Exception {
        ShutdownVsp sd = new ShutdownVsp(UUID.randomUUID());
        assertThrows(Exception.class, () -> sd.requestShutdown("early", false).get(1, TimeUnit.SECONDS));
        ClientChannel ch = openOnly(sd);
        HvUtilsGuest guest = new HvUtilsGuest(LINUX_FW, List.of(new IcVersion(3, 2), new IcVersion(3, 1),
                IcVersion.V3_0, IcVersion.V1_0));
        guest.answerOne(ch, 0);
        awaitAgreed(sd);
        assertEquals(new IcVersion(3, 2), sd.agreed().message());

        CompletableFuture<Integer> f = sd.requestShutdown("maintenance", true);
        byte[] req = guest.answerOne(ch, IcMessage.S_OK);
        assertEquals(IcMessage.TYPE_SHUTDOWN, LittleEndian.u16(req, IcMessage.TYPE));
        assertTrue(req.length >= IcMessage.DATA + 12 + 2048, "Linux needs the whole shutdown_msg_data");
        byte[] d = data(req);
        assertEquals(IcRequest.Shutdown.FLAG_FORCE, LittleEndian.u32(d, 8));
        assertEquals("maintenance", new String(d, 12, 22, java.nio.charset.StandardCharsets.UTF_16LE));
        assertEquals(0, f.get(5, TimeUnit.SECONDS));

        CompletableFuture<Integer> g = sd.requestShutdown("again", false);
        byte[] req2 = guest.answerOne(ch, IcMessage.E_FAIL);
        assertEquals(0, LittleEndian.u32(data(req2), 8));
        assertEquals(IcMessage.E_FAIL, g.get(5, TimeUnit.SECONDS));
    }

    @Test
    void timeSyncSendsSyncThenSamplesInTheAgreedLayout() throws Exception {
        TimeSyncVsp ts = new TimeSyncVsp(UUID.randomUUID(), clock, () -> 123_456_789L, 0);
        ClientChannel ch = openOnly(ts);
        HvUtilsGuest guest = new HvUtilsGuest(LINUX_FW, List.of(new IcVersion(4, 0), IcVersion.V3_0, IcVersion.V1_0));
        guest.answerOne(ch, 0);
        byte[] first = guest.answerOne(ch, 0);
        assertEquals(IcMessage.TYPE_TIMESYNC, LittleEndian.u16(first, IcMessage.TYPE));
        byte[] d = data(first);
        assertEquals(24, d.length);
        long expected = TimeSyncVsp.EPOCH_DELTA_100NS + now.getEpochSecond() * 10_000_000L;
        assertEquals(expected, LittleEndian.u64(d, 0), "parent time in 100 ns since 1601");
        assertEquals(123_456_789L, LittleEndian.u64(d, 8), "VM reference time");
        assertEquals(TimeSyncVsp.FLAG_SYNC, d[16]);
        assertTrue(ts.sample());
        byte[] second = guest.answerOne(ch, 0);
        assertEquals(TimeSyncVsp.FLAG_SAMPLE, data(second)[16]);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (ts.acknowledged() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(2, ts.acknowledged());
    }

    @Test
    void timeSyncVersion3UsesTheOlderLayout() throws Exception {
        TimeSyncVsp ts = new TimeSyncVsp(UUID.randomUUID(), clock, () -> 0, 0);
        ClientChannel ch = openOnly(ts);
        HvUtilsGuest guest = new HvUtilsGuest(LINUX_FW, List.of(IcVersion.V3_0));
        guest.answerOne(ch, 0);
        byte[] d = data(guest.answerOne(ch, 0));
        assertEquals(25, d.length);
        assertEquals(TimeSyncVsp.FLAG_SYNC, d[24]);
        assertNotNull(ts.agreed());
    }

    @Test
    void periodicHeartbeatsArriveWithoutBeingAsked() throws Exception {
        HeartbeatVsp hb = new HeartbeatVsp(UUID.randomUUID(), Clock.systemUTC(), 50);
        try {
            ClientChannel ch = openOnly(hb);
            HvUtilsGuest guest = new HvUtilsGuest(LINUX_FW, List.of(IcVersion.V3_0));
            for (int i = 0; i < 4; i++) {
                guest.answerOne(ch, 0);
            }
            long previous = Long.MIN_VALUE;
            for (byte[] m : guest.received.subList(1, 4)) {
                assertEquals(IcMessage.TYPE_HEARTBEAT, LittleEndian.u16(m, IcMessage.TYPE), "heartbeats after negotiation");
                long seq = LittleEndian.u64(m, IcMessage.DATA);
                assertTrue(seq > previous, "sequence numbers increase");
                previous = seq;
            }
            // An answer that arrives after the next beat went out counts as bad, so only the total
            // is independent of how fast the handler thread runs.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (hb.status().answers() + hb.status().badAnswers() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(2);
            }
            assertEquals(3, hb.status().answers() + hb.status().badAnswers(), "every answer was looked at");
        } finally {
            hb.shutdownScheduler();
        }
    }

    private static void awaitAnswers(HeartbeatVsp hb, long n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (hb.status().answers() < n && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertEquals(n, hb.status().answers(), "heartbeat answers");
    }

    private static void awaitAgreed(IntegrationComponentVsp v) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (v.agreed() == null && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertNotNull(v.agreed());
    }
}

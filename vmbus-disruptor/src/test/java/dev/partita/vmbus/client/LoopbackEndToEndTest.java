package dev.partita.vmbus.client;

import dev.partita.hv.memory.GuestMemory;
import dev.partita.vmbus.ChannelState;
import dev.partita.vmbus.VmBus;
import dev.partita.vmbus.VmBusTuning;
import dev.partita.vmbus.protocol.ChannelMessage.OfferChannel;
import dev.partita.vmbus.protocol.VmbusVersion;
import dev.partita.vmbus.ring.PacketBuffer;
import dev.partita.vmbus.ring.PacketType;
import dev.partita.vmbus.testing.EchoVsp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** The Java VSC against the root's VMBus and the echo VSP, through the loopback hypervisor: the whole life cycle. */
class LoopbackEndToEndTest {
    private GuestMemory memory;
    private LoopbackHypervisor hv;
    private VmBus bus;
    private VmBusClient client;
    private EchoVsp echo;
    private final UUID instance = UUID.fromString("11223344-5566-7788-99aa-bbccddeeff00");

    @BeforeEach
    void setUp() {
        memory = GuestMemory.allocate(16L << 20);
        hv = new LoopbackHypervisor();
        bus = VmBus.attach(memory, hv, VmBusTuning.defaults());
        echo = new EchoVsp(instance, 64 * 1024);
        bus.offer(echo);
        client = new VmBusClient(memory, hv, new GuestPageAllocator(1L << 20, 16L << 20));
    }

    @AfterEach
    void tearDown() {
        bus.close();
        memory.close();
    }

    @Test
    void fullLifeCycleEchoesEveryPacketWithItsTransactionId() throws Exception {
        assertEquals(VmbusVersion.V5_3, client.connect());
        List<OfferChannel> offers = client.requestOffers();
        assertEquals(1, offers.size());
        OfferChannel o = offers.getFirst();
        assertEquals(EchoVsp.INTERFACE_TYPE, o.interfaceType());
        assertEquals(instance, o.interfaceInstance());
        assertFalse(o.monitorAllocated());

        ClientChannel ch = client.open(o, 64 * 1024, 64 * 1024);
        assertEquals(ChannelState.OPEN, bus.inspect(m -> m.state(o.childRelid())));
        PacketBuffer in = new PacketBuffer(64);
        byte[] payload = new byte[100];
        for (int i = 0; i < 3000; i++) {   // 3000 x 136 ring bytes wraps the 60 KiB data area several times
            Arrays.fill(payload, (byte) i);
            assertTrue(ch.send(i, true, payload, 0, payload.length));
            assertTrue(ch.receive(in, TimeUnit.SECONDS.toNanos(60)), "completion " + i);
            assertEquals(PacketType.COMPLETION, in.type());
            assertEquals(i, in.transactionId());
            assertEquals(104, in.payloadLength()); // padded to 8
            assertEquals((byte) i, in.bytes()[in.payloadOffset()]);
            assertEquals((byte) i, in.bytes()[in.payloadOffset() + 99]);
        }
        assertEquals(3000, echo.packets());
        assertTrue(ch.events() > 0, "the root raised the channel's event flag");

        client.close(ch);
        assertEquals(ChannelState.OFFERED, bus.inspect(m -> m.state(o.childRelid())));
        assertFalse((boolean) bus.inspect(m -> m.hasGpadl(ch.gpadlId())));
        client.unload();
        assertFalse((boolean) bus.inspect(m -> m.isConnected()));
    }

    @Test
    void manyPacketsInFlightWithoutCompletionComeBackInBand() throws Exception {
        client.connect();
        OfferChannel o = client.requestOffers().getFirst();
        ClientChannel ch = client.open(o, 16 * 1024, 16 * 1024);
        PacketBuffer in = new PacketBuffer(64);
        byte[] payload = new byte[64];
        int sent = 0;
        int received = 0;
        while (received < 20_000) {
            while (sent < 20_000 && sent - received < 200 && ch.send(sent, false, payload, 0, 64)) {
                sent++;
            }
            if (ch.receive(in, TimeUnit.SECONDS.toNanos(60))) {
                assertEquals(PacketType.DATA_IN_BAND, in.type());
                assertEquals(received, in.transactionId(), "in order");
                received++;
            } else {
                fail("no packet after " + received);
            }
        }
        client.close(ch);
    }

    @Test
    void fullRingsAndAFullInboundDisruptorRecoverThroughTheSignallingRules() throws Exception {
        bus.close();
        hv = new LoopbackHypervisor();
        bus = VmBus.attach(memory, hv, new VmBusTuning(4, com.lmax.disruptor.BlockingWaitStrategy::new, 65536, 4096, 64));
        bus.offer(echo);
        client = new VmBusClient(memory, hv, new GuestPageAllocator(1L << 20, 16L << 20));
        client.connect();
        ClientChannel ch = client.open(client.requestOffers().getFirst(), 16384, 8192); // ~52 requests, ~17 completions fit
        byte[] payload = new byte[200];
        PacketBuffer in = new PacketBuffer(256);
        int sent = 0;
        int received = 0;
        for (int round = 0; round < 50; round++) {
            // fill the guest-to-host ring without reading: the root's writer finds the 4 KiB
            // host-to-guest ring full, sets the pending send size and waits for our reads
            while (ch.send(sent, true, payload, 0, payload.length)) {
                sent++;
            }
            Thread.sleep(2);
            while (received < sent) {
                assertTrue(ch.receive(in, TimeUnit.SECONDS.toNanos(60)), "completion " + received + " of " + sent);
                assertEquals(received, in.transactionId());
                received++;
            }
        }
        assertTrue(sent > 500, "rings were refilled many times: " + sent);
        client.close(ch);
    }

    @Test
    void olderVersionsUseConnectionIdOneAndAreAccepted() throws Exception {
        assertTrue(client.connect(VmbusVersion.V2_4));
        assertEquals(VmbusVersion.V2_4, (int) bus.inspect(m -> m.version()));
        assertEquals(1, client.requestOffers().size());
        assertFalse(client.connect(0x00010001), "version 1.1 is refused");
    }
}

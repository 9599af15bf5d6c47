package dev.partita.vmbus.client;

import dev.partita.hv.memory.GuestMemory;
import dev.partita.vmbus.ChannelState;
import dev.partita.vmbus.VmBus;
import dev.partita.vmbus.VmBusTuning;
import dev.partita.vmbus.protocol.ChannelMessage.OfferChannel;
import dev.partita.vmbus.ring.PacketBuffer;
import dev.partita.vmbus.ring.PacketType;
import dev.partita.vmbus.testing.EchoVsp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A bus saved with a channel open mid-stream and restored into a new bus on the same guest
 * memory: the guest-side client keeps using its channel without reconnecting, and state that
 * does not fit the new bus is refused.
 */
class BusSaveRestoreTest {
    private static final UUID INSTANCE = UUID.fromString("11223344-5566-7788-99aa-bbccddeeff01");
    private GuestMemory memory;
    private LoopbackHypervisor hv;
    private VmBus bus;
    private VmBusClient client;

    @BeforeEach
    void setUp() {
        memory = GuestMemory.allocate(16L << 20);
        hv = new LoopbackHypervisor();
        bus = VmBus.attach(memory, hv, VmBusTuning.defaults());
        bus.offer(new EchoVsp(INSTANCE, 64 * 1024));
        client = new VmBusClient(memory, hv, new GuestPageAllocator(1L << 20, 16L << 20));
    }

    @AfterEach
    void tearDown() {
        bus.close();
        memory.close();
    }

    private static void echo(ClientChannel ch, int from, int count) throws Exception {
        PacketBuffer in = new PacketBuffer(64);
        byte[] payload = new byte[200];
        for (int i = from; i < from + count; i++) {
            Arrays.fill(payload, (byte) i);
            assertTrue(ch.send(i, true, payload, 0, payload.length));
            assertTrue(ch.receive(in, TimeUnit.SECONDS.toNanos(60)), "completion " + i);
            assertEquals(PacketType.COMPLETION, in.type());
            assertEquals(i, in.transactionId());
            assertEquals((byte) i, in.bytes()[in.payloadOffset() + 199]);
        }
    }

    private byte[] saveAndClose() {
        bus.quiesce();
        byte[] state = bus.saveState();
        bus.close();
        return state;
    }

    @Test
    void restoredBusContinuesTheOpenChannelWhereTheSavedOneStopped() throws Exception {
        client.connect();
        OfferChannel o = client.requestOffers().getFirst();
        ClientChannel ch = client.open(o, 64 * 1024, 64 * 1024);
        echo(ch, 0, 700); // wraps the 60 KiB ring: the saved ring positions are not at zero
        byte[] state = saveAndClose();

        bus = VmBus.attach(memory, hv, VmBusTuning.defaults());
        EchoVsp echo = new EchoVsp(INSTANCE, 64 * 1024);
        int relid = bus.offer(echo);
        bus.restoreState(state);
        bus.resume();
        assertTrue((boolean) bus.inspect(m -> m.isConnected()));
        assertEquals(ChannelState.OPEN, bus.inspect(m -> m.state(relid)));
        assertTrue((boolean) bus.inspect(m -> m.hasGpadl(ch.gpadlId())));

        echo(ch, 700, 700);
        assertEquals(700, echo.packets(), "the restored VSP served the packets after the restore");
        client.close(ch);
        assertEquals(ChannelState.OFFERED, bus.inspect(m -> m.state(relid)));
    }

    @Test
    void stateOfAnotherBusOrCutShortIsRefusedAndTheBusStaysUsable() throws Exception {
        client.connect();
        OfferChannel o = client.requestOffers().getFirst();
        client.open(o, 64 * 1024, 64 * 1024);
        byte[] state = saveAndClose();

        bus = VmBus.attach(memory, hv, VmBusTuning.defaults());
        bus.offer(new EchoVsp(UUID.randomUUID(), 64 * 1024));
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class, () -> bus.restoreState(state));
        assertTrue(other.getMessage().contains("is not this VM's channel"), other.getMessage());
        for (int cut : new int[] {0, 1, 17, state.length / 2, state.length - 1}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> bus.restoreState(Arrays.copyOf(state, cut)));
            assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("at most"), e.getMessage());
        }
        assertFalse((boolean) bus.inspect(m -> m.isConnected()));
        assertEquals(0, (int) bus.inspect(m -> m.gpadlCount()));
    }
}

package dev.partita.vmbus.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.partita.hv.memory.GuestMemory;
import dev.partita.vmbus.ChannelManager;
import dev.partita.vmbus.ChannelState;
import dev.partita.vmbus.VmBus;
import dev.partita.vmbus.VmBusTuning;
import dev.partita.vmbus.client.GuestPageAllocator;
import dev.partita.vmbus.client.LoopbackHypervisor;
import dev.partita.vmbus.client.VmBusClient;
import dev.partita.vmbus.testing.EchoVsp;
import dev.partita.vmbus.testing.RecordingSynicPort;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Fuzzes the saved VMBus state a restore reads (the {@code vmbus} section of a state file): any
 * input either restores whole (a consistent bus: each open channel on an existing ring GPADL of
 * its own) or is refused with an {@link IllegalArgumentException}, after which the bus is reset
 * (not connected, no GPADL, no open channel). Nothing else may be thrown. A real saved state (a
 * connected bus with an open channel) with every single byte changed is checked too.
 */
class BusStateFuzzTest {
    private static final UUID INSTANCE = UUID.fromString("11223344-5566-7788-99aa-bbccddeeff02");
    private static final GuestMemory MEMORY = GuestMemory.allocate(4L << 20);
    private static byte[] valid;
    static long executions;

    @BeforeAll
    static void saveARealBus() throws Exception {
        LoopbackHypervisor hv = new LoopbackHypervisor();
        VmBus bus = VmBus.attach(MEMORY, hv, VmBusTuning.defaults());
        try {
            bus.offer(new EchoVsp(INSTANCE, 64 * 1024));
            VmBusClient client = new VmBusClient(MEMORY, hv, new GuestPageAllocator(1L << 20, 4L << 20));
            client.connect();
            client.open(client.requestOffers().getFirst(), 16 * 1024, 16 * 1024);
            bus.quiesce();
            valid = bus.saveState();
        } finally {
            bus.close();
        }
    }

    @AfterAll
    static void report() {
        System.out.println("BusStateFuzzTest: " + executions + " inputs executed");
    }

    @FuzzTest(maxDuration = "3m")
    void anySavedState(byte[] data) {
        run(data);
    }

    @Test
    void theRealStateRestoresAndEveryByteChangeIsRefusedOrRestoredWhole() {
        assertTrue(run(valid), "the unchanged state restores");
        for (int i = 0; i < valid.length; i++) {
            byte[] b = valid.clone();
            b[i] ^= (byte) (0x01 << (i % 8));
            run(b);
            b[i] = (byte) 0xFF;
            run(b);
        }
    }

    /** True when the input restored. */
    static boolean run(byte[] data) {
        executions++;
        RecordingSynicPort port = new RecordingSynicPort();
        ChannelManager m = new ChannelManager(MEMORY, port, VmBusTuning.defaults(), (relid, p, reason) -> { });
        int relid = m.offer(new EchoVsp(INSTANCE, 64 * 1024));
        try {
            m.restoreState(data);
            if (m.state(relid) == ChannelState.OPEN) {
                assertTrue(m.gpadlCount() >= 1, "an open channel has its ring GPADL");
            }
            return true;
        } catch (IllegalArgumentException refused) {
            assertNotNull(refused.getMessage());
            assertFalse(m.isConnected(), "a refused state leaves the bus reset");
            assertEquals(0, m.gpadlCount());
            assertNotEquals(ChannelState.OPEN, m.state(relid));
            return false;
        } finally {
            m.shutdown();
        }
    }
}

package dev.partita.devices.ic;

import dev.partita.hv.memory.GuestMemory;
import dev.partita.vmbus.VmBus;
import dev.partita.vmbus.VmBusTuning;
import dev.partita.vmbus.client.ClientChannel;
import dev.partita.vmbus.client.GuestPageAllocator;
import dev.partita.vmbus.client.LoopbackHypervisor;
import dev.partita.vmbus.client.VmBusClient;
import dev.partita.vmbus.protocol.ChannelMessage.OfferChannel;
import dev.partita.vmbus.protocol.LittleEndian;
import dev.partita.vmbus.ring.PacketBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Integration components across a save and restore of their bus: the restored component keeps the
 * negotiated versions without a new negotiation, stays silent until the VM resumes, and then
 * the time synchronization sends the host's time with the SYNC flag; malformed or mismatched saved
 * state is refused.
 */
class IcSaveRestoreTest {
    private static final UUID INSTANCE = UUID.fromString("5041fa17-1c00-4c00-8000-0000000000a3");
    private final GuestMemory memory = GuestMemory.allocate(16L << 20);
    private final LoopbackHypervisor hv = new LoopbackHypervisor();
    private VmBus bus = VmBus.attach(memory, hv, VmBusTuning.defaults());
    private final VmBusClient client = new VmBusClient(memory, hv, new GuestPageAllocator(1L << 20, 16L << 20));

    @AfterEach
    void tearDown() {
        bus.close();
        memory.close();
    }

    private static Clock at(String instant) {
        return Clock.fixed(Instant.parse(instant), ZoneOffset.UTC);
    }

    @Test
    void restoredTimeSyncKeepsItsVersionsAndSendsTheHostTimeOnResume() throws Exception {
        TimeSyncVsp before = new TimeSyncVsp(INSTANCE, at("2026-11-21T22:00:00Z"), () -> 1L, 0);
        bus.offer(before);
        client.connect();
        OfferChannel o = client.requestOffers().getFirst();
        ClientChannel ch = client.open(o, 4 * 4096, 4 * 4096);
        HvUtilsGuest guest = new HvUtilsGuest(List.of(IcVersion.V3_0, IcVersion.V1_0), List.of(new IcVersion(4, 0)));
        guest.answerOne(ch, 0);  // negotiation
        guest.answerOne(ch, 0);  // the first SYNC sample
        IcNegotiation.Agreed agreed = before.agreed();
        assertEquals(new IcVersion(4, 0), agreed.message());

        bus.quiesce();
        byte[] state = bus.saveState();
        bus.close();

        Instant later = Instant.parse("2026-11-21T22:05:00Z");
        bus = VmBus.attach(memory, hv, VmBusTuning.defaults());
        TimeSyncVsp after = new TimeSyncVsp(INSTANCE, Clock.fixed(later, ZoneOffset.UTC), () -> 2L, 0);
        bus.offer(after);
        bus.restoreState(state);
        assertEquals(agreed, after.agreed(), "the versions agreed before the save, without a new negotiation");
        Thread.sleep(100);
        assertFalse(ch.poll(new PacketBuffer(64)), "nothing is sent before the VM resumes");

        bus.resume();
        byte[] sample = guest.answerOne(ch, 0);
        assertEquals(IcMessage.TYPE_TIMESYNC, LittleEndian.u16(sample, IcMessage.TYPE),
                "the first message after the restore is a time sample, not a negotiation");
        int size = LittleEndian.u16(sample, IcMessage.SIZE);
        byte[] d = Arrays.copyOfRange(sample, IcMessage.DATA, IcMessage.DATA + size);
        assertEquals(TimeSyncVsp.toFileTime(later), LittleEndian.u64(d, 0), "the host time at resume");
        assertEquals(TimeSyncVsp.FLAG_SYNC, d[16]);
    }

    @Test
    void malformedOrMismatchedStateIsRefusedAndChangesNothing() {
        HeartbeatVsp hb = new HeartbeatVsp(INSTANCE, Clock.systemUTC(), 0);
        byte[] closed = hb.saveState();
        assertThrows(IllegalArgumentException.class, () -> hb.restoreState(Arrays.copyOf(closed, closed.length - 1)));
        byte[] wrongVersion = closed.clone();
        wrongVersion[0] = 9;
        assertThrows(IllegalArgumentException.class, () -> hb.restoreState(wrongVersion));
        byte[] open = closed.clone();
        open[1] = 2; // negotiated, while this component's channel is closed
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> hb.restoreState(open));
        assertTrue(e.getMessage().contains("saved with its channel open"), e.getMessage());
        byte[] badState = closed.clone();
        badState[1] = 7;
        assertThrows(IllegalArgumentException.class, () -> hb.restoreState(badState));
        assertInstanceOf(IcChannelState.Closed.class, hb.state());
        hb.restoreState(closed);
        assertInstanceOf(IcChannelState.Closed.class, hb.state());
    }
}

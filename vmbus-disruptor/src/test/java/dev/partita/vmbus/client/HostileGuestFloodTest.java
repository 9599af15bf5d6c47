package dev.partita.vmbus.client;

import dev.partita.hv.hyperv.HvStatus;
import dev.partita.hv.memory.GuestMemory;
import dev.partita.vmbus.ChannelManager;
import dev.partita.vmbus.ChannelState;
import dev.partita.vmbus.VmBus;
import dev.partita.vmbus.VmBusTuning;
import dev.partita.vmbus.protocol.ChannelMessage.GpadlCreated;
import dev.partita.vmbus.protocol.ChannelMessage.GpadlTeardown;
import dev.partita.vmbus.protocol.ChannelMessage.OfferChannel;
import dev.partita.vmbus.protocol.ChannelMessage.RescindChannelOffer;
import dev.partita.vmbus.protocol.ChannelMessageCodec;
import dev.partita.vmbus.protocol.ChannelMessageType;
import dev.partita.vmbus.ring.PacketBuffer;
import dev.partita.vmbus.testing.EchoVsp;
import dev.partita.vmbus.vsp.Vsp;
import dev.partita.vmbus.vsp.VspChannel;
import dev.partita.vmbus.vsp.VspOffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/**
 * One hostile partition and one well-behaved partition on VMBus in the same process, both driven
 * by the Java VSC through loopback hypervisors. The hostile guest storms the management connection
 * with posted messages, creates thousands of GPADLs, and fills a channel with large packets while
 * its VSP is stalled, then sends a packet over the size limit. Every assertion is a count or a
 * bound: the control queue holds at most {@link VmBus#MAX_QUEUED_MESSAGES} messages and refuses
 * the rest with HV_STATUS_INSUFFICIENT_BUFFERS; GPADL pages stay within the guest's RAM pages; the
 * stalled channel buffers at most its in-flight budget; the host heap grows by less than the
 * stated bound; and the other partition completes all of its echo exchanges meanwhile.
 */
class HostileGuestFloodTest {
    private static final int RING = 1 << 20;                    // the flood VSP offers 1 MiB rings each way
    private static final int IN_FLIGHT = 256 * 1024;            // budget of large packets per channel
    private static final VmBusTuning TUNING = new VmBusTuning(1024, com.lmax.disruptor.BlockingWaitStrategy::new,
            256 * 1024, 65536, 4096, IN_FLIGHT);

    /** A VSP whose handler thread stalls on the first packet until released (a slow or wedged device). */
    private static final class StallingVsp implements Vsp {
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch stalled = new CountDownLatch(1);
        final AtomicInteger packets = new AtomicInteger();

        @Override
        public VspOffer offer() {
            return new VspOffer(UUID.fromString("7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"),
                    UUID.fromString("00000000-0000-0000-0000-00000000f100"), RING, RING);
        }

        @Override
        public void open(VspChannel channel) {
        }

        @Override
        public void onPacket(VspChannel channel, PacketBuffer packet, boolean endOfBatch) {
            packets.incrementAndGet();
            stalled.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close(VspChannel channel) {
        }
    }

    private final Partition hostile = new Partition(32L << 20);
    private final Partition friendly = new Partition(16L << 20);
    private StallingVsp stalling;

    /** One partition: its RAM, loopback hypervisor, VMBus and Java VSC. */
    private static final class Partition {
        final GuestMemory memory;
        final LoopbackHypervisor hv = new LoopbackHypervisor();
        final VmBus bus;
        final VmBusClient client;

        Partition(long ram) {
            memory = GuestMemory.allocate(ram);
            bus = VmBus.attach(memory, hv, TUNING);
            client = new VmBusClient(memory, hv, new GuestPageAllocator(1L << 20, ram));
        }

        void close() {
            bus.close();
            memory.close();
        }
    }

    @BeforeEach
    void setUp() {
        stalling = new StallingVsp();
        hostile.bus.offer(stalling);
        hostile.bus.offer(new EchoVsp(UUID.randomUUID(), RING));
        friendly.bus.offer(new EchoVsp(UUID.randomUUID(), 64 * 1024));
    }

    @AfterEach
    void tearDown() {
        stalling.release.countDown();
        hostile.close();
        friendly.close();
    }

    private static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    @Test
    void aFloodingGuestStaysWithinItsBoundsAndAnotherPartitionFinishesItsWork() throws Exception {
        long heapBefore = usedHeapAfterGc();

        // The well-behaved partition echoes 2000 packets on its own thread throughout.
        AtomicInteger echoed = new AtomicInteger();
        AtomicReference<Throwable> friendlyFailure = new AtomicReference<>();
        Thread friendlyWork = new Thread(() -> {
            try {
                VmBusClient c = friendly.client;
                c.connect();
                ClientChannel ch = c.open(c.requestOffers().getFirst(), 64 * 1024, 64 * 1024);
                PacketBuffer in = new PacketBuffer(256);
                byte[] payload = new byte[100];
                for (int i = 0; i < 2000; i++) {
                    payload[0] = (byte) i;
                    while (!ch.send(i, true, payload, 0, payload.length)) {
                        Thread.onSpinWait();
                    }
                    assertTrue(ch.receive(in, TimeUnit.SECONDS.toNanos(30)), "echo " + i);
                    assertEquals(i, in.transactionId());
                    assertEquals((byte) i, in.bytes()[in.payloadOffset()]);
                    echoed.incrementAndGet();
                }
            } catch (Throwable t) {
                friendlyFailure.set(t);
            }
        }, "friendly-partition");
        friendlyWork.start();

        VmBusClient c = hostile.client;
        c.connect();
        List<OfferChannel> offers = c.requestOffers();
        OfferChannel stallOffer = offers.get(0);
        OfferChannel echoOffer = offers.get(1);

        // 1. A post-message storm while the control thread is busy: exactly the queue's capacity is
        //    accepted, every other post is refused with INSUFFICIENT_BUFFERS.
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch free = new CountDownLatch(1);
        Thread holder = new Thread(() -> hostile.bus.inspect(m -> {
            busy.countDown();
            try {
                free.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }), "control-holder");
        holder.start();
        assertTrue(busy.await(30, TimeUnit.SECONDS));
        byte[] junk = ChannelMessageCodec.encode(new GpadlTeardown(stallOffer.childRelid(), 0x7FFF_0000));
        int accepted = 0;
        int refused = 0;
        for (int i = 0; i < 20_000; i++) {
            int status = hostile.hv.postMessage(4, ChannelMessageType.SYNIC_MESSAGE_TYPE, junk);
            if (status == HvStatus.SUCCESS) {
                accepted++;
            } else {
                assertEquals(HvStatus.INSUFFICIENT_BUFFERS, status);
                refused++;
            }
        }
        free.countDown();
        holder.join();
        assertEquals(VmBus.MAX_QUEUED_MESSAGES, accepted);
        assertEquals(20_000 - VmBus.MAX_QUEUED_MESSAGES, refused);
        assertEquals(refused, hostile.bus.refusedMessages());

        // 2. Thousands of GPADLs: refused once their pages would pass the guest's RAM pages.
        long ramPages = hostile.memory.totalSize() / 4096;
        int created = 0;
        int refusedGpadls = 0;
        for (int id = 1; id <= 5000; id++) {
            long[] pfns = {0x300 + (id % 1000), 0x300 + (id % 1000) + 1};
            for (byte[] m : VmBusClient.gpadlMessages(stallOffer.childRelid(), 1_000_000 + id, pfns)) {
                assertEquals(HvStatus.SUCCESS, c.postRaw(m));
            }
            int want = 1_000_000 + id;
            GpadlCreated g = c.await(GpadlCreated.class, x -> x.gpadlId() == want);
            if (g.status() == 0) {
                created++;
            } else {
                refusedGpadls++;
            }
        }
        long gpadlPages = hostile.bus.inspect(ChannelManager::gpadlPages);
        assertEquals(5000, created + refusedGpadls);
        assertTrue(refusedGpadls > 0, "the flood was cut off");
        assertTrue(gpadlPages <= ramPages, gpadlPages + " GPADL pages for " + ramPages + " RAM pages");
        assertEquals(2L * created, gpadlPages);
        assertTrue(hostile.bus.inspect(ChannelManager::gpadlCount) <= TUNING.maxGpadls());
        for (int id = 1; id <= 5000; id++) { // give the pages back for the rings below
            c.post(new GpadlTeardown(stallOffer.childRelid(), 1_000_000 + id));
        }
        assertEquals(0L, (long) hostile.bus.inspect(ChannelManager::gpadlPages));
        c.takeUnclaimed(); // the GPADL_TORNDOWN answers

        // 3. Large packets into a channel whose VSP is stalled: the pipeline takes its in-flight
        //    budget, then the rest stays in the guest's ring and the guest can write no more.
        ClientChannel flood = c.open(stallOffer, RING, RING);
        byte[] big = new byte[200 * 1024];
        int sent = 0;
        while (sent < 1024 && flood.send(sent, false, big, 0, big.length)) {
            sent++;
            if (sent == 1) {
                assertTrue(stalling.stalled.await(30, TimeUnit.SECONDS), "the VSP thread took the first packet");
            }
        }
        long held = hostile.bus.inspect(m -> m.largePacketBytes(stallOffer.childRelid()));
        assertTrue(sent < 10, sent + " packets of 200 KiB fit: the 1 MiB ring plus the budget, not 1024 slots");
        assertTrue(held <= IN_FLIGHT + 2L * big.length, held + " bytes held by the stalled channel");
        assertEquals(1, stalling.packets.get(), "the VSP is still stalled on its first packet");

        // 4. A packet over the 256 KiB limit on another channel closes that channel and rescinds it.
        ClientChannel other = c.open(echoOffer, RING, RING);
        assertTrue(other.send(1, false, new byte[300 * 1024], 0, 300 * 1024));
        RescindChannelOffer r = c.await(RescindChannelOffer.class, x -> x.childRelid() == echoOffer.childRelid());
        assertEquals(echoOffer.childRelid(), r.childRelid());
        assertEquals(ChannelState.RESCINDED, hostile.bus.inspect(m -> m.state(echoOffer.childRelid())));
        assertTrue(hostile.bus.inspect(m -> m.closeReason(echoOffer.childRelid())).contains("exceeds the limit"));

        // The other partition finished all of its work meanwhile.
        friendlyWork.join(TimeUnit.SECONDS.toMillis(120));
        assertNull(friendlyFailure.get(), () -> "friendly partition failed: " + friendlyFailure.get());
        assertEquals(2000, echoed.get());

        // The host heap grew by less than the stated bound while the hostile state is still held:
        // its stalled channel's buffers, the open rings' bookkeeping, and the message queue.
        long bound = 2 * TUNING.channelBufferBound() + (ramPages * 8) + (16L << 20);
        long grown = usedHeapAfterGc() - heapBefore;
        System.out.println("hostile-guest flood: " + accepted + " posts queued, " + refused + " refused; " + created
                + " GPADLs created, " + refusedGpadls + " refused (" + gpadlPages + " of " + ramPages + " pages); "
                + sent + " large packets accepted, " + held + " bytes held; heap grew " + grown + " of " + bound
                + " bytes; friendly partition echoed " + echoed.get());
        assertTrue(grown < bound, "heap grew by " + grown + " bytes, bound " + bound);
        assertEquals(ChannelState.OPEN, hostile.bus.inspect(m -> m.state(stallOffer.childRelid())));
        assertTrue(flood.relid() > 0);
    }
}

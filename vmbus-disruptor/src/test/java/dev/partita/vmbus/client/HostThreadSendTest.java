package dev.partita.vmbus.client;

import dev.partita.hv.memory.GuestMemory;
import dev.partita.vmbus.VmBus;
import dev.partita.vmbus.VmBusTuning;
import dev.partita.vmbus.ring.PacketBuffer;
import dev.partita.vmbus.ring.PacketType;
import dev.partita.vmbus.vsp.Vsp;
import dev.partita.vmbus.vsp.VspChannel;
import dev.partita.vmbus.vsp.VspOffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Packets a host thread sends on a channel (as integration components do from their scheduler)
 * and completions the VSP thread writes while handling guest requests share the one writer of the
 * host-to-guest ring: the guest receives every packet intact, each stream in its own order, with a
 * small ring that fills and wraps many times.
 */
class HostThreadSendTest {
    private static final int HOST_PACKETS = 5000;
    private static final int REQUESTS = 3000;

    /** Completes every request; hands its channel to the test for host-thread sends. */
    private static final class CompletingVsp implements Vsp {
        final CompletableFuture<VspChannel> opened = new CompletableFuture<>();

        @Override
        public VspOffer offer() {
            return new VspOffer(UUID.fromString("3c2b1a09-8f7e-4d6c-9b5a-493827160504"), UUID.randomUUID(), 16 * 1024, 16 * 1024);
        }

        @Override
        public void open(VspChannel channel) {
            opened.complete(channel);
        }

        @Override
        public void onPacket(VspChannel channel, PacketBuffer p, boolean endOfBatch) {
            channel.complete(p.transactionId(), p.bytes(), p.payloadOffset(), p.payloadLength());
        }

        @Override
        public void close(VspChannel channel) {
        }
    }

    private GuestMemory memory;
    private VmBus bus;
    private CompletingVsp vsp;
    private ClientChannel ch;

    @BeforeEach
    void setUp() throws Exception {
        memory = GuestMemory.allocate(16L << 20);
        LoopbackHypervisor hv = new LoopbackHypervisor();
        bus = VmBus.attach(memory, hv, VmBusTuning.defaults());
        vsp = new CompletingVsp();
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
    void hostThreadPacketsAndVspCompletionsArriveIntactAndInOrder() throws Exception {
        VspChannel channel = vsp.opened.get(10, TimeUnit.SECONDS);
        Thread host = Thread.ofPlatform().name("host-sender").start(() -> {
            byte[] b = new byte[40];
            for (int i = 0; i < HOST_PACKETS; i++) {
                b[0] = (byte) i;
                b[39] = (byte) (i >>> 8);
                channel.send(1_000_000 + i, false, b, 0, b.length);
            }
        });
        PacketBuffer in = new PacketBuffer(256);
        byte[] req = new byte[24];
        int nextHost = 0;
        int nextCompletion = 0;
        int sent = 0;
        while (nextHost < HOST_PACKETS || nextCompletion < REQUESTS) {
            if (sent < REQUESTS && sent - nextCompletion < 8) {
                req[0] = (byte) sent;
                if (ch.send(sent, true, req, 0, req.length)) {
                    sent++;
                }
            }
            if (!ch.receive(in, TimeUnit.SECONDS.toNanos(30))) {
                fail("nothing received after " + nextHost + " host packets and " + nextCompletion + " completions");
            }
            if (in.type() == PacketType.COMPLETION) {
                assertEquals(nextCompletion, in.transactionId(), "completions in request order");
                assertEquals((byte) nextCompletion, in.bytes()[in.payloadOffset()]);
                nextCompletion++;
            } else {
                assertEquals(PacketType.DATA_IN_BAND, in.type());
                assertEquals(1_000_000 + nextHost, in.transactionId(), "host packets in send order");
                assertEquals((byte) nextHost, in.bytes()[in.payloadOffset()]);
                assertEquals((byte) (nextHost >>> 8), in.bytes()[in.payloadOffset() + 39]);
                nextHost++;
            }
        }
        host.join();
        assertEquals(HOST_PACKETS, nextHost);
        assertEquals(REQUESTS, nextCompletion);
    }
}

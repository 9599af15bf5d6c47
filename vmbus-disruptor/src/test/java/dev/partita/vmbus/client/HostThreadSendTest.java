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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Packets a host thread sends on a channel (as integration components do from their scheduler)
 * and completions the VSP thread writes while handling guest requests share the one writer of the
 * host-to-guest ring: the guest receives every packet intact, each stream in its own order, with a
 * small ring that fills and wraps many times; also when the VSP completes inline on the guest's
 * signalling thread, where a full guest ring hands the rest of the run to the VSP thread.
 */
class HostThreadSendTest {
    private static final int HOST_PACKETS = 5000;
    private static final int REQUESTS = 3000;

    /** Completes every request; hands its channel to the test for host-thread sends. */
    private static final class CompletingVsp implements Vsp {
        final CompletableFuture<VspChannel> opened = new CompletableFuture<>();
        final Set<String> threads = ConcurrentHashMap.newKeySet();
        private final boolean inline;

        CompletingVsp(boolean inline) {
            this.inline = inline;
        }

        @Override
        public VspOffer offer() {
            return new VspOffer(UUID.fromString("3c2b1a09-8f7e-4d6c-9b5a-493827160504"), UUID.randomUUID(), 64 * 1024, 16 * 1024);
        }

        @Override
        public boolean completesInline() {
            return inline;
        }

        @Override
        public void open(VspChannel channel) {
            opened.complete(channel);
        }

        @Override
        public void onPacket(VspChannel channel, PacketBuffer p, boolean endOfBatch) {
            threads.add(Thread.currentThread().getName());
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

    private void open(boolean inline, int outRingBytes) throws Exception {
        memory = GuestMemory.allocate(16L << 20);
        LoopbackHypervisor hv = new LoopbackHypervisor();
        bus = VmBus.attach(memory, hv, VmBusTuning.defaults());
        vsp = new CompletingVsp(inline);
        bus.offer(vsp);
        VmBusClient client = new VmBusClient(memory, hv, new GuestPageAllocator(1L << 20, 16L << 20));
        client.connect();
        ch = client.open(client.requestOffers().getFirst(), outRingBytes, 16 * 1024);
    }

    @AfterEach
    void tearDown() {
        if (bus != null) {
            bus.close();
            memory.close();
        }
    }

    @ParameterizedTest(name = "inline {0}")
    @ValueSource(booleans = {false, true})
    void hostThreadPacketsAndVspCompletionsArriveIntactAndInOrder(boolean inline) throws Exception {
        open(inline, 16 * 1024);
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

    @Test
    void anInlineRunThatFillsTheGuestRingLeavesTheRestToTheVspThreadInOrder() throws Exception {
        open(true, 64 * 1024);
        // 600 requests, not reading: their 48-byte completions overfill the 12 KiB host-to-guest data area
        int n = 600;
        byte[] req = new byte[24];
        for (int i = 0; i < n; i++) {
            req[0] = (byte) i;
            req[23] = (byte) (i >>> 8);
            assertTrue(ch.send(i, true, req, 0, req.length), "the 64 KiB guest-to-host ring holds request " + i);
        }
        PacketBuffer in = new PacketBuffer(256);
        for (int i = 0; i < n; i++) {
            assertTrue(ch.receive(in, TimeUnit.SECONDS.toNanos(30)), "completion " + i);
            assertEquals(PacketType.COMPLETION, in.type());
            assertEquals(i, in.transactionId(), "completions in request order");
            assertEquals((byte) i, in.bytes()[in.payloadOffset()]);
            assertEquals((byte) (i >>> 8), in.bytes()[in.payloadOffset() + 23]);
        }
        assertTrue(vsp.threads.contains(Thread.currentThread().getName()), "the first requests ran inline: " + vsp.threads);
        assertTrue(vsp.threads.stream().anyMatch(t -> t.startsWith("vmbus-ch")),
                "requests after the guest ring filled ran on the VSP thread: " + vsp.threads);
        assertFalse(ch.poll(in), "nothing more than the completions");
    }
}

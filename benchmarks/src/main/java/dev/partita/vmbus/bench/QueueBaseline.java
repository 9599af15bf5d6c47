package dev.partita.vmbus.bench;

import dev.partita.hv.memory.GuestMemory;
import dev.partita.vmbus.client.SpinYieldParkWait;
import dev.partita.vmbus.ring.PacketBuffer;
import dev.partita.vmbus.ring.PacketType;
import dev.partita.vmbus.ring.RingBuffer;
import dev.partita.vmbus.ring.RingCorruptException;
import dev.partita.vmbus.ring.RingReader;
import dev.partita.vmbus.ring.RingWriter;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * The reference for {@link EchoRoundTripBench}: the same pipeline as the VMBus channel with an
 * ArrayBlockingQueue in place of each Disruptor, so the comparison is "Disruptor vs ABQ for the
 * same work". Per packet, like ours: the client copies it into the guest-to-host ring in guest
 * memory and publishes (signal on empty→non-empty); the signal drains the ring on the signalling
 * thread into the inbound queue (copy out of guest memory); a "VSP" thread echoes each packet as a
 * completion straight into the host-to-guest ring (as ours does for replies from the VSP handler
 * thread), publishes the write index when its queue runs dry and wakes the client when the rules
 * ask for a signal; the client reads it out of guest memory. Same thread hand-offs (client → VSP
 * thread → client), same ring copies. The queue carries freshly allocated
 * {@link PacketBuffer}s (the normal way to use a queue; the Disruptor's slots are preallocated —
 * that difference is part of what is compared).
 *
 * <p>Threads: one client thread calls {@link #throughput}/{@link #latency}; the VSP and writer
 * threads are owned here.
 */
final class QueueBaseline implements AutoCloseable {
    private static final int RING_PAGES = 1 + (1 << 20) / RingBuffer.PAGE_SIZE;
    private static final PacketBuffer STOP = new PacketBuffer(0);

    private final GuestMemory memory = GuestMemory.allocate(16L << 20);
    private final RingWriter guestOut;  // client side of the guest-to-host ring
    private final RingReader guestIn;   // client side of the host-to-guest ring
    private final RingReader hostIn;    // root side of the guest-to-host ring
    private final RingWriter hostOut;   // root side of the host-to-guest ring
    private final BlockingQueue<PacketBuffer> toVsp = new ArrayBlockingQueue<>(1024);
    private final Thread vsp;
    private final SpinYieldParkWait wait = new SpinYieldParkWait();
    private int unpublishedReads;

    QueueBaseline() throws RingCorruptException {
        long[] pfns = new long[2 * RING_PAGES];
        for (int i = 0; i < pfns.length; i++) {
            pfns[i] = 16 + i;
        }
        RingBuffer up = RingBuffer.fromPages(memory, pfns, 0, RING_PAGES);
        RingBuffer down = RingBuffer.fromPages(memory, pfns, RING_PAGES, RING_PAGES);
        up.setFeatureBits(RingBuffer.FEATURE_PENDING_SEND_SIZE);
        down.setFeatureBits(RingBuffer.FEATURE_PENDING_SEND_SIZE);
        guestOut = new RingWriter(up);
        guestIn = new RingReader(down, 1 << 20);
        hostIn = new RingReader(RingBuffer.fromPages(memory, pfns, 0, RING_PAGES), 256 * 1024);
        hostOut = new RingWriter(RingBuffer.fromPages(memory, pfns, RING_PAGES, RING_PAGES));
        vsp = Thread.ofPlatform().daemon().name("abq-vsp").start(this::vspLoop);
    }

    // ---- root side ----

    /** The guest's signal: drains the guest-to-host ring into the inbound queue (on the signalling thread, as ours). */
    private void onGuestSignal() throws RingCorruptException, InterruptedException {
        LockSupport.unpark(vsp); // may wait for ring space
        while (true) {
            while (hostIn.available() > 0) {
                PacketBuffer p = new PacketBuffer(0); // next() sizes it to the packet: one array per packet
                if (hostIn.next(p)) {
                    toVsp.put(p);
                }
            }
            hostIn.commit(); // the only writer is the signalling thread itself: nobody to wake
            RingBuffer.fullFence();
            if (hostIn.available() == 0) {
                return;
            }
        }
    }

    private void vspLoop() {
        try {
            while (true) {
                PacketBuffer p = toVsp.poll();
                if (p == null) {
                    publishToGuest(); // queue ran dry: end of batch
                    p = toVsp.take();
                }
                if (p == STOP) {
                    return;
                }
                while (!hostOut.tryWrite(PacketType.COMPLETION, 0, p.transactionId(), p.bytes(), p.payloadOffset(),
                        p.payloadLength())) {
                    publishToGuest();
                    LockSupport.parkNanos(100_000);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RingCorruptException e) {
            throw new IllegalStateException("baseline host-to-guest ring", e);
        }
    }

    private void publishToGuest() {
        if (hostOut.publish()) {
            wait.wake();
        }
    }

    // ---- client side (mirrors ClientChannel) ----

    private boolean write(long txid, byte[] payload, int size) throws RingCorruptException {
        return guestOut.tryWrite(PacketType.DATA_IN_BAND, PacketType.FLAG_COMPLETION_REQUESTED, txid, payload, 0, size);
    }

    private void flush() throws RingCorruptException, InterruptedException {
        if (guestOut.publish()) {
            onGuestSignal();
        }
    }

    private boolean poll(PacketBuffer into) throws RingCorruptException {
        if (guestIn.next(into)) {
            if (++unpublishedReads >= 64) {
                commitReads();
            }
            return true;
        }
        if (!guestIn.hasUncommitted()) {
            return false;
        }
        commitReads();
        return guestIn.next(into);
    }

    private void commitReads() throws RingCorruptException {
        unpublishedReads = 0;
        if (guestIn.commit()) {
            LockSupport.unpark(vsp); // pending send size crossed
        }
    }

    private boolean receive(PacketBuffer into, long timeoutNanos) throws RingCorruptException {
        return wait.await(() -> poll(into), 20_000, timeoutNanos); // waits like ClientChannel.receive
    }

    double throughput(int size, int n) throws Exception {
        byte[] payload = new byte[size];
        PacketBuffer in = new PacketBuffer(8192);
        int window = EchoRoundTripBench.window(size);
        int sent = 0;
        int received = 0;
        long t0 = System.nanoTime();
        while (received < n) {
            int before = sent;
            while (sent < n && sent - received < window && write(sent, payload, size)) {
                sent++;
            }
            if (sent != before) {
                flush();
            }
            boolean got = false;
            while (poll(in)) {
                check(in.transactionId() == received, "baseline completion order");
                received++;
                got = true;
            }
            if (!got && (sent == n || sent - received >= window)) {
                check(receive(in, 10_000_000_000L), "baseline stalled after " + received);
                received++;
            }
        }
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    long[] latency(int size, int n) throws Exception {
        byte[] payload = new byte[size];
        PacketBuffer in = new PacketBuffer(8192);
        long[] rtt = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            check(write(i, payload, size), "baseline ring full in ping-pong");
            flush();
            check(receive(in, 10_000_000_000L), "baseline: no completion");
            rtt[i] = System.nanoTime() - t0;
            check(in.transactionId() == i, "baseline transaction id");
        }
        return EchoRoundTripBench.percentiles(rtt);
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException(what);
        }
    }

    @Override
    public void close() throws InterruptedException {
        toVsp.put(STOP);
        vsp.join(1000);
        memory.close();
    }
}

package dev.partita.vmbus.bench;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The reference for {@link EchoRoundTripBench}: the same packets (payload copied on send, echoed as
 * a completion copy) through three ArrayBlockingQueues and two host threads, mirroring the VMBus
 * topology (client → VSP thread → writer thread → client).
 */
final class QueueBaseline implements AutoCloseable {
    record Packet(long transactionId, byte[] payload) {
    }

    private static final Packet STOP = new Packet(-1, new byte[0]);
    private final BlockingQueue<Packet> toVsp = new ArrayBlockingQueue<>(1024);
    private final BlockingQueue<Packet> toWriter = new ArrayBlockingQueue<>(1024);
    private final BlockingQueue<Packet> toClient = new ArrayBlockingQueue<>(1024);
    private final Thread vsp;
    private final Thread writer;

    QueueBaseline() {
        vsp = Thread.ofPlatform().daemon().name("abq-vsp").start(() -> pump(toVsp, toWriter, true));
        writer = Thread.ofPlatform().daemon().name("abq-writer").start(() -> pump(toWriter, toClient, false));
    }

    private static void pump(BlockingQueue<Packet> from, BlockingQueue<Packet> to, boolean echo) {
        try {
            while (true) {
                Packet p = from.take();
                if (p == STOP) {
                    return;
                }
                to.put(echo ? new Packet(p.transactionId(), p.payload().clone()) : p);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    double throughput(int size, int n) throws InterruptedException {
        byte[] payload = new byte[size];
        int window = EchoRoundTripBench.window(size);
        int sent = 0;
        int received = 0;
        long t0 = System.nanoTime();
        while (received < n) {
            while (sent < n && sent - received < window && toVsp.offer(new Packet(sent, payload.clone()))) {
                sent++;
            }
            Packet p;
            boolean got = false;
            while ((p = toClient.poll()) != null) {
                if (p.transactionId() != received) {
                    throw new IllegalStateException("order");
                }
                received++;
                got = true;
            }
            if (!got && (sent == n || sent - received >= window)) {
                p = toClient.poll(10, TimeUnit.SECONDS);
                if (p == null) {
                    throw new IllegalStateException("baseline stalled");
                }
                received++;
            }
        }
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    long[] latency(int size, int n) throws InterruptedException {
        byte[] payload = new byte[size];
        long[] rtt = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            toVsp.put(new Packet(i, payload.clone()));
            Packet p = toClient.take();
            rtt[i] = System.nanoTime() - t0;
            if (p.transactionId() != i) {
                throw new IllegalStateException("order");
            }
        }
        return EchoRoundTripBench.percentiles(rtt);
    }

    @Override
    public void close() throws InterruptedException {
        toVsp.put(STOP);
        vsp.join(1000);
        toWriter.put(STOP);
        writer.join(1000);
    }
}

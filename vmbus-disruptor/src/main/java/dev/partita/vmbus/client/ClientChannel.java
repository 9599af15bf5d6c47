package dev.partita.vmbus.client;

import dev.partita.vmbus.ring.PacketBuffer;
import dev.partita.vmbus.ring.PacketType;
import dev.partita.vmbus.ring.RingCorruptException;
import dev.partita.vmbus.ring.RingReader;
import dev.partita.vmbus.ring.RingWriter;

import java.util.concurrent.locks.LockSupport;

/**
 * The guest side of one open channel in the Java VSC: writes packets into the guest-to-host ring
 * and signals the root on an empty→non-empty transition (unless the root masked interrupts), and
 * reads packets from the host-to-guest ring, signalling the root when its pending send size is
 * crossed.
 *
 * <p><b>Threads.</b> One thread sends, one thread (possibly the same) receives; the root's event
 * for this channel unparks the thread waiting in {@link #receive}.
 */
public final class ClientChannel {
    private final VmBusClient client;
    private final int relid;
    private final int connectionId;
    private final int gpadlId;
    private final RingWriter out;
    private final RingReader in;
    private volatile Thread waiter;
    private volatile long spinNanos = 20_000;
    private volatile long events;
    private int unpublishedReads;

    ClientChannel(VmBusClient client, int relid, int connectionId, int gpadlId, RingWriter out, RingReader in) {
        this.client = client;
        this.relid = relid;
        this.connectionId = connectionId;
        this.gpadlId = gpadlId;
        this.out = out;
        this.in = in;
    }

    public int relid() {
        return relid;
    }

    public int gpadlId() {
        return gpadlId;
    }

    /** Events the root raised for this channel so far. */
    public long events() {
        return events;
    }

    void onEvent() {
        events++;
        Thread w = waiter;
        if (w != null) {
            LockSupport.unpark(w);
        }
    }

    /**
     * Writes an in-band packet and publishes it, signalling the root when the rules ask for it.
     *
     * @return false when the ring has no room now
     */
    public boolean send(long transactionId, boolean completionRequested, byte[] payload, int offset, int length)
            throws RingCorruptException {
        if (!write(transactionId, completionRequested, payload, offset, length)) {
            return false;
        }
        flush();
        return true;
    }

    /** Writes an in-band packet without publishing it (see {@link #flush()}); false when there is no room. */
    public boolean write(long transactionId, boolean completionRequested, byte[] payload, int offset, int length)
            throws RingCorruptException {
        return out.tryWrite(PacketType.DATA_IN_BAND, completionRequested ? PacketType.FLAG_COMPLETION_REQUESTED : 0,
                transactionId, payload, offset, length);
    }

    /** Publishes written packets and signals the root if it had caught up and did not mask interrupts. */
    public void flush() {
        if (out.publish()) {
            client.hypervisor().signalEvent(connectionId, 0);
        }
    }

    /**
     * Reads one packet if one is there. The read index is published every 64 packets and whenever
     * the ring looks empty; then, after the store and a full fence, the ring is checked once more
     * (the root's writer signals only when it sees that we had caught up).
     */
    public boolean poll(PacketBuffer into) throws RingCorruptException {
        if (in.next(into)) {
            if (++unpublishedReads >= 64) {
                commitReads();
            }
            return true;
        }
        if (!in.hasUncommitted()) {
            return false;
        }
        commitReads();
        return in.next(into);
    }

    private void commitReads() throws RingCorruptException {
        unpublishedReads = 0;
        if (in.commit()) {
            client.hypervisor().signalEvent(connectionId, 0);
        }
    }

    /** How long {@link #receive} polls before it parks (default 20 µs). */
    public void setSpinNanos(long nanos) {
        this.spinNanos = nanos;
    }

    /**
     * Waits up to {@code timeoutNanos} for a packet: busy-polls for the first 2 µs, then polls with
     * {@link Thread#yield()} until the spin time is up (so on a busy core the root's threads get to
     * run instead of waiting out our spin), then parks until the root's event.
     */
    public boolean receive(PacketBuffer into, long timeoutNanos) throws RingCorruptException {
        long start = System.nanoTime();
        long deadline = start + timeoutNanos;
        long spinUntil = start + Math.min(spinNanos, timeoutNanos);
        long busyUntil = start + Math.min(2_000, Math.min(spinNanos, timeoutNanos));
        long now;
        do {
            if (poll(into)) {
                return true;
            }
            now = System.nanoTime();
            if (now - busyUntil < 0) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        } while (now - spinUntil < 0);
        waiter = Thread.currentThread();
        try {
            while (true) {
                if (poll(into)) {
                    return true;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                LockSupport.parkNanos(Math.min(left, 1_000_000));
            }
        } finally {
            waiter = null;
        }
    }
}

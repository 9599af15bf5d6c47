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
    private volatile long events;

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
        if (!out.tryWrite(PacketType.DATA_IN_BAND, completionRequested ? PacketType.FLAG_COMPLETION_REQUESTED : 0,
                transactionId, payload, offset, length)) {
            return false;
        }
        if (out.publish()) {
            client.hypervisor().signalEvent(connectionId, 0);
        }
        return true;
    }

    /** Reads one packet if one is there (commits the read index at once). */
    public boolean poll(PacketBuffer into) throws RingCorruptException {
        if (!in.next(into)) {
            return false;
        }
        if (in.commit()) {
            client.hypervisor().signalEvent(connectionId, 0);
        }
        return true;
    }

    /** Waits up to {@code timeoutNanos} for a packet: spins briefly, then parks until the root's event. */
    public boolean receive(PacketBuffer into, long timeoutNanos) throws RingCorruptException {
        long deadline = System.nanoTime() + timeoutNanos;
        for (int spin = 0; spin < 2000; spin++) {
            if (poll(into)) {
                return true;
            }
            Thread.onSpinWait();
        }
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

package dev.partita.devices.net;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One port of a {@link VirtualSwitch}: an access VLAN, a bounded queue of frames waiting for the
 * port's reader, and counters. When the reader stops taking frames the queue fills and further
 * frames for this port are dropped and counted; other ports are unaffected. Thread-safe: any thread
 * may send, one reader thread polls.
 */
public final class SwitchPort {
    private final VirtualSwitch owner;
    private final int id;
    private final int accessVlan;
    private final ArrayBlockingQueue<byte[]> queue;
    private final AtomicLong framesIn = new AtomicLong();
    private final AtomicLong framesOut = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();

    SwitchPort(VirtualSwitch owner, int id, int accessVlan, int queueCapacity) {
        this.owner = owner;
        this.id = id;
        this.accessVlan = accessVlan;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
    }

    /** Counters of one port at one moment. */
    public record Counters(long framesIn, long framesOut, long dropped, long malformed) {
    }

    public int id() {
        return id;
    }

    public int accessVlan() {
        return accessVlan;
    }

    /** Sends a frame from this port's device into the switch; the switch keeps the array. */
    public void send(byte[] frame) {
        owner.forward(this, frame);
    }

    /** The next frame for this port's device, or null when none is waiting. */
    public byte[] poll() {
        return queue.poll();
    }

    public Counters counters() {
        return new Counters(framesIn.get(), framesOut.get(), dropped.get(), malformed.get());
    }

    void countIn() {
        framesIn.incrementAndGet();
    }

    void countMalformed() {
        malformed.incrementAndGet();
    }

    void deliver(byte[] frame) {
        if (queue.offer(frame)) {
            framesOut.incrementAndGet();
        } else {
            dropped.incrementAndGet();
        }
    }
}

package dev.partita.vmbus.client;

import dev.partita.vmbus.ring.RingCorruptException;

import java.util.concurrent.locks.LockSupport;

/**
 * How a guest-side reader waits for a packet: busy-polls for the first 2 µs, then polls with
 * {@link Thread#yield()} until the spin time is up (so on a busy core the root's threads get to
 * run instead of waiting out our spin), then parks until {@link #wake()} or the deadline.
 *
 * <p>Threads: {@link #await} is called by the one reading thread; {@link #wake()} from any thread
 * (the event that announces new packets). The waiting thread is published through a volatile field.
 */
public final class SpinYieldParkWait {
    private static final long BUSY_NANOS = 2_000;

    /** One non-blocking attempt to take a packet. */
    @FunctionalInterface
    public interface Poll {
        boolean poll() throws RingCorruptException;
    }

    private volatile Thread waiter;

    /** Polls until {@code poll} succeeds (true) or {@code timeoutNanos} pass (false). */
    public boolean await(Poll poll, long spinNanos, long timeoutNanos) throws RingCorruptException {
        long start = System.nanoTime();
        long deadline = start + timeoutNanos;
        long spinUntil = start + Math.min(spinNanos, timeoutNanos);
        long busyUntil = start + Math.min(BUSY_NANOS, Math.min(spinNanos, timeoutNanos));
        long now;
        do {
            if (poll.poll()) {
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
                if (poll.poll()) {
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

    /** Unparks the reader if it is parked in {@link #await}; any thread. */
    public void wake() {
        Thread w = waiter;
        if (w != null) {
            LockSupport.unpark(w);
        }
    }
}

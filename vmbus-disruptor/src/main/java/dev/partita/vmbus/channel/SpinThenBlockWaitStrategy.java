package dev.partita.vmbus.channel;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.WaitStrategy;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A Disruptor wait strategy for a channel's consumer thread that answers quickly while the guest is
 * busy and costs no CPU while it is idle. A wait first polls the ring with
 * {@link Thread#onSpinWait()} for {@link #BUSY_NANOS}, then with {@link Thread#yield()} (so that a
 * vCPU thread sharing the core runs instead of our spin) until the current spin window is over,
 * and then blocks on a condition until a producer publishes. An idle channel therefore spends at
 * most one spin window after its last packet and then sleeps.
 *
 * <p>The window adapts between {@code minSpinNanos} and {@code maxSpinNanos}: a wait that the spin
 * satisfied doubles it (the guest's requests come closer together than the window), a wait that
 * had to block halves it (spinning was wasted). A channel whose guest sends at long intervals thus
 * soon spins only briefly; one in steady I/O spins at most the full window.
 *
 * <p><b>Threads.</b> One consumer thread calls {@link #waitFor} (the channel's VSP thread; each
 * channel gets its own instance through {@link dev.partita.vmbus.VmBusTuning#waitStrategy()}); the
 * adaptive window is that thread's own. {@link #signalAllWhenBlocking()} is called by any producer
 * after it published; it takes the lock only when the consumer said it is about to block (a
 * volatile flag set under the lock before the consumer re-checks the cursor), so a producer whose
 * consumer is spinning pays one volatile read.
 */
public final class SpinThenBlockWaitStrategy implements WaitStrategy {
    /** How long a wait polls with {@code onSpinWait} before it starts yielding. */
    public static final long BUSY_NANOS = 2_000;

    private final long minSpinNanos;
    private final long maxSpinNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition published = lock.newCondition();
    private final AtomicBoolean signalNeeded = new AtomicBoolean();
    private long spinNanos;  // the consumer thread's own

    /**
     * @param minSpinNanos shortest spin window, at least 1 unless {@code maxSpinNanos} is 0
     * @param maxSpinNanos longest spin window, also the initial one (0: always block at once)
     */
    public SpinThenBlockWaitStrategy(long minSpinNanos, long maxSpinNanos) {
        if (maxSpinNanos < minSpinNanos || (maxSpinNanos > 0 && minSpinNanos < 1)) {
            throw new IllegalArgumentException("spin window " + minSpinNanos + ".." + maxSpinNanos + " ns");
        }
        this.minSpinNanos = minSpinNanos;
        this.maxSpinNanos = maxSpinNanos;
        this.spinNanos = maxSpinNanos;
    }

    /** A spin window of 1 µs up to {@code maxSpinMicros} (0: always block). */
    public static SpinThenBlockWaitStrategy upTo(long maxSpinMicros) {
        long max = TimeUnit.MICROSECONDS.toNanos(maxSpinMicros);
        return new SpinThenBlockWaitStrategy(Math.min(1_000, max), max);
    }

    @Override
    public long waitFor(long sequence, Sequence cursor, Sequence dependentSequence, SequenceBarrier barrier)
            throws AlertException, InterruptedException {
        long available = dependentSequence.get();
        if (available >= sequence) {
            return available;
        }
        long window = spinNanos;
        long start = System.nanoTime();
        long now = start;
        while (now - start < window) {
            barrier.checkAlert();
            available = dependentSequence.get();
            if (available >= sequence) {
                spinNanos = Math.min(maxSpinNanos, window * 2);
                return available;
            }
            if (now - start < BUSY_NANOS) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
            now = System.nanoTime();
        }
        spinNanos = Math.max(minSpinNanos, window / 2);
        if (cursor.get() < sequence) {
            lock.lock();
            try {
                do {
                    signalNeeded.set(true);
                    if (cursor.get() >= sequence) {
                        break;
                    }
                    barrier.checkAlert();
                    published.await();
                } while (cursor.get() < sequence);
            } finally {
                lock.unlock();
            }
        }
        // With one consumer the dependent sequence is the cursor; with upstream consumers, wait for them.
        while ((available = dependentSequence.get()) < sequence) {
            barrier.checkAlert();
            Thread.onSpinWait();
        }
        return available;
    }

    @Override
    public void signalAllWhenBlocking() {
        if (signalNeeded.getAndSet(false)) {
            lock.lock();
            try {
                published.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** The current spin window in nanoseconds. Consumer thread only. */
    public long spinNanos() {
        return spinNanos;
    }

    @Override
    public String toString() {
        return "SpinThenBlockWaitStrategy{" + minSpinNanos + ".." + maxSpinNanos + " ns}";
    }
}

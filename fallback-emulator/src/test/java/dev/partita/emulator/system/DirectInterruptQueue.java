package dev.partita.emulator.system;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in interrupt controller that delivers injected vectors in FIFO order (no priorities,
 * no TPR, no EOI): used by tests and as the default until the platform's APIC/PIC exist.
 * {@link #inject} and {@link #injectNmi} may be called from any thread.
 */
public final class DirectInterruptQueue implements LocalInterruptController {

    private final ConcurrentLinkedQueue<Integer> vectors = new ConcurrentLinkedQueue<>();
    private final AtomicInteger nmis = new AtomicInteger();
    private volatile Runnable wakeup = () -> { };

    /** An empty queue. */
    public DirectInterruptQueue() {
    }

    /** Queues a maskable interrupt with {@code vector} (16-255). */
    public void inject(int vector) {
        if (vector < 16 || vector > 255) {
            throw new IllegalArgumentException("interrupt vector out of range: " + vector);
        }
        vectors.add(vector);
        wakeup.run();
    }

    /** Queues an NMI. */
    public void injectNmi() {
        nmis.incrementAndGet();
        wakeup.run();
    }

    @Override
    public boolean hasInterrupt() {
        return !vectors.isEmpty();
    }

    @Override
    public int acknowledgeInterrupt() {
        Integer v = vectors.poll();
        return v == null ? -1 : v;
    }

    @Override
    public boolean takeNmi() {
        while (true) {
            int n = nmis.get();
            if (n == 0) {
                return false;
            }
            if (nmis.compareAndSet(n, n - 1)) {
                return true;
            }
        }
    }

    @Override
    public void setWakeup(Runnable wakeup) {
        this.wakeup = wakeup == null ? () -> { } : wakeup;
    }
}

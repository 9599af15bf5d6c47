package dev.partita.emulator.platform;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link PlatformClock} that only moves when told to: tests step time exactly, so timer
 * behaviour is checked without sleeping or asserting wall-clock timings. Thread-safe (an atomic).
 */
public final class ManualClock implements PlatformClock {

    private final AtomicLong now;

    public ManualClock(long startNanos) {
        now = new AtomicLong(startNanos);
    }

    public ManualClock() {
        this(0);
    }

    @Override
    public long nanoTime() {
        return now.get();
    }

    /** Moves time forward by {@code nanos} (>= 0) and returns the new time. */
    public long advance(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("a clock cannot go back: advance(" + nanos + ")");
        }
        return now.addAndGet(nanos);
    }
}

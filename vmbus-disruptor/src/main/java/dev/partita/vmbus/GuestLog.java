package dev.partita.vmbus;

import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The log of what one partition's guest did wrong (malformed messages, refused requests, failed
 * channels), limited so that a guest cannot flood the host's log: at most {@link #burst} lines
 * per {@link #windowNanos} window; lines over the limit are counted, and the first line of the
 * next window that logs anything is preceded by one line saying how many were suppressed.
 *
 * <p>Messages are {@link Supplier}s: when the level is off, or the window's budget is spent,
 * the message is never built. The defaults ({@link #forPartition}) are 20 lines per 10 s.
 *
 * <p><b>Threads.</b> Thread-safe (the vCPU threads, the bus's control thread and the channel
 * threads of one partition share one instance); the budget check is one short critical section.
 */
public final class GuestLog {
    /** Lines per window of {@link #forPartition}. */
    public static final int DEFAULT_BURST = 20;
    /** Window length of {@link #forPartition}: 10 s. */
    public static final long DEFAULT_WINDOW_NANOS = 10_000_000_000L;

    private final System.Logger logger;
    private final int burst;
    private final long windowNanos;
    private final LongSupplier clock;
    private long windowStart;
    private int used;
    private long suppressed;
    private long suppressedTotal;

    /**
     * @param logger      where lines go
     * @param burst       lines allowed per window (at least 1)
     * @param windowNanos window length
     * @param clock       monotonic time in nanoseconds ({@code System::nanoTime} in production)
     */
    public GuestLog(System.Logger logger, int burst, long windowNanos, LongSupplier clock) {
        if (burst < 1 || windowNanos <= 0) {
            throw new IllegalArgumentException("burst " + burst + ", window " + windowNanos + " ns");
        }
        this.logger = Objects.requireNonNull(logger);
        this.burst = burst;
        this.windowNanos = windowNanos;
        this.clock = clock;
        this.windowStart = clock.getAsLong();
    }

    /** A log for one partition's VMBus: {@value #DEFAULT_BURST} lines per 10 s to the {@code dev.partita.vmbus} logger. */
    public static GuestLog forPartition() {
        return new GuestLog(System.getLogger("dev.partita.vmbus"), DEFAULT_BURST, DEFAULT_WINDOW_NANOS, System::nanoTime);
    }

    /** Logs {@code message} at {@code level} when that level is on and the window's budget allows. */
    public void log(System.Logger.Level level, Supplier<String> message) {
        if (!logger.isLoggable(level)) {
            return;
        }
        long dropped;
        synchronized (this) {
            long now = clock.getAsLong();
            if (now - windowStart >= windowNanos) {
                windowStart = now;
                used = 0;
            }
            if (used >= burst) {
                suppressed++;
                suppressedTotal++;
                return;
            }
            used++;
            dropped = suppressed;
            suppressed = 0;
        }
        if (dropped > 0) {
            logger.log(level, dropped + " guest-triggered log lines suppressed (limit " + burst + " per "
                    + windowNanos / 1_000_000 + " ms)");
        }
        logger.log(level, message.get());
    }

    /** Lines suppressed since this log was made. */
    public synchronized long suppressedTotal() {
        return suppressedTotal;
    }
}

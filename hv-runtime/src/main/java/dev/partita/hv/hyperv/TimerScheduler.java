package dev.partita.hv.hyperv;

import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs a synthetic timer's expiry task after a host delay. In a partition this is a
 * {@link ScheduledExecutorService}; tests run the tasks themselves.
 *
 * <p>Implementations are called from any thread.
 */
@FunctionalInterface
interface TimerScheduler {
    /** Runs {@code task} once after {@code delayNanos} (0: as soon as possible); the future cancels it. */
    Future<?> schedule(Runnable task, long delayNanos);

    /** Scheduling on {@code executor}. */
    static TimerScheduler on(ScheduledExecutorService executor) {
        return (task, delay) -> executor.schedule(task, delay, TimeUnit.NANOSECONDS);
    }
}

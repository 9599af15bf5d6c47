package dev.partita.hv.hyperv;

import dev.partita.hv.spi.GuestTsc;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * A guest TSC that moves only when told (1 GHz: one tick per nanosecond, 100 ticks per reference
 * unit) and a timer scheduler whose tasks run only when the test says, so timer tests never
 * depend on host timing.
 */
final class ManualTime implements GuestTsc, TimerScheduler {
    /** A scheduled task with the delay it asked for. */
    record Task(Runnable task, long delayNanos, CompletableFuture<Void> handle) {
        boolean live() {
            return !handle.isDone();
        }
    }

    private long tsc = 5_000_000_000L; // not zero: the clock's origin must not matter
    final List<Task> tasks = new ArrayList<>();

    @Override
    public long hz() {
        return 1_000_000_000L;
    }

    @Override
    public synchronized long read() {
        return tsc;
    }

    /** Advances the TSC by {@code units} reference time units (100 ns each). */
    synchronized void advanceUnits(long units) {
        tsc += units * 100;
    }

    synchronized void setTsc(long value) {
        tsc = value;
    }

    @Override
    public synchronized Future<?> schedule(Runnable task, long delayNanos) {
        Task t = new Task(task, delayNanos, new CompletableFuture<>());
        tasks.add(t);
        return t.handle();
    }

    /** The tasks not yet run or cancelled. */
    synchronized List<Task> live() {
        return tasks.stream().filter(Task::live).toList();
    }

    /** Runs every live task once (each may schedule new ones); returns how many ran. */
    int runLive() {
        List<Task> now = live();
        for (Task t : now) {
            t.handle().complete(null);
            t.task().run();
        }
        return now.size();
    }
}

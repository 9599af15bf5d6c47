package dev.partita.hv.hyperv;

import dev.partita.hv.msr.MsrFault;
import dev.partita.hv.msr.MsrHandler;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The synthetic timers of a partition: STIMER0-3 CONFIG and COUNT on every processor
 * ({@link SyntheticTimer}), as an {@link MsrHandler} in the partition's chain. Expiries run on one
 * daemon thread shared by every partition of the process (a timer task only computes the next
 * deadline and hands the expiry to the SynIC or the interrupt sink).
 *
 * <p><b>Threads.</b> MSR accesses from the processors' threads; {@link #close()} from any thread.
 */
final class SyntheticTimers implements MsrHandler, AutoCloseable {
    private static final TimerScheduler SCHEDULER = TimerScheduler.on(scheduler());

    private final SyntheticTimer[][] timers;

    SyntheticTimers(int vps, ReferenceClock clock, TimerExpiry expiry) {
        this(vps, clock, expiry, SCHEDULER);
    }

    SyntheticTimers(int vps, ReferenceClock clock, TimerExpiry expiry, TimerScheduler scheduler) {
        timers = new SyntheticTimer[vps][HvMsr.STIMER_COUNT];
        for (int vp = 0; vp < vps; vp++) {
            for (int t = 0; t < HvMsr.STIMER_COUNT; t++) {
                timers[vp][t] = new SyntheticTimer(vp, t, clock, scheduler, expiry);
            }
        }
    }

    private static ScheduledExecutorService scheduler() {
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "hv-synthetic-timers");
            t.setDaemon(true);
            return t;
        });
        s.setRemoveOnCancelPolicy(true);
        return s;
    }

    @Override
    public boolean claims(int index) {
        return index >= HvMsr.STIMER0_CONFIG && index <= HvMsr.STIMER3_COUNT;
    }

    @Override
    public long read(int vpIndex, int index) throws MsrFault {
        SyntheticTimer t = timerAt(vpIndex, index);
        return isConfig(index) ? t.config() : t.count();
    }

    @Override
    public void write(int vpIndex, int index, long value) throws MsrFault {
        SyntheticTimer t = timerAt(vpIndex, index);
        if (isConfig(index)) {
            t.writeConfig(value);
        } else {
            t.writeCount(value);
        }
    }

    private SyntheticTimer timerAt(int vpIndex, int index) throws MsrFault {
        if (vpIndex < 0 || vpIndex >= timers.length) {
            throw new MsrFault("synthetic timer access from unknown vCPU " + vpIndex);
        }
        return timers[vpIndex][(index - HvMsr.STIMER0_CONFIG) / 2];
    }

    /** Timer {@code n} of processor {@code vp} (tests and diagnostics). */
    SyntheticTimer timer(int vp, int n) {
        return timers[vp][n];
    }

    private static boolean isConfig(int index) {
        return ((index - HvMsr.STIMER0_CONFIG) & 1) == 0;
    }

    /** The four timers of processor {@code vp}, saved. */
    List<TimerSnapshot> save(int vp) {
        List<TimerSnapshot> l = new ArrayList<>();
        for (SyntheticTimer t : timers[vp]) {
            l.add(t.save());
        }
        return l;
    }

    void restore(int vp, List<TimerSnapshot> saved) {
        for (int t = 0; t < HvMsr.STIMER_COUNT; t++) {
            timers[vp][t].restore(saved.get(t));
        }
    }

    /** Stops every timer. */
    @Override
    public void close() {
        for (SyntheticTimer[] row : timers) {
            for (SyntheticTimer t : row) {
                t.cancel();
            }
        }
    }
}

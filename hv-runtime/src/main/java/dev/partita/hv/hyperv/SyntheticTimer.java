package dev.partita.hv.hyperv;

import dev.partita.hv.msr.MsrFault;

import java.util.concurrent.Future;

/**
 * One synthetic timer (STIMERn of one processor): CONFIG and COUNT as the TLFS defines them.
 *
 * <p>CONFIG bits: 0 enable, 1 periodic, 2 lazy (accepted, no effect), 3 auto-enable, 4-11 APIC
 * vector (direct mode), 12 direct mode, 16-19 SINT (message mode); the others are reserved and
 * read as zero. COUNT is the absolute expiry time of a one-shot timer and the period of a
 * periodic one, in 100 ns reference time units.
 *
 * <p>Rules: writing COUNT stops the timer; a count of 0 clears enable, a non-zero count with
 * auto-enable sets it. An enabled timer with a zero count is disabled (it never fires). A one-shot
 * timer whose time has passed expires at once and clears enable when it fires. A periodic timer
 * first expires one period after it was enabled; when the host is late it fires once and
 * continues on the original grid (missed periods are not replayed). A direct-mode timer with a
 * vector below 16 cannot be enabled (#GP).
 *
 * <p>An expiry that cannot be delivered (the partition closed underneath) stops the timer.
 *
 * <p><b>Threads.</b> MSR accesses come from the processor's thread, expiries from the timer
 * thread; every method holds this object's monitor, released before the expiry is delivered.
 */
final class SyntheticTimer {
    private static final System.Logger LOG = System.getLogger(SyntheticTimer.class.getName());
    static final long ENABLE = 1;
    static final long PERIODIC = 1L << 1;
    static final long LAZY = 1L << 2;
    static final long AUTO_ENABLE = 1L << 3;
    static final int VECTOR_SHIFT = 4;
    static final long DIRECT_MODE = 1L << 12;
    static final int SINT_SHIFT = 16;
    /** The CONFIG bits a guest can set. */
    static final long WRITABLE = ENABLE | PERIODIC | LAZY | AUTO_ENABLE | (0xFFL << VECTOR_SHIFT) | DIRECT_MODE | (0xFL << SINT_SHIFT);

    private final int vp;
    private final int index;
    private final ReferenceClock clock;
    private final TimerScheduler scheduler;
    private final TimerExpiry expiry;
    private long config;
    private long count;
    private long deadline = TimerSnapshot.DISARMED;
    private Future<?> pending;
    /** Incremented whenever the timer is re-armed or stopped, so a stale expiry task does nothing. */
    private long generation;

    SyntheticTimer(int vp, int index, ReferenceClock clock, TimerScheduler scheduler, TimerExpiry expiry) {
        this.vp = vp;
        this.index = index;
        this.clock = clock;
        this.scheduler = scheduler;
        this.expiry = expiry;
    }

    synchronized long config() {
        return config;
    }

    synchronized long count() {
        return count;
    }

    /** The reference time of the next expiry, or {@link TimerSnapshot#DISARMED}. */
    synchronized long deadline() {
        return deadline;
    }

    synchronized void writeConfig(long value) throws MsrFault {
        long v = value & WRITABLE;
        if ((v & (ENABLE | DIRECT_MODE)) == (ENABLE | DIRECT_MODE) && vector(v) < HvMsr.SINT_FIRST_VALID_VECTOR) {
            throw new MsrFault("STIMER" + index + "_CONFIG of vCPU " + vp + ": direct-mode vector " + vector(v) + " is reserved");
        }
        stop();
        config = v;
        start();
    }

    synchronized void writeCount(long value) throws MsrFault {
        if (value == 0) {
            config &= ~ENABLE;
        } else if ((config & AUTO_ENABLE) != 0) {
            if ((config & DIRECT_MODE) != 0 && vector(config) < HvMsr.SINT_FIRST_VALID_VECTOR) {
                throw new MsrFault("STIMER" + index + "_COUNT of vCPU " + vp + ": auto-enable with reserved direct-mode vector " + vector(config));
            }
            config |= ENABLE;
        }
        stop();
        count = value;
        start();
    }

    private static int vector(long config) {
        return (int) ((config >>> VECTOR_SHIFT) & 0xFF);
    }

    private void stop() {
        generation++;
        deadline = TimerSnapshot.DISARMED;
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }

    /** Arms the timer from CONFIG and COUNT if it is enabled. */
    private void start() {
        if ((config & ENABLE) == 0) {
            return;
        }
        if (count == 0) {
            config &= ~ENABLE;
            return;
        }
        long units = count < 0 ? Long.MAX_VALUE : count; // COUNT is unsigned: beyond 2^63 means never in practice
        arm((config & PERIODIC) != 0 ? saturatingAdd(clock.now(), units) : units);
    }

    private static long saturatingAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    private void arm(long at) {
        deadline = at;
        long gen = generation;
        long delay = Math.max(0, clock.nanosUntil(at));
        pending = scheduler.schedule(() -> fire(gen), delay);
    }

    /** The timer thread's task: deliver if still current, re-arm a periodic timer. */
    private void fire(long gen) {
        long expiredAt;
        long cfg;
        synchronized (this) {
            if (gen != generation || deadline == TimerSnapshot.DISARMED) {
                return;
            }
            long now = clock.now();
            if (now < deadline) { // the host woke early: wait for the rest
                pending = scheduler.schedule(() -> fire(gen), Math.max(1, clock.nanosUntil(deadline)));
                return;
            }
            expiredAt = deadline;
            cfg = config;
            pending = null;
            if ((config & PERIODIC) != 0) {
                long period = count < 0 ? Long.MAX_VALUE : count;
                long missed = (now - deadline) / period;
                generation++;
                arm(saturatingAdd(deadline, Math.multiplyHigh(missed + 1, period) != 0 ? Long.MAX_VALUE : (missed + 1) * period));
            } else {
                config &= ~ENABLE;
                generation++;
                deadline = TimerSnapshot.DISARMED;
            }
        }
        try {
            if ((cfg & DIRECT_MODE) != 0) {
                expiry.direct(vp, vector(cfg));
            } else {
                expiry.message(vp, (int) ((cfg >>> SINT_SHIFT) & 0xF), index, expiredAt, clock.now());
            }
        } catch (RuntimeException e) {
            // the partition is gone (closed backend) or refused the delivery: stop rather than fail every period
            LOG.log(System.Logger.Level.WARNING, "STIMER" + index + " of vCPU " + vp + ": expiry not delivered, timer stopped", e);
            cancel();
        }
    }

    synchronized TimerSnapshot save() {
        return new TimerSnapshot(config, count, deadline);
    }

    /** Replaces the state; an armed timer continues towards its saved deadline (the reference time is continuous). */
    synchronized void restore(TimerSnapshot s) {
        stop();
        config = s.config() & WRITABLE;
        count = s.count();
        if ((config & ENABLE) != 0 && s.deadline() != TimerSnapshot.DISARMED && count != 0) {
            arm(s.deadline());
        }
    }

    /** Stops the timer for good (partition closing). */
    synchronized void cancel() {
        stop();
    }
}

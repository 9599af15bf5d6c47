package dev.partita.emulator.platform;

import dev.partita.emulator.system.TscClock;

/**
 * The local APIC timer: one-shot, periodic and TSC-deadline modes, counting the 1 GHz APIC bus
 * clock (what KVM and QEMU present: one tick per nanosecond) through the divide configuration.
 * Deadlines are clock times compared at {@link #expire}; nothing runs in the background.
 *
 * <p>Threading: not thread-safe; the owning {@link LocalApic} calls it under its lock.
 */
final class ApicTimer {

    static final int ONE_SHOT = 0;
    static final int PERIODIC = 1;
    static final int TSC_DEADLINE = 2;

    /** Nanoseconds per bus clock tick (1 GHz). */
    static final long BUS_NANOS = 1;

    /** Saved state: times are relative to the moment of saving. */
    record State(int mode, int initialCount, int divideConfig, long sinceStartNanos, long untilDeadlineNanos,
                 long tscDeadline) {
    }

    private final PlatformClock clock;
    private final TscClock tsc;
    private int mode;
    private int initialCount;
    private int divideConfig;
    private long startNanos;
    /** Clock time of the next expiry, or {@link Long#MAX_VALUE} when disarmed. */
    private long deadline = Long.MAX_VALUE;
    private long tscDeadline;

    ApicTimer(PlatformClock clock, TscClock tsc) {
        this.clock = clock;
        this.tsc = tsc;
    }

    /** The divisor selected by the divide configuration register (bits 0, 1 and 3). */
    long divisor() {
        int code = (divideConfig & 3) | ((divideConfig >>> 1) & 4);
        return code == 7 ? 1 : 2L << code;
    }

    private long periodNanos() {
        return (initialCount & 0xFFFF_FFFFL) * divisor() * BUS_NANOS;
    }

    /** LVT timer mode field written; a mode change disarms the timer (as KVM does). */
    void setMode(int newMode) {
        if (newMode != mode) {
            mode = newMode;
            initialCount = 0;
            tscDeadline = 0;
            deadline = Long.MAX_VALUE;
        }
    }

    int mode() {
        return mode;
    }

    /** Divide configuration written; a running count continues from its current value at the new rate. */
    void setDivideConfig(int value) {
        int running = mode != TSC_DEADLINE && deadline != Long.MAX_VALUE ? currentCount() : -1;
        divideConfig = value & 0xB;
        if (running > 0) {
            resume(initialCount, running);
        }
    }

    int divideConfig() {
        return divideConfig;
    }

    /** Initial-count register written (ignored in TSC-deadline mode); 0 stops the timer. */
    void setInitialCount(int count) {
        if (mode == TSC_DEADLINE) {
            return;
        }
        initialCount = count;
        startNanos = clock.nanoTime();
        deadline = count == 0 ? Long.MAX_VALUE : TickMath.saturatingAdd(startNanos, periodNanos());
    }

    int initialCount() {
        return mode == TSC_DEADLINE ? 0 : initialCount;
    }

    /** The current-count register. */
    int currentCount() {
        if (mode == TSC_DEADLINE || initialCount == 0) {
            return 0;
        }
        long ticks = (clock.nanoTime() - startNanos) / (divisor() * BUS_NANOS);
        long initial = initialCount & 0xFFFF_FFFFL;
        if (mode == PERIODIC) {
            return (int) (initial - ticks % initial);
        }
        return ticks >= initial ? 0 : (int) (initial - ticks);
    }

    /** IA32_TSC_DEADLINE written: arms (or with 0 disarms) the timer in TSC-deadline mode; ignored otherwise. */
    void setTscDeadline(long value) {
        if (mode != TSC_DEADLINE) {
            return;
        }
        tscDeadline = value;
        if (value == 0) {
            deadline = Long.MAX_VALUE;
            return;
        }
        long now = clock.nanoTime();
        long tscNow = tsc.ticksAt(now);
        if (Long.compareUnsigned(value, tscNow) <= 0) {
            deadline = now; // already passed: fires at the next check
            return;
        }
        long delta = value - tscNow; // the TSC is an unsigned 64-bit count
        deadline = delta < 0 ? Long.MAX_VALUE - 1 : TickMath.saturatingAdd(now, TickMath.nanosFor(delta, tsc.hz()));
    }

    long tscDeadline() {
        return mode == TSC_DEADLINE ? tscDeadline : 0;
    }

    /** Returns true (once per expiry) when the deadline has passed, re-arming a periodic timer. */
    boolean expire(long now) {
        if (now < deadline) {
            return false;
        }
        switch (mode) {
            case PERIODIC -> {
                long period = periodNanos();
                long missed = (now - deadline) / period;
                deadline = TickMath.saturatingAdd(deadline, (missed + 1) * period);
            }
            case TSC_DEADLINE -> {
                tscDeadline = 0;
                deadline = Long.MAX_VALUE;
            }
            default -> deadline = Long.MAX_VALUE;
        }
        return true;
    }

    /** Clock time of the next expiry, or {@link Long#MAX_VALUE}. */
    long deadline() {
        return deadline;
    }

    /**
     * Re-creates a running count from a saved register page (initial and current count): the
     * timer continues from {@code current} as if it had counted down from {@code initial}.
     */
    void resume(int initial, int current) {
        if (mode == TSC_DEADLINE) {
            return;
        }
        long now = clock.nanoTime();
        initialCount = initial;
        long init = initial & 0xFFFF_FFFFL;
        long cur = current & 0xFFFF_FFFFL;
        if (init == 0 || (cur == 0 && mode == ONE_SHOT) || cur > init) {
            deadline = Long.MAX_VALUE;
            startNanos = now;
            return;
        }
        long done = init - cur;
        startNanos = now - done * divisor() * BUS_NANOS;
        deadline = TickMath.saturatingAdd(now, cur * divisor() * BUS_NANOS);
    }

    void reset() {
        mode = ONE_SHOT;
        initialCount = 0;
        divideConfig = 0;
        tscDeadline = 0;
        deadline = Long.MAX_VALUE;
    }

    State save() {
        long now = clock.nanoTime();
        return new State(mode, initialCount, divideConfig, now - startNanos,
                deadline == Long.MAX_VALUE ? -1 : Math.max(0, deadline - now), tscDeadline);
    }

    void restore(State s) {
        if (s.mode() < 0 || s.mode() > 2) {
            throw new IllegalArgumentException("APIC timer restore: mode " + s.mode() + " outside 0..2");
        }
        if (s.mode() != TSC_DEADLINE && s.initialCount() == 0 && s.untilDeadlineNanos() >= 0) {
            // Writing initial count 0 stops the timer; an armed count-0 timer would have a period of 0.
            throw new IllegalArgumentException("APIC timer restore: armed with initial count 0");
        }
        long now = clock.nanoTime();
        mode = s.mode();
        initialCount = s.initialCount();
        divideConfig = s.divideConfig() & 0xB;
        startNanos = now - s.sinceStartNanos();
        deadline = s.untilDeadlineNanos() < 0 ? Long.MAX_VALUE : TickMath.saturatingAdd(now, s.untilDeadlineNanos());
        tscDeadline = s.tscDeadline();
    }
}

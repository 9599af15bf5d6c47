package dev.partita.hv.hyperv;

import dev.partita.hv.spi.GuestTsc;

import java.math.BigInteger;

/**
 * The partition reference time behind TIME_REF_COUNT, the reference TSC page and the synthetic
 * timers: 100 ns units, starting at 0 when the Hyper-V interface is attached and continued across
 * save/restore.
 *
 * <p>Two sources. With a {@link GuestTsc} the time is computed from the guest's own TSC exactly
 * as the guest computes it from the reference TSC page: {@code (tsc * scale) >> 64 + offset},
 * with {@code scale = 10^7 * 2^64 / hz}. TIME_REF_COUNT, the page and the timers then agree with
 * every RDTSC the guest executes. Without one (a backend whose guest TSC the host cannot read)
 * the host's monotonic clock is used and no page is offered.
 *
 * <p>Both sources advance one unit per 100 ns of host time (the emulator's TSC is host time
 * scaled to a fixed frequency), which {@link #nanosUntil} relies on to turn a reference time into
 * a host delay.
 *
 * <p>Thread-safe: the offset is a volatile field replaced only by {@link #resumeAt}.
 */
final class ReferenceClock {
    /** Reference time units per second (100 ns). */
    static final long UNITS_PER_SECOND = 10_000_000L;
    private static final long NANOS_PER_UNIT = 100;

    private final GuestTsc tsc;
    private final long scale;
    private final long hostBaseNanos;
    private volatile long offset;

    private ReferenceClock(GuestTsc tsc) {
        this.tsc = tsc;
        this.hostBaseNanos = System.nanoTime();
        if (tsc != null) {
            long hz = tsc.hz();
            if (hz <= UNITS_PER_SECOND) {
                throw new IllegalArgumentException("a TSC of " + hz + " Hz is too slow for a reference TSC page");
            }
            this.scale = BigInteger.valueOf(UNITS_PER_SECOND).shiftLeft(64).divide(BigInteger.valueOf(hz)).longValue();
        } else {
            this.scale = 0;
        }
        resumeAt(0);
    }

    /** A clock computed from the host's monotonic clock (no reference TSC page). */
    static ReferenceClock hostClock() {
        return new ReferenceClock(null);
    }

    /** A clock computed from the guest's TSC (the reference TSC page can be offered). */
    static ReferenceClock fromTsc(GuestTsc tsc) {
        return new ReferenceClock(java.util.Objects.requireNonNull(tsc, "tsc"));
    }

    /** Whether this clock follows the guest TSC (so the reference TSC page can describe it). */
    boolean tscBased() {
        return tsc != null;
    }

    /** The page's scale: reference units per TSC tick as a 0.64 fixed-point fraction (0 without a TSC). */
    long tscScale() {
        return scale;
    }

    /** The page's offset, added to the scaled TSC. */
    long tscOffset() {
        return offset;
    }

    /** The current count, 100 ns units. */
    long now() {
        return tsc != null ? Math.unsignedMultiplyHigh(tsc.read(), scale) + offset : offset + (System.nanoTime() - hostBaseNanos) / NANOS_PER_UNIT;
    }

    /** Host nanoseconds from now until the count reaches {@code count}: negative or 0 when it has. */
    long nanosUntil(long count) {
        long units = count - now();
        if (units > Long.MAX_VALUE / NANOS_PER_UNIT) {
            return Long.MAX_VALUE;
        }
        return units < Long.MIN_VALUE / NANOS_PER_UNIT ? Long.MIN_VALUE : units * NANOS_PER_UNIT;
    }

    /** Continues counting from {@code count} (attach, restore): the offset is chosen so that {@link #now()} is {@code count}. */
    synchronized void resumeAt(long count) {
        if (tsc != null) {
            this.offset = count - Math.unsignedMultiplyHigh(tsc.read(), scale);
        } else {
            this.offset = count - (System.nanoTime() - hostBaseNanos) / NANOS_PER_UNIT;
        }
    }
}

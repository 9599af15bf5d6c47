package dev.partita.emulator.platform;

/**
 * Exact conversions between nanoseconds and counts of a fixed-frequency clock (the 8254's
 * 1.193182 MHz input, the TSC), split into whole seconds so that hours of run time never
 * overflow a {@code long}. Stateless.
 */
final class TickMath {

    static final long NANOS_PER_SECOND = 1_000_000_000L;

    private TickMath() {
    }

    /** Whole ticks of a {@code hz} clock in {@code nanos} (>= 0) nanoseconds, rounded down. */
    static long ticksIn(long nanos, long hz) {
        long seconds = nanos / NANOS_PER_SECOND;
        long rest = nanos % NANOS_PER_SECOND;
        return seconds * hz + rest * hz / NANOS_PER_SECOND;
    }

    /** Nanoseconds until a {@code hz} clock has counted {@code ticks} (>= 0) ticks, rounded up. */
    static long nanosFor(long ticks, long hz) {
        long seconds = ticks / hz;
        long rest = ticks % hz;
        return saturatingAdd(seconds > Long.MAX_VALUE / NANOS_PER_SECOND ? Long.MAX_VALUE : seconds * NANOS_PER_SECOND,
                (rest * NANOS_PER_SECOND + hz - 1) / hz);
    }

    static long saturatingAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }
}

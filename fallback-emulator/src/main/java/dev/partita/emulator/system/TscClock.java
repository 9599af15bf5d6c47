package dev.partita.emulator.system;

/**
 * The virtual time-stamp counter: host {@link System#nanoTime()} scaled to a fixed advertised
 * frequency, so the guest sees a constant-rate, invariant TSC regardless of how fast it is
 * emulated. Immutable; safe to share between the vCPUs of a partition (they then agree on TSC).
 */
public final class TscClock {

    /** Default advertised frequency: 2 GHz. */
    public static final long DEFAULT_HZ = 2_000_000_000L;

    private final long hz;
    private final long originNanos;

    public TscClock(long hz) {
        if (hz <= 0 || hz > 9_000_000_000L) {
            throw new IllegalArgumentException("TSC frequency out of range: " + hz);
        }
        this.hz = hz;
        this.originNanos = System.nanoTime();
    }

    /** Advertised frequency in Hz. */
    public long hz() {
        return hz;
    }

    /** Ticks since the clock was created. */
    public long ticks() {
        return ticksAt(System.nanoTime());
    }

    /** Ticks at a given {@link System#nanoTime()} value (exact integer scaling, no overflow for centuries). */
    public long ticksAt(long nanoTime) {
        long elapsed = nanoTime - originNanos;
        long seconds = Math.floorDiv(elapsed, 1_000_000_000L);
        long rest = Math.floorMod(elapsed, 1_000_000_000L);
        return seconds * hz + rest * hz / 1_000_000_000L;
    }
}

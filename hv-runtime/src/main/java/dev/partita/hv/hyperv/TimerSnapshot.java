package dev.partita.hv.hyperv;

/**
 * One synthetic timer's saved state (part of {@link HyperVState}).
 *
 * @param config   STIMERn_CONFIG
 * @param count    STIMERn_COUNT (absolute expiry for one-shot, period for periodic; 100 ns units)
 * @param deadline the reference time of the next expiry, or {@link #DISARMED}
 */
public record TimerSnapshot(long config, long count, long deadline) {
    /** {@link #deadline()} of a timer that is not counting. */
    public static final long DISARMED = -1;

    /** A timer that was never programmed. */
    public static final TimerSnapshot IDLE = new TimerSnapshot(0, 0, DISARMED);
}

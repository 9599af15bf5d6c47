package dev.partita.hv.hyperv;

/**
 * The partition reference time behind TIME_REF_COUNT: 100 ns units since the partition's Hyper-V
 * interface was attached, from the host's monotonic clock, continued across save/restore.
 *
 * <p>Thread-safe (the offset is replaced atomically through a volatile field).
 */
final class ReferenceClock {
    private volatile long baseNanos;
    private volatile long offset100ns;

    ReferenceClock() {
        this.baseNanos = System.nanoTime();
    }

    /** The current count, 100 ns units. */
    long now() {
        return offset100ns + (System.nanoTime() - baseNanos) / 100;
    }

    /** Continues counting from {@code count} (restore). */
    synchronized void resumeAt(long count) {
        this.baseNanos = System.nanoTime();
        this.offset100ns = count;
    }
}

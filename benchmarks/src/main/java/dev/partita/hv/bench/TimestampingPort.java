package dev.partita.hv.bench;

import dev.partita.hv.bus.PortIoDevice;

/**
 * A port device that counts accesses and remembers the time of the first and the last one, so
 * the time per exit is measured between exits exactly as the C reference measures it. Called only
 * on the single vCPU thread of a benchmark partition; read after the partition ended (the
 * partition's end hand-off orders the plain fields).
 *
 * <p>It also samples the vCPU thread's CPU time (user + system, which includes the kernel's work
 * inside KVM_RUN) at the first access and at access number {@code expected}, like the C reference,
 * so time spent waiting for a busy host's cores is left out of that figure.
 */
final class TimestampingPort implements PortIoDevice {
    private final long expected;
    private long count;
    private long first;
    private long last;
    private long cpuFirst;
    private long cpuLast;

    TimestampingPort(long expected) {
        this.expected = expected;
    }

    @Override
    public int read(int offset, int size) {
        stamp();
        return -1;
    }

    @Override
    public void write(int offset, int size, int value) {
        stamp();
    }

    private void stamp() {
        long t = System.nanoTime();
        if (count == 0) {
            first = t;
            cpuFirst = ThreadCpuClock.nanos();
        }
        last = t;
        count++;
        if (count == expected) {
            cpuLast = ThreadCpuClock.nanos();
        }
    }

    long count() {
        return count;
    }

    /** Nanoseconds per exit between the first and the last, or NaN with fewer than two. */
    double nsPerExit() {
        return count < 2 ? Double.NaN : (double) (last - first) / (count - 1);
    }

    /** CPU nanoseconds of the vCPU thread per exit, or NaN unless exactly {@code expected} exits were seen. */
    double cpuNsPerExit() {
        return count < 2 || count != expected ? Double.NaN : (double) (cpuLast - cpuFirst) / (count - 1);
    }
}

package dev.partita.hv.bench;

import dev.partita.hv.bus.PortIoDevice;

/**
 * A port device that counts accesses and remembers the time of the first and the last one, so
 * the time per exit is measured between exits exactly as the C reference measures it. Called only
 * on the single vCPU thread of a benchmark partition; read after the partition ended (the
 * partition's end hand-off orders the plain fields).
 */
final class TimestampingPort implements PortIoDevice {
    private long count;
    private long first;
    private long last;

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
        }
        last = t;
        count++;
    }

    long count() {
        return count;
    }

    /** Nanoseconds per exit between the first and the last, or NaN with fewer than two. */
    double nsPerExit() {
        return count < 2 ? Double.NaN : (double) (last - first) / (count - 1);
    }
}

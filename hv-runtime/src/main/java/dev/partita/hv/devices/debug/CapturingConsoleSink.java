package dev.partita.hv.devices.debug;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A {@link ConsoleSink} that keeps what the guest printed (up to a cap, so a flooding guest cannot
 * exhaust the heap). Thread-safe.
 */
public final class CapturingConsoleSink implements ConsoleSink {
    private final int capacity;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private long dropped;

    /** Keeps at most {@code capacity} bytes; later bytes are counted and dropped. */
    public CapturingConsoleSink(int capacity) {
        this.capacity = capacity;
    }

    public CapturingConsoleSink() {
        this(1 << 20);
    }

    @Override
    public synchronized void write(int b) {
        if (bytes.size() < capacity) {
            bytes.write(b);
        } else {
            dropped++;
        }
    }

    /** What was captured, as ISO-8859-1 text (bytes map 1:1 to chars). */
    public synchronized String text() {
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }

    /** Bytes dropped because the cap was reached. */
    public synchronized long dropped() {
        return dropped;
    }
}

package dev.partita.guests;

import dev.partita.hv.devices.debug.CapturingConsoleSink;
import dev.partita.hv.devices.debug.ConsoleSink;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A console sink that captures the guest's output (like {@link CapturingConsoleSink}) and records
 * the host time ({@link System#nanoTime()}) at which each complete line first arrived, so a test can
 * time the guest's phases without trusting the guest's clock. Written from the vCPU thread, read
 * from any thread (synchronized).
 */
final class TimestampedConsole implements ConsoleSink {
    private final CapturingConsoleSink text;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final Map<String, Long> firstSeen = new ConcurrentHashMap<>();

    TimestampedConsole(int capacity) {
        this.text = new CapturingConsoleSink(capacity);
    }

    @Override
    public synchronized void write(int b) {
        text.write(b);
        if (b == '\n') {
            firstSeen.putIfAbsent(line.toString(StandardCharsets.ISO_8859_1), System.nanoTime());
            line.reset();
        } else if (line.size() < 256) {
            line.write(b);
        }
    }

    synchronized String text() {
        return text.text();
    }

    /** When the first line starting with {@code prefix} was completed. */
    Optional<Long> lineTime(String prefix) {
        return firstSeen.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .map(Map.Entry::getValue).min(Long::compare);
    }
}

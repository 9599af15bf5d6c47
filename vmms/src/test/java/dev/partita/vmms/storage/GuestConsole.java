package dev.partita.vmms.storage;

import dev.partita.hv.devices.debug.ConsoleSink;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/** The guest's COM1 text as it arrives (ConsoleSink, or lines from a child process), with waits for markers. */
final class GuestConsole implements ConsoleSink {
    private final StringBuilder text = new StringBuilder();
    private final boolean echo;

    /** @param echo also copy the console to this process's stdout (test logs) */
    GuestConsole(boolean echo) {
        this.echo = echo;
    }

    @Override
    public void write(int b) {
        synchronized (this) {
            if (b != '\r') {
                text.append((char) (b & 0xFF));
            }
            notifyAll();
        }
        if (echo) {
            System.out.write(b);
            if (b == '\n') {
                System.out.flush();
            }
        }
    }

    /** Everything so far. */
    synchronized String text() {
        return text.toString();
    }

    /**
     * Waits until the console holds {@code marker} at the start of a line (so the echoed command line, which
     * holds the marker too, does not count), or {@code stop} is true.
     *
     * @throws TimeoutException with the console's tail when it does not appear in time
     */
    synchronized boolean awaitLine(String marker, Duration timeout, BooleanSupplier stop) throws TimeoutException, InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!hasLine(marker)) {
            if (stop.getAsBoolean()) {
                return false;
            }
            long left = end - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException("no line starting with '" + marker + "' within " + timeout + "; console tail:\n" + tail(3000));
            }
            wait(Math.min(200, Math.max(1, left / 1_000_000)));
        }
        return true;
    }

    synchronized boolean hasLine(String marker) {
        return text.indexOf("\n" + marker) >= 0;
    }

    /** The value after {@code key=} on the first line starting with it, or null. */
    synchronized String value(String key) {
        int i = text.indexOf("\n" + key + "=");
        if (i < 0) {
            return null;
        }
        int start = i + key.length() + 2;
        int end = text.indexOf("\n", start);
        return end < 0 ? null : text.substring(start, end).strip();
    }

    synchronized String tail(int chars) {
        return text.substring(Math.max(0, text.length() - chars));
    }
}

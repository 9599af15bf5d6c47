package dev.partita.hv.devices.debug;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Where the debug console's characters go. Called on the writing virtual processor's thread.
 */
@FunctionalInterface
public interface ConsoleSink {
    /** One byte the guest wrote (0-255). */
    void write(int b);

    /** A sink that writes each byte to {@code out} and flushes at newlines. */
    static ConsoleSink of(OutputStream out) {
        return b -> {
            try {
                synchronized (out) {
                    out.write(b);
                    if (b == '\n') {
                        out.flush();
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("debug console output failed", e);
            }
        };
    }

    /** A sink that drops everything. */
    static ConsoleSink discard() {
        return b -> { };
    }
}

package dev.partita.hv.devices.debug;

import dev.partita.hv.bus.PortIoDevice;

import java.util.Objects;

/**
 * The debug console at port 0xE9 (guests/README.md): each OUT sends its low byte to the sink
 * (wider OUTs send only the low byte). IN returns 0xE9, the value by which guests detect it.
 * Thread-safe as far as its sink is.
 */
public final class DebugConsoleDevice implements PortIoDevice {
    /** The port. */
    public static final int PORT = 0xE9;

    private final ConsoleSink sink;

    public DebugConsoleDevice(ConsoleSink sink) {
        this.sink = Objects.requireNonNull(sink);
    }

    @Override
    public int read(int offset, int size) {
        return PORT;
    }

    @Override
    public void write(int offset, int size, int value) {
        sink.write(value & 0xFF);
    }
}

package dev.partita.hv.devices.debug;

import dev.partita.hv.bus.PortIoDevice;

import java.util.Objects;
import java.util.function.IntConsumer;

/**
 * The debug exit device at port 0xF4 (guests/README.md): an OUT of 8, 16 or 32 bits ends the
 * guest with exit code {@code value & 0xFF}. IN reads all ones. The callback runs on the writing
 * processor's thread; {@link dev.partita.hv.Partition#exit(int)} is the usual one.
 */
public final class DebugExitDevice implements PortIoDevice {
    /** The port. */
    public static final int PORT = 0xF4;

    private final IntConsumer onExit;

    public DebugExitDevice(IntConsumer onExit) {
        this.onExit = Objects.requireNonNull(onExit);
    }

    @Override
    public int read(int offset, int size) {
        return -1;
    }

    @Override
    public void write(int offset, int size, int value) {
        onExit.accept(value & 0xFF);
    }
}

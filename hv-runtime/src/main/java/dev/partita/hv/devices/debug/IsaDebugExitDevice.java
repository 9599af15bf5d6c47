package dev.partita.hv.devices.debug;

import dev.partita.hv.bus.PortIoDevice;

import java.util.Objects;
import java.util.function.IntConsumer;

/**
 * An exit device with QEMU's {@code isa-debug-exit} convention, for test kernels built for QEMU
 * ({@code -device isa-debug-exit,iobase=0xf4,iosize=0x04}): an OUT of 8, 16 or 32 bits of {@code value}
 * to ports 0xF4-0xF7 ends the run with exit status {@code (value << 1) | 1}, truncated to the 8 bits a
 * process exit status has (so a guest can never report 0, and value 0 gives 1). IN reads all ones. The
 * callback runs on the writing processor's thread.
 */
public final class IsaDebugExitDevice implements PortIoDevice {
    /** The first port. */
    public static final int PORT = 0xF4;
    /** Ports claimed (QEMU's iosize=0x04). */
    public static final int PORT_COUNT = 4;

    private final IntConsumer onExit;

    public IsaDebugExitDevice(IntConsumer onExit) {
        this.onExit = Objects.requireNonNull(onExit);
    }

    /** The exit status for a written {@code value} of {@code size} bytes. */
    public static int exitStatus(int value, int size) {
        int v = size == 4 ? value : value & ((1 << (size * 8)) - 1);
        return ((v << 1) | 1) & 0xFF;
    }

    @Override
    public int read(int offset, int size) {
        return -1;
    }

    @Override
    public void write(int offset, int size, int value) {
        onExit.accept(exitStatus(value, size));
    }
}

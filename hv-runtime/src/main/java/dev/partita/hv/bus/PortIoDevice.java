package dev.partita.hv.bus;

/**
 * A device on the port I/O bus. It sees offsets within its own range, never absolute ports.
 *
 * <p>Threads: called on the thread of whichever virtual processor made the access, possibly
 * several at once; the device synchronizes its own state.
 */
public interface PortIoDevice {
    /**
     * An IN of {@code size} bytes (1, 2 or 4) at {@code offset}; the low {@code size} bytes of the
     * result are used.
     */
    int read(int offset, int size);

    /** An OUT of the low {@code size} bytes (1, 2 or 4) of {@code value} at {@code offset}. */
    void write(int offset, int size, int value);
}

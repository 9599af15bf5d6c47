package dev.partita.hv.bus;

/**
 * A device on the memory-mapped I/O bus. It sees offsets within its own range, never absolute
 * guest-physical addresses.
 *
 * <p>Threads: called on the thread of whichever virtual processor made the access, possibly
 * several at once; the device synchronizes its own state.
 */
public interface MmioDevice {
    /** A read of {@code size} bytes (1, 2, 4 or 8); the low {@code size} bytes of the result are used. */
    long read(long offset, int size);

    /** A write of the low {@code size} bytes (1, 2, 4 or 8) of {@code value}. */
    void write(long offset, int size, long value);
}

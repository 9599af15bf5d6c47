package dev.partita.devices.pci;

/**
 * One PCI function's configuration space as the bus sees it: 4 KiB, of which the first 256 bytes are
 * reachable through configuration mechanism #1. Offsets are naturally aligned for their size.
 *
 * <p>Threads: called on the thread of whichever virtual processor made the access, possibly several at
 * once; an implementation synchronizes its own state.
 */
public interface PciFunction {
    /** Bytes of configuration space per function (PCI Express extended space). */
    int CONFIG_SPACE_SIZE = 4096;

    /** Reads {@code size} (1, 2 or 4) bytes at {@code offset}, little-endian in the low bytes of the result. */
    int readConfig(int offset, int size);

    /** Writes the low {@code size} (1, 2 or 4) bytes of {@code value} at {@code offset}; read-only bits keep their value. */
    void writeConfig(int offset, int size, int value);
}

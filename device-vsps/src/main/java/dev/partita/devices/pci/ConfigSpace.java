package dev.partita.devices.pci;

/**
 * The 4 KiB of one function's configuration space with a write mask per byte: a guest write changes
 * only the bits its mask allows, everything else is read-only. An access of any alignment is served a
 * byte at a time; bytes past the end of the space read as 0xFF and ignore writes.
 *
 * <p>Threads: guarded by this object's monitor.
 */
public final class ConfigSpace {
    private final byte[] bytes = new byte[PciFunction.CONFIG_SPACE_SIZE];
    private final byte[] writable = new byte[PciFunction.CONFIG_SPACE_SIZE];

    /** Sets the initial value of {@code size} bytes at {@code offset} (composition time; bypasses the mask). */
    public synchronized ConfigSpace init(int offset, int size, int value) {
        for (int i = 0; i < size; i++) {
            bytes[offset + i] = (byte) (value >>> (8 * i));
        }
        return this;
    }

    /** Lets the guest change the bits of {@code mask} in the {@code size} bytes at {@code offset}. */
    public synchronized ConfigSpace writableBits(int offset, int size, int mask) {
        for (int i = 0; i < size; i++) {
            writable[offset + i] = (byte) (mask >>> (8 * i));
        }
        return this;
    }

    /** Reads {@code size} (1-4) bytes at {@code offset}, little-endian. */
    public synchronized int read(int offset, int size) {
        int v = 0;
        for (int i = 0; i < size; i++) {
            int at = offset + i;
            int b = at >= 0 && at < bytes.length ? bytes[at] & 0xFF : 0xFF;
            v |= b << (8 * i);
        }
        return v;
    }

    /** Writes the low {@code size} (1-4) bytes of {@code value} at {@code offset} through the write mask. */
    public synchronized void write(int offset, int size, int value) {
        for (int i = 0; i < size; i++) {
            int at = offset + i;
            if (at < 0 || at >= bytes.length) {
                continue;
            }
            int mask = writable[at];
            bytes[at] = (byte) ((bytes[at] & ~mask) | ((value >>> (8 * i)) & mask));
        }
    }
}

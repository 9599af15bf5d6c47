package dev.partita.devices.pci;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The functions of PCI segment 0, found by address. A configuration access to an address with no
 * function reads all ones (vendor ID 0xFFFF, which is how software sees an empty slot) and writes are
 * dropped, as on real hardware.
 *
 * <p>Threads: {@link #add} at composition time; {@link #read}/{@link #write} from any virtual processor
 * thread, concurrently.
 */
public final class PciBus {
    private final Map<PciAddress, PciFunction> functions = new ConcurrentHashMap<>();

    /**
     * Places {@code function} at {@code address}.
     *
     * @throws IllegalArgumentException when the address is taken
     */
    public void add(PciAddress address, PciFunction function) {
        if (functions.putIfAbsent(address, function) != null) {
            throw new IllegalArgumentException("PCI address " + address + " is taken");
        }
    }

    /**
     * A configuration read of {@code size} (1, 2, 4) bytes at {@code offset} (0-4095, aligned to
     * {@code size}) of the function at {@code address}; all ones when there is none.
     */
    public int read(PciAddress address, int offset, int size) {
        PciFunction f = functions.get(address);
        if (f == null) {
            return size == 4 ? -1 : (1 << (size * 8)) - 1;
        }
        return f.readConfig(offset, size);
    }

    /** A configuration write; see {@link #read}. Dropped when no function is at {@code address}. */
    public void write(PciAddress address, int offset, int size, int value) {
        PciFunction f = functions.get(address);
        if (f != null) {
            f.writeConfig(offset, size, value);
        }
    }
}

package dev.partita.hv.bus;

/**
 * The port I/O bus of one partition (ports 0-0xFFFF). Devices register a port range; an access
 * goes to the device whose range holds all of its bytes, with the offset relative to the range
 * base. An access no device claims reads all ones and writes are dropped; the first such access
 * to each port is logged.
 *
 * <p>Threads: {@link #read}/{@link #write} are called concurrently by all virtual processors and
 * take no lock; {@link #register}/{@link #unregister} may run at any time from any thread and
 * become visible to later accesses (volatile publication of a copied table).
 */
public final class IoBus {
    private final RangeTable<PortIoDevice> table = new RangeTable<>("io");

    /**
     * Attaches {@code device} at ports {@code [base, base + length)}.
     *
     * @throws BusConflictException     when the range overlaps a registered device
     * @throws IllegalArgumentException when the range leaves 0-0xFFFF
     */
    public void register(int base, int length, PortIoDevice device, String name) {
        AddressRange range = new AddressRange(base, length);
        if (range.end() > 0x10000) {
            throw new IllegalArgumentException("io: " + name + " range " + range + " exceeds port 0xFFFF");
        }
        table.add(range, device, name);
    }

    /** Detaches every range of {@code device}; returns whether it was registered. */
    public boolean unregister(PortIoDevice device) {
        return table.remove(device);
    }

    /** An IN of {@code size} (1, 2, 4) bytes at {@code port}; all ones when unclaimed. */
    public int read(int port, int size) {
        RangeTable.Entry<PortIoDevice> e = table.find(port, size);
        if (e == null) {
            table.unclaimed("read", port, size);
            return allOnes(size);
        }
        return e.device().read((int) (port - e.range().base()), size);
    }

    /** An OUT of the low {@code size} bytes of {@code value} at {@code port}; dropped when unclaimed. */
    public void write(int port, int size, int value) {
        RangeTable.Entry<PortIoDevice> e = table.find(port, size);
        if (e == null) {
            table.unclaimed("write", port, size);
            return;
        }
        e.device().write((int) (port - e.range().base()), size, value);
    }

    /** Number of distinct ports that saw an unclaimed access (capped at a small number). */
    public int unclaimedPorts() {
        return table.unclaimedAddresses();
    }

    static int allOnes(int size) {
        return size >= 4 ? -1 : (1 << (size * 8)) - 1;
    }
}

package dev.partita.hv.bus;

import java.util.List;

/**
 * The memory-mapped I/O bus of one partition: guest-physical ranges that are not RAM. Devices
 * register a range; an access goes to the device whose range holds all of its bytes, with the
 * offset relative to the range base. An access no device claims reads all ones and writes are
 * dropped; the first such access to each address is logged.
 *
 * <p>Threads: {@link #read}/{@link #write} are called concurrently by all virtual processors and
 * take no lock; {@link #register}/{@link #unregister} may run at any time from any thread and
 * become visible to later accesses (volatile publication of a copied table).
 */
public final class MmioBus {
    private final RangeTable<MmioDevice> table = new RangeTable<>("mmio");
    private final List<AddressRange> ram;

    /** A bus with no RAM to keep clear of. */
    public MmioBus() {
        this(List.of());
    }

    /**
     * A bus that refuses devices overlapping {@code ram} (accesses to RAM never reach the bus, so
     * such a device would silently see nothing).
     */
    public MmioBus(List<AddressRange> ram) {
        this.ram = List.copyOf(ram);
    }

    /**
     * Attaches {@code device} at guest-physical {@code [base, base + length)}.
     *
     * @throws BusConflictException     when the range overlaps a registered device
     * @throws IllegalArgumentException when the range overlaps guest RAM
     */
    public void register(long base, long length, MmioDevice device, String name) {
        AddressRange range = new AddressRange(base, length);
        for (AddressRange r : ram) {
            if (r.overlaps(range)) {
                throw new IllegalArgumentException("mmio: cannot register " + name + " at " + range + ": overlaps guest RAM " + r);
            }
        }
        table.add(range, device, name);
    }

    /** Detaches every range of {@code device}; returns whether it was registered. */
    public boolean unregister(MmioDevice device) {
        return table.remove(device);
    }

    /** A read of {@code size} (1, 2, 4, 8) bytes at {@code gpa}; all ones when unclaimed. */
    public long read(long gpa, int size) {
        RangeTable.Entry<MmioDevice> e = table.find(gpa, size);
        if (e == null) {
            table.unclaimed("read", gpa, size);
            return size >= 8 ? -1L : (1L << (size * 8)) - 1;
        }
        return e.device().read(gpa - e.range().base(), size);
    }

    /** A write of the low {@code size} bytes of {@code value} at {@code gpa}; dropped when unclaimed. */
    public void write(long gpa, int size, long value) {
        RangeTable.Entry<MmioDevice> e = table.find(gpa, size);
        if (e == null) {
            table.unclaimed("write", gpa, size);
            return;
        }
        e.device().write(gpa - e.range().base(), size, value);
    }

    /** Number of distinct addresses that saw an unclaimed access (capped at a small number). */
    public int unclaimedAddresses() {
        return table.unclaimedAddresses();
    }
}

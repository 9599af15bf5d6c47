package dev.partita.hv.bus;

/**
 * A half-open range {@code [base, base + length)} of ports or guest-physical addresses.
 *
 * @param base   first address
 * @param length number of addresses, at least 1
 */
public record AddressRange(long base, long length) {
    public AddressRange {
        if (length <= 0) {
            throw new IllegalArgumentException("address range length must be positive: " + length);
        }
        if (base < 0 || base + length < base) {
            throw new IllegalArgumentException("address range 0x" + Long.toHexString(base) + "+" + length + " is out of bounds");
        }
    }

    /** First address after the range. */
    public long end() {
        return base + length;
    }

    /** Whether {@code [address, address + size)} lies inside the range. */
    public boolean contains(long address, long size) {
        return address >= base && address - base <= length - size;
    }

    /** Whether the two ranges share an address. */
    public boolean overlaps(AddressRange other) {
        return base < other.end() && other.base < end();
    }

    @Override
    public String toString() {
        return "[0x" + Long.toHexString(base) + "-0x" + Long.toHexString(end() - 1) + "]";
    }
}

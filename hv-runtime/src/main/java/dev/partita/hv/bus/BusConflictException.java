package dev.partita.hv.bus;

/** A device registration that would overlap a device already on the bus. */
public final class BusConflictException extends IllegalArgumentException {
    public BusConflictException(String bus, AddressRange wanted, String newDevice, AddressRange taken, String owner) {
        super(bus + ": cannot register " + newDevice + " at " + wanted + ": overlaps " + owner + " at " + taken);
    }
}

package dev.partita.hv.boot;

/**
 * One entry of the BIOS-style physical memory map (struct boot_e820_entry: addr u64, size u64, type u32).
 *
 * @param address first byte
 * @param size    length in bytes (positive)
 * @param type    {@link #RAM}, {@link #RESERVED}, {@link #ACPI}
 */
public record E820Entry(long address, long size, int type) {
    /** E820_TYPE_RAM. */
    public static final int RAM = 1;
    /** E820_TYPE_RESERVED. */
    public static final int RESERVED = 2;
    /** E820_TYPE_ACPI (reclaimable after the tables are read). */
    public static final int ACPI = 3;
    /** Bytes per entry in boot_params.e820_table and in the PVH memory map (the latter pads to 24). */
    public static final int BOOT_PARAMS_ENTRY_SIZE = 20;

    public E820Entry {
        if (size <= 0 || address < 0 || address + size < address) {
            throw new IllegalArgumentException("bad e820 range 0x" + Long.toHexString(address) + "+0x" + Long.toHexString(size));
        }
    }

    public long end() {
        return address + size;
    }

    @Override
    public String toString() {
        String t = switch (type) {
            case RAM -> "usable";
            case RESERVED -> "reserved";
            case ACPI -> "ACPI data";
            default -> "type " + type;
        };
        return String.format("[mem 0x%016x-0x%016x] %s", address, end() - 1, t);
    }
}

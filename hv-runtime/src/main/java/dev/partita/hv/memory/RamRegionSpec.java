package dev.partita.hv.memory;

/**
 * The request for one RAM region: where it sits in guest-physical space and how big it is.
 * Both values must be multiples of {@link GuestMemory#PAGE_SIZE}.
 *
 * @param gpa  guest-physical base address
 * @param size size in bytes
 */
public record RamRegionSpec(long gpa, long size) {
    public RamRegionSpec {
        if (gpa < 0 || (gpa & (GuestMemory.PAGE_SIZE - 1)) != 0) {
            throw new IllegalArgumentException("RAM region base 0x" + Long.toHexString(gpa) + " is not page aligned");
        }
        if (size <= 0 || (size & (GuestMemory.PAGE_SIZE - 1)) != 0) {
            throw new IllegalArgumentException("RAM region size " + size + " is not a positive multiple of the page size");
        }
        if (gpa + size < gpa) {
            throw new IllegalArgumentException("RAM region 0x" + Long.toHexString(gpa) + "+" + size + " wraps around");
        }
    }

    /** The first guest-physical address after the region. */
    public long end() {
        return gpa + size;
    }
}

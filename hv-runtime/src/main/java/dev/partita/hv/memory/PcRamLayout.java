package dev.partita.hv.memory;

import java.util.List;

/**
 * Where a partition's RAM goes in guest-physical space, as on a PC: from address 0 up to the 32-bit MMIO
 * hole at {@link #MMIO_HOLE_START}, and whatever does not fit below the hole from 4 GiB upwards. The hole
 * (0xD0000000-0xFFFFFFFF) holds the MMIO test device, the PCI configuration window, the I/O APIC and the
 * local APICs. Stateless.
 */
public final class PcRamLayout {
    /** First address of the 32-bit MMIO hole: RAM below 4 GiB ends here at the latest. */
    public static final long MMIO_HOLE_START = 0xD000_0000L;
    /** Where RAM above the hole starts. */
    public static final long HIGH_RAM_BASE = 1L << 32;

    private PcRamLayout() {}

    /** The regions for {@code bytes} of RAM (a positive page multiple): one below the hole, and one from 4 GiB when needed. */
    public static List<RamRegionSpec> regions(long bytes) {
        if (bytes <= MMIO_HOLE_START) {
            return List.of(new RamRegionSpec(0, bytes));
        }
        return List.of(new RamRegionSpec(0, MMIO_HOLE_START), new RamRegionSpec(HIGH_RAM_BASE, bytes - MMIO_HOLE_START));
    }
}

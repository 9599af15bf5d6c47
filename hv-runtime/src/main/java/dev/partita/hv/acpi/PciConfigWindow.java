package dev.partita.hv.acpi;

/**
 * Where the PCI host bridge's memory-mapped configuration space (ECAM, PCI Express enhanced
 * configuration access) sits in guest-physical memory: one window for segment 0, buses 0 to
 * {@link #LAST_BUS}, 4 KiB per function (bus &lt;&lt; 20 | device &lt;&lt; 15 | function &lt;&lt; 12 | register).
 * The ACPI MCFG table, the e820 map (reserved) and the device that answers the window share these
 * numbers. The window lies in the 32-bit MMIO hole, above the highest RAM a Linux guest is given.
 */
public final class PciConfigWindow {
    /** Guest-physical base of the window. */
    public static final long BASE = 0xE000_0000L;
    /** The last bus the window covers (bus 0 only: the host bridge has no bridges below it). */
    public static final int LAST_BUS = 0;
    /** Bytes of configuration space per bus (32 devices x 8 functions x 4 KiB). */
    public static final long BYTES_PER_BUS = 1L << 20;
    /** Size of the window. */
    public static final long SIZE = (LAST_BUS + 1) * BYTES_PER_BUS;

    private PciConfigWindow() {}
}

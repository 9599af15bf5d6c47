package dev.partita.hv.boot;

import dev.partita.hv.acpi.PciConfigWindow;
import dev.partita.hv.loader.ByteSizes;
import dev.partita.hv.loader.ImageLoadException;
import dev.partita.hv.memory.GuestMemory;
import dev.partita.hv.memory.PcRamLayout;
import dev.partita.hv.memory.RamRegion;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Where the Linux loaders put things in guest-physical memory, and the e820 map that describes the
 * result. Everything the loader itself writes lives below 1 MiB; the kernel and initrd go above.
 *
 * <pre>
 *   0x0000_0500  GDT (__BOOT_CS = 0x10, __BOOT_DS = 0x18)
 *   0x0000_6000  PVH hvm_start_info, its memory map (0x6100) and module list (0x6800)
 *   0x0000_7000  boot_params (the zero page)
 *   0x0000_8ff0  initial stack pointer (64-bit entry)
 *   0x0000_9000  PML4, 0xA000 PDPT, 0xB000-0xEFFF four page directories (2 MiB pages, 0-4 GiB identity)
 *   0x0002_0000  kernel command line (up to 64 KiB)
 *   0x0009_FC00  "EBDA" (reserved, empty)
 *   0x000E_0000  ACPI tables, RSDP first (reserved in e820; also where legacy RSDP scans look)
 *   0x0010_0000  RAM for the kernel and the initrd
 *   0xE000_0000  PCI configuration window (ECAM, {@link PciConfigWindow}; reserved)
 *   0xFEC0_0000  I/O APIC, 0xFEE0_0000 local APIC (reserved)
 * </pre>
 */
public final class BootLayout {
    public static final long GDT = 0x500;
    public static final long PVH_START_INFO = 0x6000;
    public static final long PVH_MEMMAP = 0x6100;
    public static final long PVH_MODLIST = 0x6800;
    public static final long ZERO_PAGE = 0x7000;
    public static final long STACK_TOP = 0x8FF0;
    public static final long PML4 = 0x9000;
    public static final long PDPT = 0xA000;
    public static final long PAGE_DIRECTORIES = 0xB000;
    public static final long CMDLINE = 0x20000;
    public static final long CMDLINE_MAX = 0x10000;
    public static final long EBDA = 0x9FC00;
    public static final long LEGACY_HOLE = 0xA0000;
    public static final long ACPI_BASE = 0xE0000;
    public static final long HIGH_MEMORY = 0x100000;
    public static final long IOAPIC = 0xFEC0_0000L;
    public static final long LAPIC = 0xFEE0_0000L;
    /** RAM from address 0 must end below the PCI configuration window (more RAM goes above 4 GiB). */
    public static final long MAX_RAM_END = PciConfigWindow.BASE;

    private BootLayout() {}

    /** End of the RAM that is contiguous from GPA 0; checks it covers the fixed low area and stays below the MMIO hole. */
    public static long ramEnd(GuestMemory memory) throws ImageLoadException {
        List<RamRegion> regions = new ArrayList<>(memory.regions());
        regions.sort(Comparator.comparingLong(RamRegion::gpa));
        long end = 0;
        for (RamRegion r : regions) {
            if (r.gpa() == end) {
                end += r.size();
            }
        }
        if (end < 2 * HIGH_MEMORY) {
            throw new ImageLoadException("a Linux guest needs at least 2 MiB of memory from address 0, this one has "
                    + ByteSizes.human(end));
        }
        if (end > MAX_RAM_END) {
            throw new ImageLoadException("guest memory of " + ByteSizes.human(end)
                    + " reaches the PCI configuration window at 0xe0000000; the Linux loader supports up to 3584 MiB");
        }
        return end;
    }

    /**
     * The e820 map for RAM [0, ramEnd): low RAM, the reserved EBDA and BIOS/ACPI area, high RAM, the PCI
     * configuration window (reserved, so Linux accepts the MCFG's window), the APIC pages.
     */
    public static List<E820Entry> memoryMap(long ramEnd) {
        return memoryMap(ramEnd, List.of());
    }

    /** {@link #memoryMap(long)} followed by one RAM entry per region above 4 GiB. */
    public static List<E820Entry> memoryMap(long ramEnd, List<RamRegion> above4G) {
        List<E820Entry> map = new ArrayList<>(List.of(
                new E820Entry(0, EBDA, E820Entry.RAM),
                new E820Entry(EBDA, LEGACY_HOLE - EBDA, E820Entry.RESERVED),
                new E820Entry(ACPI_BASE, HIGH_MEMORY - ACPI_BASE, E820Entry.RESERVED),
                new E820Entry(HIGH_MEMORY, ramEnd - HIGH_MEMORY, E820Entry.RAM),
                new E820Entry(PciConfigWindow.BASE, PciConfigWindow.SIZE, E820Entry.RESERVED),
                new E820Entry(IOAPIC, 0x1000, E820Entry.RESERVED),
                new E820Entry(LAPIC, 0x1000, E820Entry.RESERVED)));
        for (RamRegion r : above4G) {
            map.add(new E820Entry(r.gpa(), r.size(), E820Entry.RAM));
        }
        return List.copyOf(map);
    }

    /** The RAM regions at or above 4 GiB, by address. */
    public static List<RamRegion> above4G(GuestMemory memory) {
        return memory.regions().stream().filter(r -> r.gpa() >= PcRamLayout.HIGH_RAM_BASE)
                .sorted(Comparator.comparingLong(RamRegion::gpa)).toList();
    }
}

package dev.partita.hv.boot;

import java.util.List;

import static dev.partita.hv.boot.LittleEndian.put32;
import static dev.partita.hv.boot.LittleEndian.put64;

/**
 * Builds the PVH boot information (Xen's {@code struct hvm_start_info}, version 1) with its memory map
 * and module list, as three blocks for {@link BootLayout#PVH_START_INFO}, {@link BootLayout#PVH_MEMMAP}
 * and {@link BootLayout#PVH_MODLIST}. Stateless.
 */
public final class PvhStartInfo {
    /** XEN_HVM_START_MAGIC_VALUE. */
    public static final long MAGIC = 0x336E_C578L;
    static final int START_INFO_SIZE = 56;
    static final int MEMMAP_ENTRY_SIZE = 24;
    static final int MODLIST_ENTRY_SIZE = 32;
    static final int MAX_MEMMAP_ENTRIES = (int) ((BootLayout.PVH_MODLIST - BootLayout.PVH_MEMMAP) / MEMMAP_ENTRY_SIZE);

    private PvhStartInfo() {}

    /** hvm_start_info: magic, version 1, flags 0, modules, command line, RSDP, memory map. */
    public static byte[] startInfo(long cmdline, long rsdp, int memmapEntries, boolean hasModule) {
        byte[] b = new byte[START_INFO_SIZE];
        put32(b, 0, MAGIC);
        put32(b, 4, 1); // version
        put32(b, 8, 0); // flags
        put32(b, 12, hasModule ? 1 : 0); // nr_modules
        put64(b, 16, hasModule ? BootLayout.PVH_MODLIST : 0); // modlist_paddr
        put64(b, 24, cmdline); // cmdline_paddr
        put64(b, 32, rsdp); // rsdp_paddr
        put64(b, 40, BootLayout.PVH_MEMMAP); // memmap_paddr
        put32(b, 48, memmapEntries); // memmap_entries
        return b;
    }

    /** hvm_memmap_table_entry[]: addr, size, type, reserved. */
    public static byte[] memmap(List<E820Entry> e820) {
        if (e820.size() > MAX_MEMMAP_ENTRIES) {
            throw new IllegalArgumentException("memory map has " + e820.size() + " entries, at most " + MAX_MEMMAP_ENTRIES + " fit");
        }
        byte[] b = new byte[e820.size() * MEMMAP_ENTRY_SIZE];
        for (int i = 0; i < e820.size(); i++) {
            E820Entry e = e820.get(i);
            put64(b, i * MEMMAP_ENTRY_SIZE, e.address());
            put64(b, i * MEMMAP_ENTRY_SIZE + 8, e.size());
            put32(b, i * MEMMAP_ENTRY_SIZE + 16, e.type());
        }
        return b;
    }

    /** One hvm_modlist_entry: the initrd (no module command line). */
    public static byte[] module(long paddr, long size) {
        byte[] b = new byte[MODLIST_ENTRY_SIZE];
        put64(b, 0, paddr);
        put64(b, 8, size);
        return b;
    }
}

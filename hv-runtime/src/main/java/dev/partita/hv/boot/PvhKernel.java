package dev.partita.hv.boot;

import dev.partita.hv.loader.ElfImage;
import dev.partita.hv.loader.ElfImageParser;
import dev.partita.hv.loader.ImageLoadException;

import static dev.partita.hv.boot.LittleEndian.u16;
import static dev.partita.hv.boot.LittleEndian.u32;
import static dev.partita.hv.boot.LittleEndian.u64;
import static dev.partita.hv.boot.LittleEndian.u8;

/**
 * A vmlinux ELF with a PVH entry point: the {@code XEN_ELFNOTE_PHYS32_ENTRY} note (type 18, name
 * "Xen") in a PT_NOTE segment gives the 32-bit physical entry. Loaded like any ELF (PT_LOAD at
 * p_paddr), entered in 32-bit protected mode with EBX = the hvm_start_info address.
 */
public final class PvhKernel implements LinuxKernel {
    /** XEN_ELFNOTE_PHYS32_ENTRY. */
    public static final int XEN_ELFNOTE_PHYS32_ENTRY = 18;
    private static final int PT_NOTE = 4;

    private final ElfImage elf;
    private final long entry;

    private PvhKernel(ElfImage elf, long entry) {
        this.elf = elf;
        this.entry = entry;
    }

    /** Parses the ELF and finds the PVH note; an ELF without one is refused with a message saying so. */
    public static PvhKernel parse(byte[] data) throws ImageLoadException {
        ElfImage elf = ElfImageParser.parse(data);
        long entry = findPhys32Entry(data);
        if (entry < 0) {
            throw new ImageLoadException("ELF kernel has no PVH entry (XEN_ELFNOTE_PHYS32_ENTRY note); "
                    + "use the bzImage (vmlinuz) or a vmlinux built with CONFIG_PVH");
        }
        if (entry > 0xFFFF_FFFFL) {
            throw new ImageLoadException("PVH entry 0x" + Long.toHexString(entry) + " is above 4 GiB");
        }
        return new PvhKernel(elf, entry);
    }

    /** The ELF (its PT_LOAD segments). */
    public ElfImage elf() {
        return elf;
    }

    /** The 32-bit physical entry point from the note. */
    public long entry() {
        return entry;
    }

    @Override
    public String describe() {
        return "Linux vmlinux (PVH entry 0x" + Long.toHexString(entry) + "), " + elf.describe();
    }

    /** Walks PT_NOTE segments; returns the entry or -1 when absent. Every offset is checked against the file. */
    static long findPhys32Entry(byte[] d) throws ImageLoadException {
        boolean is64 = u8(d, 4) == 2;
        long phoff = is64 ? u64(d, 0x20) : u32(d, 0x1C);
        int phentsize = u16(d, is64 ? 0x36 : 0x2A);
        int phnum = u16(d, is64 ? 0x38 : 0x2C);
        for (int i = 0; i < phnum; i++) {
            long ph = phoff + (long) i * phentsize;
            if (ph < 0 || ph + (is64 ? 0x38 : 0x20) > d.length) {
                throw new ImageLoadException("ELF program header " + i + " extends past end of file");
            }
            int p = (int) ph;
            if (u32(d, p) != PT_NOTE) {
                continue;
            }
            long off = is64 ? u64(d, p + 0x08) : u32(d, p + 0x04);
            long size = is64 ? u64(d, p + 0x20) : u32(d, p + 0x10);
            if (off < 0 || size < 0 || off + size > d.length || off + size < off) {
                throw new ImageLoadException("ELF note segment " + i + " extends past end of file");
            }
            long found = scanNotes(d, (int) off, (int) (off + size));
            if (found >= 0) {
                return found;
            }
        }
        return -1;
    }

    private static long scanNotes(byte[] d, int pos, int end) throws ImageLoadException {
        while (pos + 12 <= end) {
            long namesz = u32(d, pos);
            long descsz = u32(d, pos + 4);
            long type = u32(d, pos + 8);
            long nameOff = pos + 12L;
            long descOff = nameOff + align4(namesz);
            long next = descOff + align4(descsz);
            if (next > end) {
                throw new ImageLoadException("ELF note at offset 0x" + Integer.toHexString(pos) + " extends past its segment");
            }
            boolean xen = namesz == 4 && d[(int) nameOff] == 'X' && d[(int) nameOff + 1] == 'e' && d[(int) nameOff + 2] == 'n'
                    && d[(int) nameOff + 3] == 0;
            if (xen && type == XEN_ELFNOTE_PHYS32_ENTRY) {
                if (descsz == 4) {
                    return u32(d, (int) descOff);
                }
                if (descsz == 8) {
                    return u64(d, (int) descOff);
                }
                throw new ImageLoadException("PVH entry note has a " + descsz + "-byte value (expected 4 or 8)");
            }
            pos = (int) next;
        }
        return -1;
    }

    private static long align4(long n) {
        return (n + 3) & ~3L;
    }
}

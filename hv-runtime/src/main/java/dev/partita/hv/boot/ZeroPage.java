package dev.partita.hv.boot;

import java.util.List;

import static dev.partita.hv.boot.LittleEndian.put32;
import static dev.partita.hv.boot.LittleEndian.put64;
import static dev.partita.hv.boot.LittleEndian.put8;

/**
 * Builds struct boot_params (the 4 KiB "zero page"): the kernel's setup header copied from the
 * file, then the loader's fields (type_of_loader, code32_start, ramdisk, command line pointer),
 * the e820 table and acpi_rsdp_addr. Stateless.
 */
public final class ZeroPage {
    public static final int SIZE = 4096;
    // boot_params offsets (arch/x86/include/uapi/asm/bootparam.h; boot.rst "zero-page.rst").
    static final int OFF_ACPI_RSDP_ADDR = 0x070;
    static final int OFF_EXT_RAMDISK_IMAGE = 0x0C0;
    static final int OFF_EXT_RAMDISK_SIZE = 0x0C4;
    static final int OFF_EXT_CMD_LINE_PTR = 0x0C8;
    static final int OFF_E820_ENTRIES = 0x1E8;
    static final int OFF_E820_TABLE = 0x2D0;
    static final int E820_MAX_ENTRIES = 128;
    /** type_of_loader 0xFF: a boot loader without an assigned ID. */
    static final int LOADER_UNDEFINED = 0xFF;

    private ZeroPage() {}

    /**
     * The zero page for {@code kernel} loaded at {@code loadAddress}.
     *
     * @param initrdAddress 0 when there is none
     * @param rsdp          0 when there are no ACPI tables
     */
    public static byte[] build(BzImage kernel, long loadAddress, long cmdlineAddress, long initrdAddress, long initrdSize,
                               long rsdp, List<E820Entry> e820) {
        if (e820.size() > E820_MAX_ENTRIES) {
            throw new IllegalArgumentException("e820 map has " + e820.size() + " entries, boot_params holds " + E820_MAX_ENTRIES);
        }
        byte[] zp = new byte[SIZE];
        SetupHeader h = kernel.header();
        System.arraycopy(kernel.file(), SetupHeader.OFF_SETUP_SECTS, zp, SetupHeader.OFF_SETUP_SECTS,
                h.headerEnd() - SetupHeader.OFF_SETUP_SECTS);
        put8(zp, SetupHeader.OFF_TYPE_OF_LOADER, LOADER_UNDEFINED);
        put32(zp, SetupHeader.OFF_CODE32_START, loadAddress);
        put32(zp, SetupHeader.OFF_RAMDISK_IMAGE, initrdAddress);
        put32(zp, SetupHeader.OFF_RAMDISK_SIZE, initrdSize);
        put32(zp, OFF_EXT_RAMDISK_IMAGE, initrdAddress >>> 32);
        put32(zp, OFF_EXT_RAMDISK_SIZE, initrdSize >>> 32);
        put32(zp, SetupHeader.OFF_CMD_LINE_PTR, cmdlineAddress);
        put32(zp, OFF_EXT_CMD_LINE_PTR, cmdlineAddress >>> 32);
        put64(zp, OFF_ACPI_RSDP_ADDR, rsdp);
        put8(zp, OFF_E820_ENTRIES, e820.size());
        for (int i = 0; i < e820.size(); i++) {
            E820Entry e = e820.get(i);
            int off = OFF_E820_TABLE + i * E820Entry.BOOT_PARAMS_ENTRY_SIZE;
            put64(zp, off, e.address());
            put64(zp, off + 8, e.size());
            put32(zp, off + 16, e.type());
        }
        return zp;
    }

}

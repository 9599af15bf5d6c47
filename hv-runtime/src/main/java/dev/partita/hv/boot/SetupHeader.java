package dev.partita.hv.boot;

import dev.partita.hv.loader.ByteSizes;
import dev.partita.hv.loader.ImageLoadException;

import static dev.partita.hv.boot.LittleEndian.u16;
import static dev.partita.hv.boot.LittleEndian.u32;
import static dev.partita.hv.boot.LittleEndian.u64;
import static dev.partita.hv.boot.LittleEndian.u8;

/**
 * The fields of a Linux x86 kernel's setup header (boot protocol, Documentation/arch/x86/boot.rst)
 * that a 64-bit boot loader needs, parsed from the first sector of a bzImage and validated. Immutable.
 *
 * @param version          boot protocol version, major in the high byte (0x020F = 2.15)
 * @param setupSects       512-byte sectors of real-mode setup code after the boot sector (0 read as 4)
 * @param syssizeBytes     size of the protected-mode kernel: syssize (16-byte paragraphs) × 16
 * @param loadflags        loadflags byte (bit 0 LOADED_HIGH)
 * @param xloadflags       xloadflags (bit 0 XLF_KERNEL_64, bit 1 XLF_CAN_BE_LOADED_ABOVE_4G)
 * @param relocatable      relocatable_kernel
 * @param kernelAlignment  kernel_alignment (a power of two)
 * @param prefAddress      pref_address: where the kernel wants to be loaded
 * @param initSize         init_size: bytes needed from the load address while the kernel decompresses itself
 * @param cmdlineSize      cmdline_size: longest command line, without its terminating NUL
 * @param initrdAddrMax    initrd_addr_max: highest address the initrd may occupy
 * @param headerEnd        offset one past the end of the setup header (0x202 + the jump's displacement byte)
 */
public record SetupHeader(int version, int setupSects, long syssizeBytes, int loadflags, int xloadflags,
                          boolean relocatable, long kernelAlignment, long prefAddress, long initSize,
                          long cmdlineSize, long initrdAddrMax, int headerEnd) {

    // Offsets in the boot sector / zero page (boot.rst "THE REAL-MODE KERNEL HEADER").
    static final int OFF_SETUP_SECTS = 0x1F1;
    static final int OFF_SYSSIZE = 0x1F4;
    static final int OFF_BOOT_FLAG = 0x1FE;
    static final int OFF_JUMP = 0x200;
    static final int OFF_HEADER = 0x202;
    static final int OFF_VERSION = 0x206;
    static final int OFF_TYPE_OF_LOADER = 0x210;
    static final int OFF_LOADFLAGS = 0x211;
    static final int OFF_CODE32_START = 0x214;
    static final int OFF_RAMDISK_IMAGE = 0x218;
    static final int OFF_RAMDISK_SIZE = 0x21C;
    static final int OFF_CMD_LINE_PTR = 0x228;
    static final int OFF_INITRD_ADDR_MAX = 0x22C;
    static final int OFF_KERNEL_ALIGNMENT = 0x230;
    static final int OFF_RELOCATABLE_KERNEL = 0x234;
    static final int OFF_XLOADFLAGS = 0x236;
    static final int OFF_CMDLINE_SIZE = 0x238;
    static final int OFF_PREF_ADDRESS = 0x258;
    static final int OFF_INIT_SIZE = 0x260;
    /** The header must reach at least past init_size (protocol 2.10+). */
    static final int MIN_HEADER_END = 0x264;

    static final int BOOT_FLAG = 0xAA55;
    /** "HdrS" read as a little-endian u32. */
    static final long HDRS_MAGIC = 0x5372_6448L;
    /** Protocol 2.12: xloadflags, the 64-bit entry. */
    public static final int MIN_VERSION = 0x020C;
    static final int LOADED_HIGH = 0x01;
    public static final int XLF_KERNEL_64 = 0x01;
    public static final int XLF_CAN_BE_LOADED_ABOVE_4G = 0x02;

    /**
     * Parses and validates the header of a bzImage file.
     *
     * @throws ImageLoadException naming the first problem ("not a bzImage: no HdrS magic", "kernel truncated: ...")
     */
    public static SetupHeader parse(byte[] file) throws ImageLoadException {
        if (file.length < 0x206 || u32(file, OFF_HEADER) != HDRS_MAGIC) {
            throw new ImageLoadException("not a bzImage: no HdrS magic at offset 0x202");
        }
        if (u16(file, OFF_BOOT_FLAG) != BOOT_FLAG) {
            throw new ImageLoadException("not a bzImage: boot flag at 0x1fe is 0x" + Integer.toHexString(u16(file, OFF_BOOT_FLAG))
                    + ", not 0xaa55");
        }
        int version = u16(file, OFF_VERSION);
        if (version < MIN_VERSION) {
            throw new ImageLoadException("kernel boot protocol " + versionText(version)
                    + " is too old: the 64-bit entry needs 2.12 or later");
        }
        int headerEnd = OFF_HEADER + u8(file, OFF_JUMP + 1);
        if (headerEnd < MIN_HEADER_END) {
            throw new ImageLoadException("setup header ends at 0x" + Integer.toHexString(headerEnd)
                    + ", too short for protocol " + versionText(version));
        }
        int sects = u8(file, OFF_SETUP_SECTS);
        if (sects == 0) {
            sects = 4; // boot.rst: a value of 0 means 4
        }
        long setupBytes = (sects + 1L) * 512;
        if (file.length < setupBytes || file.length < headerEnd) {
            throw new ImageLoadException("kernel truncated: the setup code needs " + ByteSizes.human(setupBytes)
                    + ", file has " + ByteSizes.human(file.length));
        }
        long syssize = u32(file, OFF_SYSSIZE) * 16;
        long payload = file.length - setupBytes;
        if (syssize == 0) {
            throw new ImageLoadException("not a bzImage: syssize is 0 (no protected-mode kernel)");
        }
        if (payload < syssize) {
            throw new ImageLoadException("kernel truncated: setup says " + ByteSizes.human(syssize) + ", file has "
                    + ByteSizes.human(payload));
        }
        int loadflags = u8(file, OFF_LOADFLAGS);
        if ((loadflags & LOADED_HIGH) == 0) {
            throw new ImageLoadException("kernel is a zImage (loaded at 0x10000): only bzImage kernels are supported");
        }
        int xloadflags = u16(file, OFF_XLOADFLAGS);
        if ((xloadflags & XLF_KERNEL_64) == 0) {
            throw new ImageLoadException("kernel has no 64-bit entry point (xloadflags lacks XLF_KERNEL_64): a 32-bit kernel?");
        }
        long align = u32(file, OFF_KERNEL_ALIGNMENT);
        if (align == 0 || Long.bitCount(align) != 1) {
            throw new ImageLoadException("kernel_alignment 0x" + Long.toHexString(align) + " is not a power of two");
        }
        long pref = u64(file, OFF_PREF_ADDRESS);
        long initSize = u32(file, OFF_INIT_SIZE);
        if (initSize < syssize) {
            throw new ImageLoadException("init_size (" + ByteSizes.human(initSize) + ") is smaller than the kernel ("
                    + ByteSizes.human(syssize) + ")");
        }
        long cmdlineSize = u32(file, OFF_CMDLINE_SIZE);
        long initrdMax = u32(file, OFF_INITRD_ADDR_MAX);
        if (initrdMax < 0x100000) {
            throw new ImageLoadException("initrd_addr_max 0x" + Long.toHexString(initrdMax) + " is below 1 MiB");
        }
        boolean relocatable = u8(file, OFF_RELOCATABLE_KERNEL) != 0;
        if (!relocatable && (pref < 0x100000 || pref % align != 0)) {
            throw new ImageLoadException("kernel is not relocatable and its pref_address 0x" + Long.toHexString(pref)
                    + " is unusable");
        }
        return new SetupHeader(version, sects, syssize, loadflags, xloadflags, relocatable, align, pref, initSize,
                cmdlineSize, initrdMax, headerEnd);
    }

    /** Offset of the protected-mode kernel in the file. */
    public long setupBytes() {
        return (setupSects + 1L) * 512;
    }

    /** "2.15". */
    public String versionText() {
        return versionText(version);
    }

    static String versionText(int v) {
        return (v >>> 8) + "." + String.format("%02d", v & 0xFF);
    }
}

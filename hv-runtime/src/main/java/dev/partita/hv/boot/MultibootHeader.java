package dev.partita.hv.boot;

import dev.partita.hv.loader.ImageLoadException;

import java.util.Optional;

/**
 * The multiboot (version 1) header of a kernel file: magic 0x1BADB002, flags and checksum, 4-byte
 * aligned within the first 8 KiB, and with flag bit 16 the address fields (header, load, load end, bss
 * end, entry). Parsed once at the edge; the loader reads only these fields. Immutable.
 *
 * @param offset    file offset of the header
 * @param flags     the flags word
 * @param addresses the address fields (flag bit 16), or null
 */
public record MultibootHeader(int offset, long flags, Addresses addresses) {
    public static final long MAGIC = 0x1BAD_B002L;
    /** Where the header must start: within this many bytes of the file, 4-byte aligned. */
    public static final int SEARCH_LIMIT = 8192;
    /** Flag 0: modules page-aligned. Flag 1: memory information wanted. */
    public static final long PAGE_ALIGN = 1, MEMORY_INFO = 1 << 1;
    /** Flag 2: video mode table wanted (not offered). */
    public static final long VIDEO_MODE = 1 << 2;
    /** Flag 16: the address fields are valid. */
    public static final long ADDRESS_FIELDS = 1 << 16;
    /** Flags 0-15 are requirements; a loader must refuse the kernel when it cannot meet one. */
    static final long REQUIRED_MASK = 0xFFFF;
    static final long SUPPORTED_REQUIRED = PAGE_ALIGN | MEMORY_INFO;

    /**
     * The a.out-kludge address fields (physical addresses).
     *
     * @param headerAddr  address the header's magic is loaded to
     * @param loadAddr    start of the text segment
     * @param loadEndAddr end of the data to load (0: to the end of the file)
     * @param bssEndAddr  end of the bss (0: no bss)
     * @param entryAddr   entry point
     */
    public record Addresses(long headerAddr, long loadAddr, long loadEndAddr, long bssEndAddr, long entryAddr) {}

    /** The file offset of the header of {@code file} (4-byte aligned, in the first 8 KiB), or empty when it has none. */
    public static Optional<Integer> locate(byte[] file) {
        int limit = Math.min(file.length, SEARCH_LIMIT) - 12;
        for (int off = 0; off <= limit; off += 4) {
            if (LittleEndian.u32(file, off) == MAGIC) {
                return Optional.of(off);
            }
        }
        return Optional.empty();
    }

    /**
     * Parses the header at {@code offset} (found by {@link #locate}).
     *
     * @throws ImageLoadException bad checksum, a required feature Partita does not offer, or address fields
     *                            cut off by the end of the file
     */
    public static MultibootHeader parse(byte[] file, int offset) throws ImageLoadException {
        long flags = LittleEndian.u32(file, offset + 4);
        long checksum = LittleEndian.u32(file, offset + 8);
        if (((MAGIC + flags + checksum) & 0xFFFF_FFFFL) != 0) {
            throw new ImageLoadException(String.format("multiboot header at offset 0x%x has a bad checksum: magic + flags 0x%x "
                    + "+ checksum 0x%x is not 0 (mod 2^32)", offset, flags, checksum));
        }
        long unsupported = flags & REQUIRED_MASK & ~SUPPORTED_REQUIRED;
        if (unsupported != 0) {
            throw new ImageLoadException(String.format("multiboot header requires features Partita does not offer "
                    + "(flags 0x%x; only page-aligned modules and memory information are offered)", unsupported));
        }
        Addresses a = null;
        if ((flags & ADDRESS_FIELDS) != 0) {
            if (offset + 32 > file.length) {
                throw new ImageLoadException("multiboot header sets the address flag but the file ends inside its address fields");
            }
            a = new Addresses(LittleEndian.u32(file, offset + 12), LittleEndian.u32(file, offset + 16),
                    LittleEndian.u32(file, offset + 20), LittleEndian.u32(file, offset + 24), LittleEndian.u32(file, offset + 28));
        }
        return new MultibootHeader(offset, flags, a);
    }
}

package dev.partita.hv.boot;

import dev.partita.hv.loader.ElfImage;
import dev.partita.hv.loader.ElfImageParser;
import dev.partita.hv.loader.ElfSegment;
import dev.partita.hv.loader.ImageLoadException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A multiboot (version 1) kernel: its header and the pieces to load. An ELF32 file without the address
 * flag loads its PT_LOAD segments at their physical addresses (checked by {@link ElfImageParser}); with
 * the address flag (any file format) the header's load, load-end and bss-end addresses say what to copy
 * and what to zero. Immutable; may be loaded into several partitions, from any thread.
 *
 * @param header   the multiboot header
 * @param pieces   what to place: guest-physical address, file offset, bytes from the file, bytes in memory
 *                 (the rest zeroed); sorted by address, not overlapping
 * @param entry    the entry point (32-bit protected mode, paging off)
 * @param file     the file's bytes (not copied)
 */
public record MultibootKernel(MultibootHeader header, List<Piece> pieces, long entry, byte[] file) {
    /**
     * One range to load.
     *
     * @param gpa        where it goes
     * @param fileOffset where its bytes start in the file
     * @param fileSize   bytes copied from the file
     * @param memSize    bytes in guest memory (at least {@code fileSize}; the rest zeroed)
     */
    public record Piece(long gpa, long fileOffset, long fileSize, long memSize) {
        public long end() {
            return gpa + memSize;
        }
    }

    /** ELF e_machine of i386. */
    static final int EM_386 = 3;

    public MultibootKernel {
        pieces = List.copyOf(pieces);
    }

    /** Whether {@code file} has a multiboot header in its first 8 KiB and is not a Linux bzImage ("HdrS" at 0x202). */
    public static boolean isMultiboot(byte[] file) {
        boolean bzImage = file.length >= 0x206 && LittleEndian.u32(file, 0x202) == SetupHeader.HDRS_MAGIC;
        return !bzImage && MultibootHeader.locate(file).isPresent();
    }

    /** Parses {@code file}; every problem is a one-line {@link ImageLoadException}. */
    public static MultibootKernel parse(byte[] file) throws ImageLoadException {
        Optional<Integer> at = MultibootHeader.locate(file);
        if (at.isEmpty()) {
            throw new ImageLoadException("no multiboot header (magic 0x1BADB002) in the first 8 KiB");
        }
        MultibootHeader h = MultibootHeader.parse(file, at.get());
        if (h.addresses() != null) {
            return fromAddressFields(h, file);
        }
        if (!(file.length >= 4 && file[0] == 0x7F && file[1] == 'E' && file[2] == 'L' && file[3] == 'F')) {
            throw new ImageLoadException("multiboot kernel is not ELF and its header has no address fields (flag 16)");
        }
        ElfImage elf = ElfImageParser.parse(file);
        if (elf.isElf64() || elf.machine() != EM_386) {
            throw new ImageLoadException("multiboot ELF kernels must be ELF32 for i386, this one is "
                    + (elf.isElf64() ? "ELF64" : "ELF32 machine " + elf.machine()));
        }
        List<Piece> pieces = new ArrayList<>();
        for (ElfSegment s : elf.segments()) {
            pieces.add(new Piece(s.paddr(), s.fileOffset(), s.fileSize(), s.memSize()));
        }
        return new MultibootKernel(h, pieces, elf.entry(), file);
    }

    private static MultibootKernel fromAddressFields(MultibootHeader h, byte[] file) throws ImageLoadException {
        MultibootHeader.Addresses a = h.addresses();
        if (a.headerAddr() < a.loadAddr()) {
            throw new ImageLoadException(String.format("multiboot header_addr 0x%x is below load_addr 0x%x", a.headerAddr(), a.loadAddr()));
        }
        long fileStart = h.offset() - (a.headerAddr() - a.loadAddr());
        if (fileStart < 0) {
            throw new ImageLoadException(String.format("multiboot load_addr 0x%x would start %d bytes before the file",
                    a.loadAddr(), -fileStart));
        }
        long loadEnd = a.loadEndAddr() == 0 ? a.loadAddr() + (file.length - fileStart) : a.loadEndAddr();
        if (loadEnd < a.loadAddr() || loadEnd - a.loadAddr() > file.length - fileStart) {
            throw new ImageLoadException(String.format("multiboot load_end_addr 0x%x is outside the file (load_addr 0x%x, "
                    + "%d bytes from offset %d)", loadEnd, a.loadAddr(), file.length - fileStart, fileStart));
        }
        long bssEnd = a.bssEndAddr() == 0 ? loadEnd : a.bssEndAddr();
        if (bssEnd < loadEnd) {
            throw new ImageLoadException(String.format("multiboot bss_end_addr 0x%x is below load_end_addr 0x%x", bssEnd, loadEnd));
        }
        if (a.entryAddr() < a.loadAddr() || a.entryAddr() >= bssEnd) {
            throw new ImageLoadException(String.format("multiboot entry_addr 0x%x is outside the loaded image 0x%x-0x%x",
                    a.entryAddr(), a.loadAddr(), bssEnd));
        }
        return new MultibootKernel(h, List.of(new Piece(a.loadAddr(), fileStart, loadEnd - a.loadAddr(), bssEnd - a.loadAddr())),
                a.entryAddr(), file);
    }

    /** A one-line description for logs. */
    public String describe() {
        long low = pieces.stream().mapToLong(Piece::gpa).min().orElse(0);
        long high = pieces.stream().mapToLong(Piece::end).max().orElse(0);
        return String.format("multiboot kernel (%s), 0x%x-0x%x, entry 0x%x", header.addresses() == null ? "ELF" : "address fields",
                low, high, entry);
    }
}

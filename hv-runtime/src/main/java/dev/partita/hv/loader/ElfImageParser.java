package dev.partita.hv.loader;

import static dev.partita.hv.loader.ElfFormat.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Parses and checks an ELF executable for x86. Every field the loader uses is checked before use:
 * magic, class, byte order, version, type, machine, the program header table inside the file,
 * each PT_LOAD's file range inside the file ({@code p_offset + p_filesz}, overflow-safe),
 * {@code p_filesz <= p_memsz}, the memory range below 4 GiB and not wrapping, segments not
 * overlapping each other, and the entry point inside a loaded segment. Stateless; safe from any thread.
 */
public final class ElfImageParser {

    /** Segments must end at or below 4 GiB: the boot processor starts with paging off in 32-bit mode. */
    static final long ADDRESS_LIMIT = 1L << 32;

    private ElfImageParser() {}

    /** Parses {@code file} (not copied; the caller must not modify it afterwards). */
    public static ElfImage parse(byte[] file) throws ImageLoadException {
        if (!hasMagic(file)) {
            throw new ImageLoadException("not an ELF file (bad magic)");
        }
        if (file.length < EI_NIDENT) {
            throw new ImageLoadException("ELF file truncated: " + file.length + " bytes, shorter than e_ident");
        }
        int cls = file[EI_CLASS];
        boolean elf64;
        if (cls == ELFCLASS32) {
            elf64 = false;
        } else if (cls == ELFCLASS64) {
            elf64 = true;
        } else {
            throw new ImageLoadException("ELF class " + cls + " is neither ELFCLASS32 nor ELFCLASS64");
        }
        if (file[EI_DATA] != ELFDATA2LSB) {
            throw new ImageLoadException("ELF byte order " + file[EI_DATA] + " is not little-endian (ELFDATA2LSB)");
        }
        if (file[EI_VERSION] != EV_CURRENT) {
            throw new ImageLoadException("ELF version " + file[EI_VERSION] + " is not EV_CURRENT");
        }
        int ehdrSize = elf64 ? EHDR64_SIZE : EHDR32_SIZE;
        if (file.length < ehdrSize) {
            throw new ImageLoadException("ELF file truncated: " + file.length + " bytes, shorter than its "
                    + ehdrSize + "-byte header");
        }
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int type = Short.toUnsignedInt(b.getShort(16));
        int machine = Short.toUnsignedInt(b.getShort(18));
        if (type != ET_EXEC) {
            throw new ImageLoadException("ELF type " + type + " is not ET_EXEC (an executable)");
        }
        if (machine != EM_386 && machine != EM_X86_64) {
            throw new ImageLoadException("ELF machine " + machine + " is neither EM_386 (3) nor EM_X86_64 (62)");
        }
        if (elf64 && machine == EM_386) {
            throw new ImageLoadException("ELF64 file with machine EM_386 is inconsistent");
        }
        long entry = elf64 ? b.getLong(24) : Integer.toUnsignedLong(b.getInt(24));
        long phoff = elf64 ? b.getLong(32) : Integer.toUnsignedLong(b.getInt(28));
        int phentsize = Short.toUnsignedInt(b.getShort(elf64 ? 54 : 42));
        int phnum = Short.toUnsignedInt(b.getShort(elf64 ? 56 : 44));
        int minPhent = elf64 ? PHDR64_SIZE : PHDR32_SIZE;
        if (phnum == 0) {
            throw new ImageLoadException("ELF file has no program headers (e_phnum = 0)");
        }
        if (phnum == PN_XNUM) {
            throw new ImageLoadException("ELF e_phnum = PN_XNUM (extended numbering) is not supported");
        }
        if (phentsize < minPhent) {
            throw new ImageLoadException("ELF e_phentsize " + phentsize + " is smaller than a program header (" + minPhent + ")");
        }
        long tableBytes = (long) phnum * phentsize; // at most 65535 * 65535, no overflow
        if (phoff < 0 || phoff > file.length || tableBytes > file.length - phoff) {
            throw new ImageLoadException("ELF program header table (e_phoff 0x" + Long.toHexString(phoff) + ", " + phnum
                    + " x " + phentsize + " bytes) extends past end of file (" + file.length + " bytes)");
        }
        List<ElfSegment> segments = new ArrayList<>();
        for (int i = 0; i < phnum; i++) {
            int at = Math.toIntExact(phoff + (long) i * phentsize);
            ElfSegment s = readSegment(b, at, i, elf64, file.length);
            if (s != null) {
                segments.add(s);
            }
        }
        if (segments.isEmpty()) {
            throw new ImageLoadException("ELF file has no PT_LOAD segment with memory");
        }
        checkOverlaps(segments);
        if (segments.stream().noneMatch(s -> s.contains(entry))) {
            throw new ImageLoadException("ELF entry point 0x" + Long.toHexString(entry) + " is not inside any loaded segment");
        }
        return new ElfImage(file, elf64, machine, entry, segments);
    }

    /** One program header; null when it is not a PT_LOAD with memory. */
    private static ElfSegment readSegment(ByteBuffer b, int at, int index, boolean elf64, long fileLength) throws ImageLoadException {
        int type = b.getInt(at);
        long offset, paddr, filesz, memsz;
        int flags;
        if (elf64) {
            flags = b.getInt(at + 4);
            offset = b.getLong(at + 8);
            paddr = b.getLong(at + 24);
            filesz = b.getLong(at + 32);
            memsz = b.getLong(at + 40);
        } else {
            offset = Integer.toUnsignedLong(b.getInt(at + 4));
            paddr = Integer.toUnsignedLong(b.getInt(at + 12));
            filesz = Integer.toUnsignedLong(b.getInt(at + 16));
            memsz = Integer.toUnsignedLong(b.getInt(at + 20));
            flags = b.getInt(at + 24);
        }
        if (type == PT_INTERP || type == PT_DYNAMIC) {
            throw new ImageLoadException("ELF program header " + index + " asks for dynamic linking (PT_INTERP/PT_DYNAMIC); "
                    + "a guest image must be statically linked");
        }
        if (type != PT_LOAD) {
            return null;
        }
        String what = "ELF program header " + index;
        // Unsigned 64-bit values >= 2^63 read as negative: they are certainly out of range.
        if (offset < 0 || filesz < 0 || offset > fileLength || filesz > fileLength - offset) {
            throw new ImageLoadException(what + " extends past end of file (p_offset 0x" + Long.toHexString(offset)
                    + " + p_filesz 0x" + Long.toHexString(filesz) + " > " + fileLength + " bytes)");
        }
        if (memsz < 0 || Long.compareUnsigned(filesz, memsz) > 0) {
            throw new ImageLoadException(what + " has p_filesz 0x" + Long.toHexString(filesz)
                    + " larger than p_memsz 0x" + Long.toHexString(memsz));
        }
        if (memsz == 0) {
            return null;
        }
        if (paddr < 0 || paddr >= ADDRESS_LIMIT || memsz > ADDRESS_LIMIT - paddr) {
            throw new ImageLoadException(what + " (p_paddr 0x" + Long.toHexString(paddr) + ", p_memsz 0x"
                    + Long.toHexString(memsz) + ") does not fit below 4 GiB");
        }
        return new ElfSegment(index, paddr, offset, filesz, memsz, flags);
    }

    private static void checkOverlaps(List<ElfSegment> segments) throws ImageLoadException {
        List<ElfSegment> sorted = new ArrayList<>(segments);
        sorted.sort(Comparator.comparingLong(ElfSegment::paddr));
        for (int i = 1; i < sorted.size(); i++) {
            ElfSegment a = sorted.get(i - 1);
            ElfSegment c = sorted.get(i);
            if (c.paddr() < a.end()) {
                throw new ImageLoadException("ELF program headers " + Math.min(a.index(), c.index()) + " and "
                        + Math.max(a.index(), c.index()) + " overlap in guest memory at 0x" + Long.toHexString(c.paddr()));
            }
        }
    }
}

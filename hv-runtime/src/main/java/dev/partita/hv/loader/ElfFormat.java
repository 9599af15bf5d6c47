package dev.partita.hv.loader;

/** Constants of the ELF file format (System V gABI) that the loader checks. */
final class ElfFormat {
    private ElfFormat() {}

    // e_ident
    static final int EI_CLASS = 4;
    static final int EI_DATA = 5;
    static final int EI_VERSION = 6;
    static final int EI_NIDENT = 16;
    static final int ELFCLASS32 = 1;
    static final int ELFCLASS64 = 2;
    static final int ELFDATA2LSB = 1;
    static final int EV_CURRENT = 1;

    // e_type
    static final int ET_EXEC = 2;

    // e_machine
    static final int EM_386 = 3;
    static final int EM_X86_64 = 62;

    // header sizes
    static final int EHDR32_SIZE = 52;
    static final int EHDR64_SIZE = 64;
    static final int PHDR32_SIZE = 32;
    static final int PHDR64_SIZE = 56;
    /** e_phnum value meaning "the real count is elsewhere" (PN_XNUM); not supported. */
    static final int PN_XNUM = 0xFFFF;

    // p_type
    static final int PT_LOAD = 1;
    static final int PT_DYNAMIC = 2;
    static final int PT_INTERP = 3;

    /** True if {@code data} starts with the ELF magic bytes 0x7F 'E' 'L' 'F'. */
    static boolean hasMagic(byte[] data) {
        return data.length >= 4 && data[0] == 0x7F && data[1] == 'E' && data[2] == 'L' && data[3] == 'F';
    }
}

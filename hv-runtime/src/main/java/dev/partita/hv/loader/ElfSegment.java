package dev.partita.hv.loader;

/**
 * One PT_LOAD program header, already checked against the file: {@code fileOffset + fileSize} lies
 * inside the file and {@code fileSize <= memSize}. All values are unsigned and below 2^63.
 *
 * @param index      the program header's index in the file (for messages)
 * @param paddr      the guest-physical load address ({@code p_paddr})
 * @param fileOffset where its bytes start in the file ({@code p_offset})
 * @param fileSize   bytes copied from the file ({@code p_filesz})
 * @param memSize    bytes occupied in memory; the rest after fileSize is zeroed ({@code p_memsz})
 * @param flags      {@code p_flags} (PF_X = 1, PF_W = 2, PF_R = 4)
 */
public record ElfSegment(int index, long paddr, long fileOffset, long fileSize, long memSize, int flags) {

    /** One past the last guest-physical byte, or -1 if that overflows (checked by the parser). */
    public long end() {
        return paddr + memSize;
    }

    /** Whether {@code gpa} lies inside the segment in memory. */
    public boolean contains(long gpa) {
        return gpa >= paddr && gpa - paddr < memSize;
    }
}

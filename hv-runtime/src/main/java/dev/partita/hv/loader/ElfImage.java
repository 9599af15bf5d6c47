package dev.partita.hv.loader;

import dev.partita.hv.memory.GuestMemory;
import java.util.List;

/**
 * A checked ELF32 or ELF64 executable for x86: its PT_LOAD segments are copied to their physical
 * addresses ({@code p_paddr}), the part of each segment past its file bytes is zeroed, and the boot
 * processor starts at {@code e_entry} in 32-bit protected mode ({@link BootStates#protectedMode32}).
 * Built by {@link ElfImageParser}, which checked every header field against the file; placement
 * against guest RAM is checked by {@link #loadInto}. Immutable.
 */
public final class ElfImage implements GuestImage {

    private final byte[] file;
    private final boolean elf64;
    private final int machine;
    private final long entry;
    private final List<ElfSegment> segments;

    ElfImage(byte[] file, boolean elf64, int machine, long entry, List<ElfSegment> segments) {
        this.file = file;
        this.elf64 = elf64;
        this.machine = machine;
        this.entry = entry;
        this.segments = List.copyOf(segments);
    }

    /** Whether the file is ELF64 (else ELF32). */
    public boolean isElf64() { return elf64; }

    /** {@code e_machine}: 3 (EM_386) or 62 (EM_X86_64). */
    public int machine() { return machine; }

    /** {@code e_entry}, a guest-physical address below 4 GiB inside a loaded segment. */
    public long entry() { return entry; }

    /** The PT_LOAD segments in file order (non-overlapping, each with memSize > 0). */
    public List<ElfSegment> segments() { return segments; }

    @Override
    public String describe() {
        long bytes = 0;
        for (ElfSegment s : segments) {
            bytes += s.memSize();
        }
        return (elf64 ? "ELF64" : "ELF32") + (machine == ElfFormat.EM_386 ? " i386" : " x86-64") + ", "
                + segments.size() + " segment(s), " + ByteSizes.human(bytes) + ", entry 0x" + Long.toHexString(entry)
                + ", 32-bit protected mode";
    }

    @Override
    public LoadedImage loadInto(GuestMemory memory) throws ImageLoadException {
        long ram = memory.totalSize();
        long needed = 0;
        for (ElfSegment s : segments) {
            needed += s.memSize();
        }
        if (needed > ram) {
            throw new ImageLoadException("image is " + ByteSizes.human(needed) + " but guest memory is " + ByteSizes.human(ram));
        }
        for (ElfSegment s : segments) {
            if (!memory.isRam(s.paddr(), s.memSize())) {
                throw new ImageLoadException("ELF program header " + s.index() + " (0x" + Long.toHexString(s.paddr()) + "..0x"
                        + Long.toHexString(s.end()) + ") lies outside guest RAM (" + ByteSizes.human(ram) + ")");
            }
        }
        long low = Long.MAX_VALUE;
        long high = 0;
        for (ElfSegment s : segments) {
            memory.write(s.paddr(), file, Math.toIntExact(s.fileOffset()), Math.toIntExact(s.fileSize()));
            if (s.memSize() > s.fileSize()) {
                memory.fill(s.paddr() + s.fileSize(), s.memSize() - s.fileSize(), (byte) 0);
            }
            low = Math.min(low, s.paddr());
            high = Math.max(high, s.end());
        }
        return new LoadedImage(this, BootStates.protectedMode32(entry), low, high);
    }
}

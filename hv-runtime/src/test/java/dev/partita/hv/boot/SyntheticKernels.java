package dev.partita.hv.boot;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Builds small bzImage and PVH vmlinux files for tests: real header layouts, tiny payloads. */
public final class SyntheticKernels {
    public static final long PREF_ADDRESS = 0x100_0000;
    public static final int SETUP_SECTS = 1;

    private SyntheticKernels() {}

    /**
     * A bzImage (protocol 2.15, 64-bit, relocatable, pref_address 16 MiB, init_size 4 MiB) whose
     * protected-mode part is {@code payloadSize} bytes with {@code startup64} at offset 0x200.
     */
    public static byte[] bzImage(byte[] startup64, int payloadSize) {
        int setup = (SETUP_SECTS + 1) * 512;
        ByteBuffer b = ByteBuffer.allocate(setup + payloadSize).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0x1F1, (byte) SETUP_SECTS);
        b.putInt(0x1F4, payloadSize / 16);                  // syssize
        b.putShort(0x1FE, (short) 0xAA55);                   // boot_flag
        b.put(0x200, (byte) 0xEB).put(0x201, (byte) 0x6A);   // jmp: header ends at 0x26C
        b.putInt(0x202, 0x53726448);                         // "HdrS"
        b.putShort(0x206, (short) 0x020F);                   // version 2.15
        b.put(0x211, (byte) 0x01);                           // loadflags: LOADED_HIGH
        b.putInt(0x22C, 0x7FFF_FFFF);                        // initrd_addr_max
        b.putInt(0x230, 0x20_0000);                          // kernel_alignment
        b.put(0x234, (byte) 1);                              // relocatable_kernel
        b.putShort(0x236, (short) 0x3);                      // xloadflags: KERNEL_64 | CAN_BE_LOADED_ABOVE_4G
        b.putInt(0x238, 2047);                               // cmdline_size
        b.putLong(0x258, PREF_ADDRESS);                      // pref_address
        b.putInt(0x260, 4 << 20);                            // init_size
        b.put(setup + 0x200, startup64);
        return b.array();
    }

    /** A 64-bit ELF with one PT_LOAD of {@code code} at {@code paddr} and a PT_NOTE with XEN_ELFNOTE_PHYS32_ENTRY = {@code entry}. */
    public static byte[] pvhElf(long paddr, byte[] code, long entry, boolean withNote) {
        int ehdr = 64, phdr = 56;
        int phnum = withNote ? 2 : 1;
        int noteOff = ehdr + phdr * phnum;
        int noteSize = 12 + 4 + 4; // header, "Xen\0", 32-bit entry
        int codeOff = (noteOff + noteSize + 15) & ~15;
        ByteBuffer b = ByteBuffer.allocate(codeOff + code.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7F, 'E', 'L', 'F', 2, 1, 1});
        b.putShort(16, (short) 2);           // ET_EXEC
        b.putShort(18, (short) 62);          // EM_X86_64
        b.putInt(20, 1);
        b.putLong(24, paddr);                // e_entry (not the PVH entry)
        b.putLong(32, ehdr);                 // e_phoff
        b.putShort(52, (short) ehdr);
        b.putShort(54, (short) phdr);
        b.putShort(56, (short) phnum);
        int p = ehdr;
        b.putInt(p, 1).putInt(p + 4, 5).putLong(p + 8, codeOff).putLong(p + 16, paddr).putLong(p + 24, paddr)
                .putLong(p + 32, code.length).putLong(p + 40, code.length + 0x1000).putLong(p + 48, 0x1000);
        if (withNote) {
            p += phdr;
            b.putInt(p, 4).putInt(p + 4, 4).putLong(p + 8, noteOff).putLong(p + 32, noteSize).putLong(p + 40, noteSize)
                    .putLong(p + 48, 4);
            b.putInt(noteOff, 4).putInt(noteOff + 4, 4).putInt(noteOff + 8, PvhKernel.XEN_ELFNOTE_PHYS32_ENTRY);
            b.put(noteOff + 12, new byte[] {'X', 'e', 'n', 0});
            b.putInt(noteOff + 16, (int) entry);
        }
        b.put(codeOff, code);
        return b.array();
    }
}

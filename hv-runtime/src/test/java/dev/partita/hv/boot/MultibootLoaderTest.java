package dev.partita.hv.boot;

import dev.partita.hv.loader.ImageLoadException;
import dev.partita.hv.memory.GuestMemory;
import dev.partita.hv.vp.Gpr;
import dev.partita.hv.vp.VpState;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class MultibootLoaderTest {
    private static final long LOAD = 0x100000;
    /** File offset of the segment (and of the multiboot header, its first bytes). */
    private static final int SEGMENT_OFFSET = 0x100;
    private static final byte[] CODE = {(byte) 0xF4, (byte) 0xEB, (byte) 0xFD}; // hlt; jmp -3

    /** An ELF32 i386 executable with one PT_LOAD at {@code paddr}: the multiboot header, then CODE; {@code bss} zero bytes after. */
    static byte[] elfKernel(long paddr, long flags, long checksum, int bss) {
        int header = 12;
        int segment = header + CODE.length;
        ByteBuffer b = ByteBuffer.allocate(SEGMENT_OFFSET + segment).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7F, 'E', 'L', 'F', 1, 1, 1});
        b.putShort(16, (short) 2).putShort(18, (short) 3).putInt(20, 1);
        b.putInt(24, (int) (paddr + header)); // e_entry: the code after the header
        b.putInt(28, 52).putShort(40, (short) 52).putShort(42, (short) 32).putShort(44, (short) 1);
        b.putInt(52, 1).putInt(56, SEGMENT_OFFSET).putInt(60, (int) paddr).putInt(64, (int) paddr)
                .putInt(68, segment).putInt(72, segment + bss).putInt(76, 5);
        b.putInt(SEGMENT_OFFSET, (int) MultibootHeader.MAGIC).putInt(SEGMENT_OFFSET + 4, (int) flags)
                .putInt(SEGMENT_OFFSET + 8, (int) checksum);
        b.put(SEGMENT_OFFSET + header, CODE);
        return b.array();
    }

    static byte[] elfKernel(long paddr, int bss) {
        long flags = MultibootHeader.PAGE_ALIGN | MultibootHeader.MEMORY_INFO;
        return elfKernel(paddr, flags, -(MultibootHeader.MAGIC + flags), bss);
    }

    @Test
    void elfKernelGetsInfoWithMemoryMapCommandLineAndModules() throws Exception {
        byte[] file = elfKernel(LOAD, 0x3000);
        byte[] mod1 = "first module".getBytes(StandardCharsets.US_ASCII);
        byte[] mod2 = new byte[5000];
        mod2[4999] = 0x77;
        try (GuestMemory mem = GuestMemory.allocate(32L << 20)) {
            mem.fill(LOAD + 15, 0x3000, (byte) 0xCC); // the bss must be zeroed
            BootedMultiboot b = MultibootLoader.load(mem, MultibootKernel.parse(file), "/k/test.elf mode=fast",
                    List.of(new MultibootModule("/m/one", mod1), new MultibootModule("/m/two arg", mod2)));
            VpState s = b.bootState();
            assertEquals(MultibootLoader.BOOTLOADER_MAGIC, s.gpr(Gpr.RAX));
            assertEquals(b.infoAddress(), s.gpr(Gpr.RBX));
            assertEquals(LOAD + 12, s.rip());
            assertEquals(0x11, s.cr0(), "protected mode, paging off");
            assertArrayEquals(CODE, mem.read(LOAD + 12, CODE.length));
            assertEquals(0, mem.readU8(LOAD + 15 + 0x2FFF), "bss zeroed");
            assertEquals(LOAD + 15 + 0x3000, b.kernelEnd());

            long info = b.infoAddress();
            assertEquals(0x24D, mem.readU32(info), "flags: memory, cmdline, mods, mmap, boot loader name");
            assertEquals(639, mem.readU32(info + 4), "mem_lower KiB");
            assertEquals(31 * 1024, mem.readU32(info + 8), "mem_upper KiB");
            assertEquals("/k/test.elf mode=fast", cString(mem, mem.readU32(info + 16)));
            assertEquals("Partita", cString(mem, mem.readU32(info + 64)));

            assertEquals(2, mem.readU32(info + 20));
            long mods = mem.readU32(info + 24);
            long m1 = mem.readU32(mods);
            long m2 = mem.readU32(mods + 16);
            assertEquals(0, m1 % 4096, "page aligned");
            assertEquals(0, m2 % 4096);
            assertTrue(m1 >= b.kernelEnd(), "modules above the kernel");
            assertEquals(m1 + mod1.length, mem.readU32(mods + 4));
            assertEquals(m2 + mod2.length, mem.readU32(mods + 20));
            assertTrue(m2 >= m1 + mod1.length, "modules do not overlap");
            assertArrayEquals(mod1, mem.read(m1, mod1.length));
            assertEquals(0x77, mem.readU8(m2 + 4999));
            assertEquals("/m/one", cString(mem, mem.readU32(mods + 8)));
            assertEquals("/m/two arg", cString(mem, mem.readU32(mods + 24)));
            assertTrue(info >= m2 + mod2.length, "information above the modules");

            long mmapLength = mem.readU32(info + 44);
            long mmap = mem.readU32(info + 48);
            assertEquals(6 * 24, mmapLength);
            long[][] expected = {{0, 0x9FC00, 1}, {0x9FC00, 0x400, 2}, {0xF0000, 0x10000, 2}, {0x100000, (32L << 20) - 0x100000, 1},
                    {0xFEC00000L, 0x1000, 2}, {0xFEE00000L, 0x1000, 2}};
            for (int i = 0; i < expected.length; i++) {
                long e = mmap + 24L * i;
                assertEquals(20, mem.readU32(e), "entry size field");
                assertEquals(expected[i][0], mem.readU64(e + 4), "base of entry " + i);
                assertEquals(expected[i][1], mem.readU64(e + 12), "length of entry " + i);
                assertEquals(expected[i][2], mem.readU32(e + 20), "type of entry " + i);
            }
        }
    }

    @Test
    void addressFieldsLoadAFlatImage() throws Exception {
        // Flat file: header at offset 0 with address fields, the code after them; loaded at 2 MiB, 0x1000 of bss.
        long flags = MultibootHeader.ADDRESS_FIELDS;
        ByteBuffer b = ByteBuffer.allocate(32 + CODE.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt((int) MultibootHeader.MAGIC).putInt((int) flags).putInt((int) -(MultibootHeader.MAGIC + flags));
        b.putInt(0x200000).putInt(0x200000).putInt(0).putInt(0x201000).putInt(0x200020);
        b.put(CODE);
        try (GuestMemory mem = GuestMemory.allocate(8L << 20)) {
            BootedMultiboot booted = MultibootLoader.load(mem, MultibootKernel.parse(b.array()), "", List.of());
            assertEquals(0x200020, booted.bootState().rip());
            assertArrayEquals(CODE, mem.read(0x200020, CODE.length));
            assertEquals(0x201000, booted.kernelEnd());
            assertEquals(0, mem.readU32(booted.infoAddress() + 20), "no modules");
        }
    }

    @Test
    void badChecksumIsRefused() {
        byte[] file = elfKernel(LOAD, 3, 0x1234, 0);
        ImageLoadException e = assertThrows(ImageLoadException.class, () -> MultibootKernel.parse(file));
        assertTrue(e.getMessage().contains("bad checksum"), e.getMessage());
    }

    @Test
    void videoModeRequirementIsRefused() {
        long flags = MultibootHeader.VIDEO_MODE;
        byte[] file = elfKernel(LOAD, flags, -(MultibootHeader.MAGIC + flags), 0);
        ImageLoadException e = assertThrows(ImageLoadException.class, () -> MultibootKernel.parse(file));
        assertTrue(e.getMessage().contains("requires features"), e.getMessage());
    }

    @Test
    void kernelOutsideRamIsRefused() throws Exception {
        try (GuestMemory mem = GuestMemory.allocate(8L << 20)) {
            MultibootKernel k = MultibootKernel.parse(elfKernel(0x1000000, 0));
            ImageLoadException e = assertThrows(ImageLoadException.class, () -> MultibootLoader.load(mem, k, "", List.of()));
            assertTrue(e.getMessage().contains("outside guest RAM"), e.getMessage());
            assertEquals(0, mem.readU32(0x1000), "nothing written");
        }
    }

    @Test
    void modulesThatDoNotFitAreRefusedBeforeAnythingIsWritten() throws Exception {
        try (GuestMemory mem = GuestMemory.allocate(4L << 20)) {
            MultibootKernel k = MultibootKernel.parse(elfKernel(LOAD, 0));
            ImageLoadException e = assertThrows(ImageLoadException.class, () -> MultibootLoader.load(mem, k, "",
                    List.of(new MultibootModule("a", new byte[1 << 20]), new MultibootModule("big", new byte[2 << 20]))));
            assertTrue(e.getMessage().contains("module 2 (big"), e.getMessage());
            assertEquals(0, mem.readU32(LOAD), "kernel not written");
        }
    }

    @Test
    void noHeaderAndBzImagesAreNotMultiboot() {
        assertFalse(MultibootKernel.isMultiboot(new byte[10000]));
        assertTrue(MultibootKernel.isMultiboot(elfKernel(LOAD, 0)));
        ImageLoadException e = assertThrows(ImageLoadException.class, () -> MultibootKernel.parse(new byte[100]));
        assertTrue(e.getMessage().contains("no multiboot header"), e.getMessage());
    }

    private static String cString(GuestMemory mem, long at) {
        StringBuilder s = new StringBuilder();
        for (int c; (c = mem.readU8(at++)) != 0; ) {
            s.append((char) c);
        }
        return s.toString();
    }
}

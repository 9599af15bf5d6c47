package dev.partita.hv.loader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.partita.hv.memory.GuestMemory;
import dev.partita.hv.vp.Gpr;
import dev.partita.hv.vp.SegmentRegister;
import dev.partita.hv.vp.VpState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuestImageLoaderTest {

    static final long RAM = 32L << 20;
    GuestMemory memory;

    @BeforeEach
    void allocate() {
        memory = GuestMemory.allocate(RAM);
    }

    @AfterEach
    void free() {
        memory.close();
    }

    static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String failure(byte[] image) {
        ImageLoadException e = assertThrows(ImageLoadException.class, () -> ImageSniffer.parse(image));
        assertFalse(e.getMessage().contains("\n"), "one-line message: " + e.getMessage());
        return e.getMessage();
    }

    String loadFailure(byte[] image) throws ImageLoadException {
        GuestImage img = ImageSniffer.parse(image);
        ImageLoadException e = assertThrows(ImageLoadException.class, () -> img.loadInto(memory));
        assertFalse(e.getMessage().contains("\n"));
        return e.getMessage();
    }

    @Test
    void elf32SegmentsCopiedToPaddrAndBssZeroed() throws Exception {
        byte[] text = bytes(300, 1);
        byte[] data = bytes(64, 2);
        byte[] image = TestElf.elf32().load(0x100000, text, 300).load(0x200000, data, 0x3000).build();
        memory.fill(0x200000, 0x4000, (byte) 0xCC);
        GuestImage img = ImageSniffer.parse(image);
        ElfImage elf = assertInstanceOf(ElfImage.class, img);
        assertFalse(elf.isElf64());
        LoadedImage loaded = img.loadInto(memory);
        assertArrayEquals(text, memory.read(0x100000, 300));
        assertArrayEquals(data, memory.read(0x200000, 64));
        byte[] bss = memory.read(0x200000 + 64, 0x3000 - 64);
        assertTrue(allEqual(bss, (byte) 0), "bss zeroed");
        assertEquals((byte) 0xCC, memory.read(0x203000, 1)[0], "nothing written past p_memsz");
        assertEquals(0x100000, loaded.lowestGpa());
        assertEquals(0x203000, loaded.endGpa());
        VpState s = loaded.bootState();
        assertEquals(0x100000, s.rip());
        assertEquals(0x11, s.cr0());
        assertEquals(2, s.rflags());
        assertEquals(0x08, s.cs().selector());
        assertEquals(0xFFFFFFFF, s.cs().limit());
        assertTrue((s.cs().attributes() & SegmentRegister.DB) != 0, "32-bit code");
        for (SegmentRegister d : new SegmentRegister[] {s.ds(), s.es(), s.fs(), s.gs(), s.ss()}) {
            assertEquals(0x10, d.selector());
            assertEquals(0, d.base());
        }
        assertEquals(0, s.gdtr().limit());
        assertEquals(0, s.idtr().limit());
        for (Gpr r : Gpr.values()) {
            assertEquals(0, s.gpr(r), r + " zero at entry");
        }
    }

    @Test
    void elf64Accepted() throws Exception {
        byte[] text = bytes(100, 3);
        TestElf t = TestElf.elf64().load(0x400000, text, 100);
        t.entry = 0x400010;
        LoadedImage loaded = ImageSniffer.parse(t.build()).loadInto(memory);
        assertArrayEquals(text, memory.read(0x400000, 100));
        assertEquals(0x400010, loaded.bootState().rip());
        assertTrue(loaded.image().describe().startsWith("ELF64 x86-64"));
    }

    @Test
    void flatImageLoadsAt7c00InRealMode() throws Exception {
        byte[] code = bytes(512, 4);
        code[0] = 0x12; // not ELF magic
        LoadedImage loaded = ImageSniffer.parse(code).loadInto(memory);
        assertInstanceOf(FlatImage.class, loaded.image());
        assertArrayEquals(code, memory.read(0x7C00, 512));
        VpState s = loaded.bootState();
        assertEquals(0x7C00, s.rip());
        assertEquals(0x7C00, s.gpr(Gpr.RSP));
        assertEquals(0, s.cs().selector());
        assertEquals(0, s.cs().base());
        assertEquals(0, s.ss().base());
        assertEquals(0x60000010L, s.cr0());
        assertEquals(2, s.rflags());
    }

    @Test
    void applicationProcessorsWaitForStartup() {
        VpState ap = BootStates.applicationProcessor();
        assertEquals(dev.partita.hv.vp.MpState.INIT_RECEIVED, ap.mpState());
        assertEquals(0, ap.apicBase() & 0x100, "BSP flag clear");
        assertEquals(0xFEE00000L, ap.apicBase() & ~0xFFFL);
    }

    @Test
    void flatImageLimits() throws Exception {
        assertTrue(failure(new byte[0]).contains("empty"));
        byte[] max = new byte[(int) FlatImage.MAX_SIZE];
        ImageSniffer.parse(max).loadInto(memory);
        String m = failure(new byte[(int) FlatImage.MAX_SIZE + 1]);
        assertTrue(m.contains("not an ELF") && m.contains("too large for a flat image"), m);
    }

    @Test
    void truncatedFiles() {
        byte[] good = TestElf.elf32().load(0x100000, bytes(64, 5), 64).build();
        assertTrue(failure(Arrays.copyOf(good, 10)).contains("truncated"));
        assertTrue(failure(Arrays.copyOf(good, 40)).contains("truncated"));
        assertTrue(failure(Arrays.copyOf(good, 60)).contains("program header table"), "phdr table cut");
        assertTrue(failure(Arrays.copyOf(good, good.length - 1)).contains("ELF program header 0 extends past end of file"));
    }

    @Test
    void badHeaderFields() {
        TestElf t = TestElf.elf32().load(0x100000, bytes(64, 6), 64);
        t.phnumOverride = 5000;
        assertTrue(failure(t.build()).contains("extends past end of file"));
        t.phnumOverride = 0;
        assertTrue(failure(t.build()).contains("no program headers"));
        t.phnumOverride = null;
        t.phentsizeOverride = 8;
        assertTrue(failure(t.build()).contains("e_phentsize"));
        t.phentsizeOverride = null;
        t.phoffOverride = 0xFFFF_FFF0L;
        assertTrue(failure(t.build()).contains("extends past end of file"));
        t.phoffOverride = null;
        t.machine = 40; // EM_ARM
        assertTrue(failure(t.build()).contains("machine 40"));
        t.machine = ElfFormat.EM_386;
        t.type = 3; // ET_DYN
        assertTrue(failure(t.build()).contains("ET_EXEC"));
        t.type = ElfFormat.ET_EXEC;
        byte[] bigEndian = t.build();
        bigEndian[ElfFormat.EI_DATA] = 2;
        assertTrue(failure(bigEndian).contains("little-endian"));
        byte[] badClass = t.build();
        badClass[ElfFormat.EI_CLASS] = 7;
        assertTrue(failure(badClass).contains("class 7"));
        TestElf e64 = TestElf.elf64().load(0x100000, bytes(8, 1), 8);
        e64.machine = ElfFormat.EM_386;
        assertTrue(failure(e64.build()).contains("inconsistent"));
    }

    @Test
    void segmentFieldChecks() {
        TestElf sizes = TestElf.elf64().raw(new TestElf.Phdr(ElfFormat.PT_LOAD, 64, 0x100000, 0x100, 0x80, 5));
        assertTrue(failure(sizes.build()).contains("p_filesz"), "filesz > memsz");
        TestElf wrapOffset = TestElf.elf64().raw(new TestElf.Phdr(ElfFormat.PT_LOAD, 0xFFFF_FFFF_FFFF_FFF0L, 0x100000, 0x20, 0x20, 5));
        assertTrue(failure(wrapOffset.build()).contains("ELF program header 0 extends past end of file"));
        TestElf wrapFilesz = TestElf.elf64().raw(new TestElf.Phdr(ElfFormat.PT_LOAD, 8, 0x100000, Long.MAX_VALUE, Long.MAX_VALUE, 5));
        assertTrue(failure(wrapFilesz.build()).contains("extends past end of file"));
        TestElf wrapPaddr = TestElf.elf64().raw(new TestElf.Phdr(ElfFormat.PT_LOAD, 0, 0xFFFF_FFFF_FFFF_F000L, 0, 0x2000, 5));
        assertTrue(failure(wrapPaddr.build()).contains("below 4 GiB"));
        TestElf high = TestElf.elf32().raw(new TestElf.Phdr(ElfFormat.PT_LOAD, 0, 0xFFFF_F000L, 0, 0x2000, 5));
        assertTrue(failure(high.build()).contains("below 4 GiB"));
        TestElf interp = TestElf.elf32().load(0x100000, bytes(8, 1), 8).raw(new TestElf.Phdr(ElfFormat.PT_INTERP, 0, 0, 0, 0, 4));
        assertTrue(failure(interp.build()).contains("statically linked"));
    }

    @Test
    void overlappingSegments() {
        byte[] image = TestElf.elf32().load(0x100000, bytes(0x100, 7), 0x2000).load(0x101000, bytes(0x10, 8), 0x10).build();
        assertEquals("ELF program headers 0 and 1 overlap in guest memory at 0x101000", failure(image));
    }

    @Test
    void entryOutsideSegments() {
        TestElf t = TestElf.elf32().load(0x100000, bytes(0x100, 9), 0x100);
        t.entry = 0x100100;
        assertTrue(failure(t.build()).contains("entry point 0x100100"));
    }

    @Test
    void segmentOutsideRam() throws Exception {
        TestElf t = TestElf.elf32().load(RAM - 0x100, bytes(0x200, 10), 0x200);
        t.entry = RAM - 0x100;
        assertEquals("ELF program header 0 (0x1ffff00..0x2000100) lies outside guest RAM (32 MiB)", loadFailure(t.build()));
        TestElf huge = TestElf.elf32().load(0x100000, bytes(0x10, 11), 40L << 20);
        assertEquals("image is 40 MiB but guest memory is 32 MiB", loadFailure(huge.build()));
    }

    @Test
    void linuxBzImageRecognisedAndRefused() {
        byte[] d = new byte[0x400];
        d[0x1FE] = 0x55;
        d[0x1FF] = (byte) 0xAA;
        d[0x202] = 'H'; d[0x203] = 'd'; d[0x204] = 'r'; d[0x205] = 'S';
        assertTrue(failure(d).contains("bzImage"));
    }

    @Test
    void fileProblems(@TempDir Path dir) throws Exception {
        ImageLoadException missing = assertThrows(ImageLoadException.class, () -> ImageSniffer.read(dir.resolve("nope.bin")));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
        ImageLoadException directory = assertThrows(ImageLoadException.class, () -> ImageSniffer.read(dir));
        assertTrue(directory.getMessage().contains("directory"));
        ImageLoadException device = assertThrows(ImageLoadException.class, () -> ImageSniffer.read(Path.of("/dev/zero")));
        assertTrue(device.getMessage().contains("not a regular file"), device.getMessage());
        Path ok = dir.resolve("ok.bin");
        Files.write(ok, new byte[] {(byte) 0xF4});
        assertInstanceOf(FlatImage.class, ImageSniffer.read(ok));
    }

    @Test
    void mutatedElfFilesFailOnlyWithImageLoadException() {
        byte[] good = TestElf.elf64().load(0x100000, bytes(256, 12), 0x1000).load(0x300000, bytes(32, 13), 32).build();
        Random r = new Random(42);
        for (int round = 0; round < 3000; round++) {
            byte[] m = good.clone();
            int flips = 1 + r.nextInt(4);
            for (int i = 0; i < flips; i++) {
                int at = 4 + r.nextInt(Math.min(m.length - 4, 64 + 2 * 56)); // keep the magic, hit the headers
                m[at] = (byte) r.nextInt(256);
            }
            try {
                ImageSniffer.parse(m).loadInto(memory);
            } catch (ImageLoadException expected) {
                assertFalse(expected.getMessage().isBlank());
            }
        }
    }

    private static boolean allEqual(byte[] b, byte v) {
        for (byte x : b) {
            if (x != v) {
                return false;
            }
        }
        return true;
    }
}

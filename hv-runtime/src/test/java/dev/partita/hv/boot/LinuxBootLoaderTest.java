package dev.partita.hv.boot;

import dev.partita.hv.acpi.AcpiPlatform;
import dev.partita.hv.acpi.AcpiTableSet;
import dev.partita.hv.acpi.AcpiTables;
import dev.partita.hv.loader.ImageLoadException;
import dev.partita.hv.memory.GuestMemory;
import dev.partita.hv.vp.Gpr;
import dev.partita.hv.vp.SegmentRegister;
import dev.partita.hv.vp.VpState;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class LinuxBootLoaderTest {
    private static final byte[] CODE = {(byte) 0xF4, (byte) 0xEB, (byte) 0xFD}; // hlt; jmp -3

    private static AcpiTables acpi() {
        return AcpiTableSet.build(new AcpiPlatform(2, false), BootLayout.ACPI_BASE);
    }

    @Test
    void bzImageIsPlacedAtPrefAddressWithZeroPageAndLongModeState() throws Exception {
        byte[] file = SyntheticKernels.bzImage(CODE, 0x1000);
        byte[] initrd = new byte[100_000];
        Arrays.fill(initrd, (byte) 0x5A);
        try (GuestMemory mem = GuestMemory.allocate(64L << 20)) {
            BootedKernel k = LinuxBootLoader.load(mem,
                    new LinuxBootRequest(LinuxKernel.parse(file), initrd, "console=ttyS0 quiet", acpi()));
            long load = SyntheticKernels.PREF_ADDRESS;
            assertEquals(load, k.kernelStart());
            assertEquals(load + 0x200, k.entry());
            assertArrayEquals(Arrays.copyOfRange(file, 1024, file.length), mem.read(load, 0x1000), "protected-mode kernel copied");

            long zp = BootLayout.ZERO_PAGE;
            assertEquals(zp, k.bootInfo());
            assertEquals(0x53726448L, mem.readU32(zp + 0x202), "setup header copied (HdrS)");
            assertEquals(0x020F, mem.readU16(zp + 0x206));
            assertEquals(0xFF, mem.readU8(zp + 0x210), "type_of_loader");
            assertEquals(load, mem.readU32(zp + 0x214), "code32_start");
            assertEquals(BootLayout.CMDLINE, mem.readU32(zp + 0x228), "cmd_line_ptr");
            assertEquals("console=ttyS0 quiet", new String(mem.read(BootLayout.CMDLINE, 19), StandardCharsets.US_ASCII));
            assertEquals(0, mem.readU8(BootLayout.CMDLINE + 19), "command line NUL-terminated");
            long initrdAt = mem.readU32(zp + 0x218);
            assertEquals(k.initrdAddress(), initrdAt);
            assertEquals(initrd.length, mem.readU32(zp + 0x21C));
            assertEquals(0, initrdAt % 4096);
            assertTrue(initrdAt + initrd.length <= 64L << 20 && initrdAt >= load + (4 << 20), "initrd high, above the kernel");
            assertTrue(initrdAt > (60L << 20), "initrd placed at the top of memory: 0x" + Long.toHexString(initrdAt));
            assertArrayEquals(initrd, mem.read(initrdAt, initrd.length));
            assertEquals(BootLayout.ACPI_BASE, mem.readU64(zp + 0x070), "acpi_rsdp_addr");
            assertEquals("RSD PTR ", new String(mem.read(BootLayout.ACPI_BASE, 8), StandardCharsets.US_ASCII));

            int n = mem.readU8(zp + 0x1E8);
            assertEquals(7, n);
            long[][] expected = {{0, 0x9FC00, 1}, {0x9FC00, 0x400, 2}, {0xE0000, 0x20000, 2}, {0x100000, (64L << 20) - 0x100000, 1},
                    {0xE0000000L, 0x100000, 2}, {0xFEC00000L, 0x1000, 2}, {0xFEE00000L, 0x1000, 2}};
            for (int i = 0; i < n; i++) {
                long e = zp + 0x2D0 + 20L * i;
                assertEquals(expected[i][0], mem.readU64(e), "e820[" + i + "].addr");
                assertEquals(expected[i][1], mem.readU64(e + 8), "e820[" + i + "].size");
                assertEquals(expected[i][2], mem.readU32(e + 16), "e820[" + i + "].type");
            }

            VpState s = k.bootState();
            assertEquals(load + 0x200, s.rip());
            assertEquals(zp, s.gpr(Gpr.RSI));
            assertEquals(0, s.rflags() & 0x200, "interrupts off");
            assertEquals(0x10, s.cs().selector());
            assertTrue((s.cs().attributes() & SegmentRegister.L) != 0, "64-bit code segment");
            assertEquals(0x18, s.ds().selector());
            assertEquals(0x18, s.ss().selector());
            assertEquals(0x500, s.efer() & 0x500, "EFER.LME|LMA");
            assertTrue((s.cr0() & 0x8000_0001L) == 0x8000_0001L, "CR0.PG|PE");
            assertEquals(0x20, s.cr4() & 0x20, "CR4.PAE");
            // GDT: __BOOT_CS and __BOOT_DS are flat descriptors
            assertEquals(0x00AF9B000000FFFFL, mem.readU64(s.gdtr().base() + 0x10));
            assertEquals(0x00CF93000000FFFFL, mem.readU64(s.gdtr().base() + 0x18));
            // Page tables identity-map the entry, the zero page, and an address near 4 GiB.
            for (long va : new long[] {s.rip(), zp, initrdAt, 0xFEE0_0000L}) {
                assertEquals(va, translate(mem, s.cr3(), va), "identity mapping of 0x" + Long.toHexString(va));
            }
        }
    }

    /** Walks the 4-level tables (2 MiB leaves) like the CPU. */
    private static long translate(GuestMemory mem, long cr3, long va) {
        long pml4e = mem.readU64((cr3 & ~0xFFFL) + 8 * ((va >>> 39) & 511));
        assertEquals(1, pml4e & 1);
        long pdpte = mem.readU64((pml4e & 0xF_FFFF_FFFF_F000L) + 8 * ((va >>> 30) & 511));
        assertEquals(1, pdpte & 1);
        long pde = mem.readU64((pdpte & 0xF_FFFF_FFFF_F000L) + 8 * ((va >>> 21) & 511));
        assertEquals(0x81, pde & 0x81, "present 2 MiB page");
        return (pde & 0xF_FFFF_FFE0_0000L) | (va & 0x1F_FFFF);
    }

    @Test
    void relocatableKernelMovesDownWhenPrefAddressDoesNotFit() throws Exception {
        byte[] file = SyntheticKernels.bzImage(CODE, 0x1000);
        try (GuestMemory mem = GuestMemory.allocate(16L << 20)) {
            BootedKernel k = LinuxBootLoader.load(mem, new LinuxBootRequest(LinuxKernel.parse(file), null, "", null));
            assertEquals(0x200000, k.kernelStart(), "first 2 MiB boundary above 1 MiB");
            assertEquals(0, mem.readU32(BootLayout.ZERO_PAGE + 0x218), "no initrd");
            assertEquals(0, mem.readU64(BootLayout.ZERO_PAGE + 0x070), "no RSDP");
        }
    }

    @Test
    void badKernelsAreNamed() {
        byte[] good = SyntheticKernels.bzImage(CODE, 0x1000);
        assertEquals("not a bzImage: no HdrS magic at offset 0x202",
                assertThrows(ImageLoadException.class, () -> LinuxKernel.parse(new byte[4096])).getMessage());

        byte[] big = SyntheticKernels.bzImage(CODE, 8 << 20);
        byte[] truncated = Arrays.copyOf(big, 1024 + (2 << 20));
        assertEquals("kernel truncated: setup says 8 MiB, file has 2 MiB",
                assertThrows(ImageLoadException.class, () -> LinuxKernel.parse(truncated)).getMessage());

        byte[] old = good.clone();
        old[0x206] = 0x0A; // 2.10
        assertTrue(assertThrows(ImageLoadException.class, () -> LinuxKernel.parse(old)).getMessage()
                .contains("boot protocol 2.10 is too old"));

        byte[] no64 = good.clone();
        no64[0x236] = 0;
        assertTrue(assertThrows(ImageLoadException.class, () -> LinuxKernel.parse(no64)).getMessage().contains("XLF_KERNEL_64"));

        byte[] zImage = good.clone();
        zImage[0x211] = 0;
        assertTrue(assertThrows(ImageLoadException.class, () -> LinuxKernel.parse(zImage)).getMessage().contains("zImage"));

        byte[] badAlign = good.clone();
        badAlign[0x230] = 3;
        assertTrue(assertThrows(ImageLoadException.class, () -> LinuxKernel.parse(badAlign)).getMessage()
                .contains("not a power of two"));

        byte[] elfWithoutNote = SyntheticKernels.pvhElf(0x100000, CODE, 0, false);
        assertTrue(assertThrows(ImageLoadException.class, () -> LinuxKernel.parse(elfWithoutNote)).getMessage()
                .contains("no PVH entry"));
    }

    @Test
    void initrdLargerThanMemoryOrBesideTheKernelIsRefused() throws Exception {
        LinuxKernel kernel = LinuxKernel.parse(SyntheticKernels.bzImage(CODE, 0x1000));
        try (GuestMemory mem = GuestMemory.allocate(32L << 20)) {
            ImageLoadException e = assertThrows(ImageLoadException.class,
                    () -> LinuxBootLoader.load(mem, new LinuxBootRequest(kernel, new byte[40 << 20], "", null)));
            assertEquals("initrd (40 MiB) does not fit in 32 MiB of memory", e.getMessage());
            // 14 MiB fits in 32 MiB, but not above a kernel using 16-20 MiB
            ImageLoadException besideKernel = assertThrows(ImageLoadException.class,
                    () -> LinuxBootLoader.load(mem, new LinuxBootRequest(kernel, new byte[14 << 20], "", null)));
            assertTrue(besideKernel.getMessage().startsWith("initrd (14 MiB) does not fit in 32 MiB of memory next to the kernel"),
                    besideKernel.getMessage());
        }
    }

    @Test
    void overlongCommandLineAndTooLittleMemoryAreRefused() throws Exception {
        LinuxKernel kernel = LinuxKernel.parse(SyntheticKernels.bzImage(CODE, 0x1000));
        try (GuestMemory mem = GuestMemory.allocate(32L << 20)) {
            String longLine = "x".repeat(2048);
            assertTrue(assertThrows(ImageLoadException.class,
                    () -> LinuxBootLoader.load(mem, new LinuxBootRequest(kernel, null, longLine, null))).getMessage()
                    .contains("the kernel accepts at most 2047 (cmdline_size)"));
        }
        try (GuestMemory mem = GuestMemory.allocate(4L << 20)) {
            assertTrue(assertThrows(ImageLoadException.class,
                    () -> LinuxBootLoader.load(mem, new LinuxBootRequest(kernel, null, "", null))).getMessage()
                    .startsWith("kernel needs 4 MiB (init_size) from 2 MiB"));
        }
    }

    @Test
    void pvhKernelGetsStartInfoWithMemoryMapModuleAndRsdp() throws Exception {
        byte[] elf = SyntheticKernels.pvhElf(0x100000, CODE, 0x100000, true);
        byte[] initrd = new byte[8192];
        initrd[0] = 0x42;
        try (GuestMemory mem = GuestMemory.allocate(32L << 20)) {
            LinuxKernel kernel = LinuxKernel.parse(elf);
            assertInstanceOf(PvhKernel.class, kernel);
            BootedKernel k = LinuxBootLoader.load(mem, new LinuxBootRequest(kernel, initrd, "root=/dev/sda", acpi()));
            VpState s = k.bootState();
            assertEquals(0x100000, s.rip());
            assertEquals(BootLayout.PVH_START_INFO, s.gpr(Gpr.RBX));
            assertEquals(0x11, s.cr0() & 0x8000_0011L, "protected mode, paging off");
            assertEquals(0x67, s.tr().limit());
            long si = BootLayout.PVH_START_INFO;
            assertEquals(0x336EC578L, mem.readU32(si));
            assertEquals(1, mem.readU32(si + 4), "version");
            assertEquals(1, mem.readU32(si + 12), "nr_modules");
            long mod = mem.readU64(si + 16);
            assertEquals(k.initrdAddress(), mem.readU64(mod));
            assertEquals(8192, mem.readU64(mod + 8));
            assertEquals(0x42, mem.readU8(k.initrdAddress()));
            assertEquals("root=/dev/sda", new String(mem.read(mem.readU64(si + 24), 13), StandardCharsets.US_ASCII));
            assertEquals(BootLayout.ACPI_BASE, mem.readU64(si + 32), "rsdp_paddr");
            long map = mem.readU64(si + 40);
            assertEquals(7, mem.readU32(si + 48));
            assertEquals(0x100000, mem.readU64(map + 3 * 24));
            assertEquals((32L << 20) - 0x100000, mem.readU64(map + 3 * 24 + 8));
            assertEquals(1, mem.readU32(map + 3 * 24 + 16));
            assertArrayEquals(CODE, mem.read(0x100000, CODE.length));
        }
    }

    @Test
    void memoryAbove4GiBIsInTheE820MapAndReachable() throws Exception {
        long six = 6L << 30;
        try (GuestMemory mem = GuestMemory.allocate(dev.partita.hv.memory.PcRamLayout.regions(six))) {
            BootedKernel k = LinuxBootLoader.load(mem, new LinuxBootRequest(LinuxKernel.parse(SyntheticKernels.bzImage(CODE, 0x1000)),
                    null, "console=ttyS0", acpi()));
            List<E820Entry> ram = k.memoryMap().stream().filter(e -> e.type() == E820Entry.RAM).toList();
            assertEquals(List.of(new E820Entry(0, 0x9FC00, 1), new E820Entry(0x100000, 0xD000_0000L - 0x100000, 1),
                    new E820Entry(1L << 32, six - 0xD000_0000L, 1)), ram);
            assertEquals(six, ram.stream().mapToLong(E820Entry::size).sum() + 0x100000 - 0x9FC00, "all RAM but the legacy hole");
            long zp = BootLayout.ZERO_PAGE;
            assertEquals(8, mem.readU8(zp + 0x1E8), "boot_params carries the high entry");
            long last = zp + 0x2D0 + 20L * 7;
            assertEquals(1L << 32, mem.readU64(last));
            assertEquals(six - 0xD000_0000L, mem.readU64(last + 8));
            // The RAM the map promises above 4 GiB holds what is written there.
            long top = (1L << 32) + (six - 0xD000_0000L) - 8;
            mem.writeU64(1L << 32, 0x0123_4567_89AB_CDEFL);
            mem.writeU64(top, 0xFEDC_BA98_7654_3210L);
            assertEquals(0x0123_4567_89AB_CDEFL, mem.readU64(1L << 32));
            assertEquals(0xFEDC_BA98_7654_3210L, mem.readU64(top));
            assertFalse(mem.isRam(0xD000_0000L, 8), "the MMIO hole is not RAM");
        }
    }
}

package dev.partita.hv.boot;

import dev.partita.hv.loader.BootStates;
import dev.partita.hv.loader.ByteSizes;
import dev.partita.hv.loader.ImageLoadException;
import dev.partita.hv.memory.GuestMemory;
import dev.partita.hv.vp.Gpr;
import dev.partita.hv.vp.VpState;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Places a multiboot (version 1) kernel, its modules and the boot information in guest memory, as a
 * multiboot boot loader leaves the machine: 32-bit protected mode with flat segments and paging off,
 * interrupts off, EAX = 0x2BADB002, EBX = the boot information's address.
 *
 * <p>Layout: the kernel where its file says; then, from the first page at or above both 1 MiB and the
 * kernel's end, each module on its own page boundary in the given order; then the boot information page(s):
 * the information structure (memory sizes, command line, modules, memory map, boot loader name), the
 * memory map, the module list and the strings. Every range is checked against RAM before anything is
 * written; a kernel range outside RAM or modules that do not fit are bad input.
 *
 * <p>The memory map is the one of {@link #memoryMap}: RAM below 0x9FC00, a reserved EBDA and BIOS area,
 * RAM from 1 MiB to the end of the RAM below the MMIO hole, the I/O APIC and local APIC pages, and the RAM
 * above 4 GiB. Stateless.
 */
public final class MultibootLoader {
    /** What the kernel finds in EAX. */
    public static final long BOOTLOADER_MAGIC = 0x2BAD_B002L;
    /** Information flags: mem_lower/mem_upper, cmdline, mods, mmap, boot_loader_name. */
    static final long INFO_MEMORY = 1, INFO_CMDLINE = 1 << 2, INFO_MODS = 1 << 3, INFO_MMAP = 1 << 6, INFO_LOADER_NAME = 1 << 9;
    static final int INFO_SIZE = 128;
    static final int MMAP_ENTRY_SIZE = 24;
    static final int MODULE_ENTRY_SIZE = 16;
    static final String LOADER_NAME = "Partita";
    static final long BIOS_AREA = 0xF0000;

    private MultibootLoader() {}

    /**
     * Loads {@code kernel} with {@code cmdline} and {@code modules} into {@code memory} (RAM contiguous from 0).
     *
     * @throws ImageLoadException a kernel range outside RAM, or modules and boot information that do not fit
     */
    public static BootedMultiboot load(GuestMemory memory, MultibootKernel kernel, String cmdline, List<MultibootModule> modules)
            throws ImageLoadException {
        long ramEnd = contiguousRamEnd(memory);
        long kernelStart = Long.MAX_VALUE;
        long kernelEnd = 0;
        for (MultibootKernel.Piece p : kernel.pieces()) {
            if (p.gpa() < 0 || p.end() > ramEnd || p.end() < p.gpa()) {
                throw new ImageLoadException(String.format("multiboot kernel loads at 0x%x-0x%x, outside guest RAM 0x0-0x%x (%s)",
                        p.gpa(), p.end(), ramEnd, ByteSizes.human(ramEnd)));
            }
            kernelStart = Math.min(kernelStart, p.gpa());
            kernelEnd = Math.max(kernelEnd, p.end());
        }
        if (kernel.entry() < kernelStart || kernel.entry() >= kernelEnd) {
            throw new ImageLoadException(String.format("multiboot entry 0x%x is outside the loaded kernel 0x%x-0x%x",
                    kernel.entry(), kernelStart, kernelEnd));
        }
        List<E820Entry> map = new ArrayList<>(memoryMap(ramEnd));
        for (var r : BootLayout.above4G(memory)) {
            map.add(new E820Entry(r.gpa(), r.size(), E820Entry.RAM));
        }
        long cursor = pageAlign(Math.max(kernelEnd, BootLayout.HIGH_MEMORY));
        List<long[]> placed = new ArrayList<>();
        for (int i = 0; i < modules.size(); i++) {
            MultibootModule m = modules.get(i);
            long start = cursor;
            long end = start + m.data().length;
            if (end > ramEnd) {
                throw new ImageLoadException(String.format("module %d (%s, %s) does not fit: it would end at 0x%x, past the end of "
                        + "guest RAM at 0x%x", i + 1, m.string(), ByteSizes.human(m.data().length), end, ramEnd));
            }
            placed.add(new long[] {start, end});
            cursor = pageAlign(end);
        }
        byte[] info = info(cursor, ramEnd, cmdline, modules, placed, map);
        if (cursor + info.length > ramEnd) {
            throw new ImageLoadException(String.format("the multiboot information (%d bytes) does not fit above the kernel and "
                    + "modules: it would end at 0x%x, past the end of guest RAM at 0x%x", info.length, cursor + info.length, ramEnd));
        }
        for (MultibootKernel.Piece p : kernel.pieces()) {
            memory.write(p.gpa(), kernel.file(), Math.toIntExact(p.fileOffset()), Math.toIntExact(p.fileSize()));
            if (p.memSize() > p.fileSize()) {
                memory.fill(p.gpa() + p.fileSize(), p.memSize() - p.fileSize(), (byte) 0);
            }
        }
        for (int i = 0; i < modules.size(); i++) {
            memory.write(placed.get(i)[0], modules.get(i).data());
        }
        memory.write(cursor, info);
        VpState state = BootStates.protectedMode32(kernel.entry()).toBuilder()
                .gpr(Gpr.RAX, BOOTLOADER_MAGIC)
                .gpr(Gpr.RBX, cursor)
                .build();
        return new BootedMultiboot(state, kernelStart, kernelEnd, cursor, placed, map);
    }

    /** The memory map for RAM [0, ramEnd) (see the class comment). */
    public static List<E820Entry> memoryMap(long ramEnd) {
        List<E820Entry> map = new ArrayList<>();
        map.add(new E820Entry(0, Math.min(ramEnd, BootLayout.EBDA), E820Entry.RAM));
        map.add(new E820Entry(BootLayout.EBDA, BootLayout.LEGACY_HOLE - BootLayout.EBDA, E820Entry.RESERVED));
        map.add(new E820Entry(BIOS_AREA, BootLayout.HIGH_MEMORY - BIOS_AREA, E820Entry.RESERVED));
        if (ramEnd > BootLayout.HIGH_MEMORY) {
            map.add(new E820Entry(BootLayout.HIGH_MEMORY, ramEnd - BootLayout.HIGH_MEMORY, E820Entry.RAM));
        }
        map.add(new E820Entry(BootLayout.IOAPIC, 0x1000, E820Entry.RESERVED));
        map.add(new E820Entry(BootLayout.LAPIC, 0x1000, E820Entry.RESERVED));
        return map;
    }

    /** The boot information for address {@code at}: structure, memory map, module list, strings. */
    static byte[] info(long at, long ramEnd, String cmdline, List<MultibootModule> modules, List<long[]> placed, List<E820Entry> map) {
        int mmapOff = INFO_SIZE;
        int modsOff = mmapOff + map.size() * MMAP_ENTRY_SIZE;
        int stringsOff = modsOff + modules.size() * MODULE_ENTRY_SIZE;
        List<byte[]> strings = new ArrayList<>();
        strings.add(cString(cmdline));
        strings.add(cString(LOADER_NAME));
        for (MultibootModule m : modules) {
            strings.add(cString(m.string()));
        }
        int size = stringsOff + strings.stream().mapToInt(s -> s.length).sum();
        byte[] b = new byte[size];
        int[] stringAt = new int[strings.size()];
        int off = stringsOff;
        for (int i = 0; i < strings.size(); i++) {
            stringAt[i] = off;
            System.arraycopy(strings.get(i), 0, b, off, strings.get(i).length);
            off += strings.get(i).length;
        }
        LittleEndian.put32(b, 0, INFO_MEMORY | INFO_CMDLINE | INFO_MODS | INFO_MMAP | INFO_LOADER_NAME);
        LittleEndian.put32(b, 4, Math.min(ramEnd, BootLayout.EBDA) / 1024);
        LittleEndian.put32(b, 8, ramEnd > BootLayout.HIGH_MEMORY ? (ramEnd - BootLayout.HIGH_MEMORY) / 1024 : 0);
        LittleEndian.put32(b, 16, at + stringAt[0]);
        LittleEndian.put32(b, 20, modules.size());
        LittleEndian.put32(b, 24, at + modsOff);
        LittleEndian.put32(b, 44, (long) map.size() * MMAP_ENTRY_SIZE);
        LittleEndian.put32(b, 48, at + mmapOff);
        LittleEndian.put32(b, 64, at + stringAt[1]);
        for (int i = 0; i < map.size(); i++) {
            int e = mmapOff + i * MMAP_ENTRY_SIZE;
            LittleEndian.put32(b, e, MMAP_ENTRY_SIZE - 4); // size of the entry after this field
            LittleEndian.put64(b, e + 4, map.get(i).address());
            LittleEndian.put64(b, e + 12, map.get(i).size());
            LittleEndian.put32(b, e + 20, map.get(i).type());
        }
        for (int i = 0; i < modules.size(); i++) {
            int e = modsOff + i * MODULE_ENTRY_SIZE;
            LittleEndian.put32(b, e, placed.get(i)[0]);
            LittleEndian.put32(b, e + 4, placed.get(i)[1]);
            LittleEndian.put32(b, e + 8, at + stringAt[2 + i]);
        }
        return b;
    }

    private static byte[] cString(String s) {
        byte[] text = s.getBytes(StandardCharsets.UTF_8);
        byte[] z = new byte[text.length + 1];
        System.arraycopy(text, 0, z, 0, text.length);
        return z;
    }

    private static long contiguousRamEnd(GuestMemory memory) {
        long end = 0;
        boolean grew = true;
        while (grew) {
            grew = false;
            for (var r : memory.regions()) {
                if (r.gpa() == end) {
                    end += r.size();
                    grew = true;
                }
            }
        }
        return end;
    }

    private static long pageAlign(long v) {
        return (v + GuestMemory.PAGE_SIZE - 1) & -GuestMemory.PAGE_SIZE;
    }
}

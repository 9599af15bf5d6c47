package dev.partita.hv.boot;

import dev.partita.hv.loader.BootStates;
import dev.partita.hv.loader.ByteSizes;
import dev.partita.hv.loader.ImageLoadException;
import dev.partita.hv.loader.LoadedImage;
import dev.partita.hv.memory.GuestMemory;
import dev.partita.hv.vp.Gpr;
import dev.partita.hv.vp.SegmentRegister;
import dev.partita.hv.vp.VpState;

import java.util.List;

/**
 * Places a Linux kernel, its initrd, command line, ACPI tables and boot information in guest memory
 * and returns the boot processor's state. Every placement is checked against guest RAM before
 * anything is written. Stateless; safe from any thread (the memory must not be in use by a running guest).
 *
 * <p>bzImage: the protected-mode kernel at pref_address (or, if relocatable and pref_address does not
 * fit, the first kernel_alignment boundary from 1 MiB), entered at startup_64 (load + 0x200) in long
 * mode through {@link LongModeEntry}, RSI = boot_params built by {@link ZeroPage}.
 * PVH: PT_LOAD segments at their physical addresses, 32-bit protected mode at the note's entry, EBX =
 * hvm_start_info built by {@link PvhStartInfo}, the initrd as module 0.
 */
public final class LinuxBootLoader {
    private static final long PAGE = 4096;
    /** The PVH entry's TR: a 32-bit busy TSS with limit 0x67 (the PVH ABI). */
    private static final SegmentRegister PVH_TR = new SegmentRegister(0, 0, 0x67, SegmentRegister.P | SegmentRegister.TYPE_TSS_BUSY);

    private LinuxBootLoader() {}

    /** Loads {@code request} into {@code memory}; see the class comment for the layout. */
    public static BootedKernel load(GuestMemory memory, LinuxBootRequest request) throws ImageLoadException {
        long ramEnd = BootLayout.ramEnd(memory);
        byte[] cmdline = request.cmdlineBytes();
        if (cmdline.length >= BootLayout.CMDLINE_MAX) {
            throw new ImageLoadException("kernel command line is " + cmdline.length + " bytes, at most "
                    + (BootLayout.CMDLINE_MAX - 1) + " are supported");
        }
        if (request.acpi() != null && request.acpi().end() > BootLayout.HIGH_MEMORY) {
            throw new ImageLoadException("ACPI tables (" + request.acpi().bytes().length + " bytes) do not fit below 1 MiB");
        }
        List<E820Entry> e820 = BootLayout.memoryMap(ramEnd, BootLayout.above4G(memory));
        long rsdp = request.acpi() == null ? 0 : request.acpi().rsdpAddress();
        return switch (request.kernel()) {
            case BzImage bz -> loadBzImage(memory, bz, request, cmdline, ramEnd, e820, rsdp);
            case PvhKernel pvh -> loadPvh(memory, pvh, request, cmdline, ramEnd, e820, rsdp);
        };
    }

    private static BootedKernel loadBzImage(GuestMemory memory, BzImage bz, LinuxBootRequest request, byte[] cmdline,
                                            long ramEnd, List<E820Entry> e820, long rsdp) throws ImageLoadException {
        SetupHeader h = bz.header();
        if (cmdline.length > h.cmdlineSize()) {
            throw new ImageLoadException("kernel command line is " + cmdline.length + " bytes, the kernel accepts at most "
                    + h.cmdlineSize() + " (cmdline_size)");
        }
        long footprint = Math.max(h.initSize(), bz.payloadBytes());
        long load = chooseLoadAddress(h, footprint, ramEnd);
        long kernelEnd = load + footprint;
        long[] initrd = placeInitrd(request.initrd(), kernelEnd, Math.min(ramEnd, h.initrdAddrMax() + 1), ramEnd);

        writeCommon(memory, request, cmdline);
        memory.write(load, bz.file(), (int) h.setupBytes(), (int) bz.payloadBytes());
        writeInitrd(memory, request, initrd);
        byte[] zp = ZeroPage.build(bz, load, BootLayout.CMDLINE, initrd[0], initrd[1], rsdp, e820);
        memory.write(BootLayout.ZERO_PAGE, zp);
        LongModeEntry.writeTables(memory);
        long entry = load + BzImage.STARTUP_64_OFFSET;
        VpState state = LongModeEntry.state(entry, BootLayout.ZERO_PAGE);
        return new BootedKernel(state, entry, load, kernelEnd, BootLayout.ZERO_PAGE, initrd[0], initrd[1], rsdp, e820);
    }

    private static BootedKernel loadPvh(GuestMemory memory, PvhKernel pvh, LinuxBootRequest request, byte[] cmdline,
                                        long ramEnd, List<E820Entry> e820, long rsdp) throws ImageLoadException {
        long lowest = pvh.elf().segments().stream().mapToLong(s -> s.paddr()).min().orElse(BootLayout.HIGH_MEMORY);
        long end = pvh.elf().segments().stream().mapToLong(s -> s.end()).max().orElse(BootLayout.HIGH_MEMORY);
        if (lowest < BootLayout.HIGH_MEMORY) {
            throw new ImageLoadException("PVH kernel segment at 0x" + Long.toHexString(lowest)
                    + " overlaps the loader's area below 1 MiB");
        }
        if (end > ramEnd) {
            throw new ImageLoadException("PVH kernel ends at " + ByteSizes.human(end) + ", beyond " + ByteSizes.human(ramEnd)
                    + " of memory");
        }
        long[] initrd = placeInitrd(request.initrd(), alignUp(end, PAGE), ramEnd, ramEnd);
        writeCommon(memory, request, cmdline);
        LoadedImage loaded = pvh.elf().loadInto(memory);
        writeInitrd(memory, request, initrd);
        memory.fill(BootLayout.PVH_START_INFO, BootLayout.ZERO_PAGE - BootLayout.PVH_START_INFO, (byte) 0);
        memory.write(BootLayout.PVH_START_INFO, PvhStartInfo.startInfo(BootLayout.CMDLINE, rsdp, e820.size(), initrd[1] > 0));
        memory.write(BootLayout.PVH_MEMMAP, PvhStartInfo.memmap(e820));
        if (initrd[1] > 0) {
            memory.write(BootLayout.PVH_MODLIST, PvhStartInfo.module(initrd[0], initrd[1]));
        }
        VpState state = BootStates.protectedMode32(pvh.entry()).toBuilder()
                .gpr(Gpr.RBX, BootLayout.PVH_START_INFO)
                .tr(PVH_TR)
                .build();
        return new BootedKernel(state, pvh.entry(), loaded.lowestGpa(), loaded.endGpa(), BootLayout.PVH_START_INFO,
                initrd[0], initrd[1], rsdp, e820);
    }

    /** Clears and fills the low area: command line (NUL-terminated) and ACPI tables. */
    private static void writeCommon(GuestMemory memory, LinuxBootRequest request, byte[] cmdline) {
        memory.fill(BootLayout.CMDLINE, cmdline.length + 1L, (byte) 0);
        memory.write(BootLayout.CMDLINE, cmdline);
        memory.fill(BootLayout.ACPI_BASE, BootLayout.HIGH_MEMORY - BootLayout.ACPI_BASE, (byte) 0);
        if (request.acpi() != null) {
            memory.write(request.acpi().base(), request.acpi().bytes());
        }
    }

    private static void writeInitrd(GuestMemory memory, LinuxBootRequest request, long[] placed) {
        if (placed[1] > 0) {
            memory.write(placed[0], request.initrd());
        }
    }

    static long chooseLoadAddress(SetupHeader h, long footprint, long ramEnd) throws ImageLoadException {
        long pref = h.prefAddress();
        boolean prefUsable = pref >= BootLayout.HIGH_MEMORY && pref % h.kernelAlignment() == 0;
        if (prefUsable && pref + footprint <= ramEnd) {
            return pref;
        }
        if (h.relocatable()) {
            long low = alignUp(BootLayout.HIGH_MEMORY, h.kernelAlignment());
            if (low + footprint <= ramEnd) {
                return low;
            }
            throw new ImageLoadException("kernel needs " + ByteSizes.human(footprint) + " (init_size) from "
                    + ByteSizes.human(low) + ", more than " + ByteSizes.human(ramEnd) + " of memory");
        }
        throw new ImageLoadException("kernel is not relocatable and needs " + ByteSizes.human(footprint) + " at 0x"
                + Long.toHexString(pref) + " (pref_address), more than " + ByteSizes.human(ramEnd) + " of memory");
    }

    /**
     * Puts the initrd as high as possible: page-aligned, ending at or below {@code limit}, above
     * {@code floor}. Returns {address, size} ({0, 0} without an initrd).
     */
    static long[] placeInitrd(byte[] initrd, long floor, long limit, long ramEnd) throws ImageLoadException {
        if (initrd == null || initrd.length == 0) {
            return new long[] {0, 0};
        }
        long size = initrd.length;
        if (size >= ramEnd) {
            throw new ImageLoadException("initrd (" + ByteSizes.human(size) + ") does not fit in " + ByteSizes.human(ramEnd)
                    + " of memory");
        }
        long start = (limit - size) & ~(PAGE - 1);
        if (start < floor) {
            throw new ImageLoadException("initrd (" + ByteSizes.human(size) + ") does not fit in " + ByteSizes.human(ramEnd)
                    + " of memory next to the kernel (which uses up to " + ByteSizes.human(floor) + ")");
        }
        return new long[] {start, size};
    }

    static long alignUp(long v, long align) {
        return (v + align - 1) & -align;
    }
}

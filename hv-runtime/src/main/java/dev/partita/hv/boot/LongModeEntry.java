package dev.partita.hv.boot;

import dev.partita.hv.memory.GuestMemory;
import dev.partita.hv.vp.Gpr;
import dev.partita.hv.vp.SegmentRegister;
import dev.partita.hv.vp.TableRegister;
import dev.partita.hv.vp.VpState;

/**
 * The 64-bit entry environment of the Linux boot protocol: a GDT with flat __BOOT_CS (0x10, 64-bit
 * code) and __BOOT_DS (0x18, data), identity-mapped page tables for the first 4 GiB (2 MiB pages),
 * and the processor state: long mode, paging on, interrupts off, RSI = boot_params. Stateless.
 */
public final class LongModeEntry {
    /** __BOOT_CS. */
    public static final int BOOT_CS = 0x10;
    /** __BOOT_DS. */
    public static final int BOOT_DS = 0x18;
    /** GDT descriptors: null, null, 64-bit code (P, DPL0, execute/read, L, G), flat data (P, read/write, D/B, G). */
    static final long[] GDT_ENTRIES = {0, 0, 0x00AF_9B00_0000_FFFFL, 0x00CF_9300_0000_FFFFL};
    static final long CR0_PE = 1, CR0_ET = 1 << 4, CR0_NE = 1 << 5, CR0_PG = 1L << 31;
    static final long CR4_PAE = 1 << 5;
    static final long EFER_LME = 1 << 8, EFER_LMA = 1 << 10;
    /** Page-table entry bits: present, writable; PS in a page-directory entry makes it a 2 MiB page. */
    static final long PTE_P = 1, PTE_RW = 2, PTE_PS = 1 << 7;
    static final int MAPPED_GIB = 4;

    private LongModeEntry() {}

    /** Writes the GDT and page tables to their {@link BootLayout} addresses. */
    public static void writeTables(GuestMemory memory) {
        for (int i = 0; i < GDT_ENTRIES.length; i++) {
            memory.writeU64(BootLayout.GDT + 8L * i, GDT_ENTRIES[i]);
        }
        memory.fill(BootLayout.PML4, 0x2000 + 0x1000L * MAPPED_GIB, (byte) 0);
        memory.writeU64(BootLayout.PML4, BootLayout.PDPT | PTE_P | PTE_RW);
        for (int g = 0; g < MAPPED_GIB; g++) {
            long pd = BootLayout.PAGE_DIRECTORIES + 0x1000L * g;
            memory.writeU64(BootLayout.PDPT + 8L * g, pd | PTE_P | PTE_RW);
            for (int e = 0; e < 512; e++) {
                long phys = ((long) g << 30) | ((long) e << 21);
                memory.writeU64(pd + 8L * e, phys | PTE_P | PTE_RW | PTE_PS);
            }
        }
    }

    /** The state at startup_64: long mode, CS = __BOOT_CS, DS/ES/SS/FS/GS = __BOOT_DS, IF = 0, RSI = {@code bootParams}. */
    public static VpState state(long entry, long bootParams) {
        SegmentRegister code64 = new SegmentRegister(BOOT_CS, 0, 0xFFFFFFFF,
                SegmentRegister.P | SegmentRegister.S | SegmentRegister.TYPE_CODE_XR_ACCESSED | SegmentRegister.L | SegmentRegister.G);
        return VpState.builder()
                .cs(code64)
                .dataSegments(SegmentRegister.flat32Data(BOOT_DS))
                .gdtr(new TableRegister(BootLayout.GDT, GDT_ENTRIES.length * 8 - 1))
                .idtr(new TableRegister(0, 0))
                .cr0(CR0_PG | CR0_NE | CR0_ET | CR0_PE)
                .cr3(BootLayout.PML4)
                .cr4(CR4_PAE)
                .efer(EFER_LME | EFER_LMA)
                .rip(entry)
                .rflags(2)
                .gpr(Gpr.RSI, bootParams)
                .gpr(Gpr.RSP, BootLayout.STACK_TOP)
                .build();
    }
}

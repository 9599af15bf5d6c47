package dev.partita.hv.bench;

import dev.partita.hv.memory.GuestMemory;
import dev.partita.hv.vp.Gpr;
import dev.partita.hv.vp.SegmentRegister;
import dev.partita.hv.vp.TableRegister;
import dev.partita.hv.vp.VpState;

/**
 * Puts a guest directly into 64-bit mode at CPL3 (no CPL0 boot code, which a PVM host would
 * emulate slowly): identity-mapped first 2 MiB (user, writable), a GDT with user code/data and a
 * 64-bit TSS, the code of {@link CountingLoopCode#guest()} at {@link #CODE}, and a {@link VpState}
 * with RCX = iterations and RFLAGS.IOPL = 3 so the guest's OUTs exit to the host.
 *
 * <pre>
 * 0x1000 PML4, 0x2000 PDPT, 0x3000 PD (one 2 MiB page), 0x4000 GDT, 0x5000 TSS, 0x10000 code
 * </pre>
 */
final class Cpl3LongModeGuest {
    static final long PML4 = 0x1000, PDPT = 0x2000, PD = 0x3000, GDT = 0x4000, TSS = 0x5000, CODE = 0x10000;
    static final long USER_STACK = 0x9000;
    static final int SEL_USER_CODE = 0x18 | 3, SEL_USER_DATA = 0x20 | 3, SEL_TSS = 0x28;

    private static final long PTE_P = 1, PTE_W = 2, PTE_U = 4, PDE_PS = 0x80;
    /** Flat descriptors in the SDM's format: null, kernel code64, kernel data, user code64 (DPL3), user data (DPL3). */
    private static final long[] GDT_ENTRIES = {
        0, 0x00AF_9A00_0000_FFFFL, 0x00CF_9200_0000_FFFFL, 0x00AF_FA00_0000_FFFFL, 0x00CF_F200_0000_FFFFL,
    };
    private static final long CR0_PE = 1, CR0_MP = 2, CR0_ET = 0x10, CR0_NE = 0x20, CR0_WP = 0x1_0000, CR0_PG = 0x8000_0000L;
    private static final long CR4_PAE = 0x20, CR4_OSFXSR = 0x200;
    private static final long EFER_LME = 0x100, EFER_LMA = 0x400;
    private static final long RFLAGS_IOPL3 = 0x3000;

    private Cpl3LongModeGuest() {}

    /** Writes tables and code, returns the boot state. */
    static VpState install(GuestMemory memory, long iterations) {
        memory.write(CODE, CountingLoopCode.guest());
        long table = PTE_P | PTE_W | PTE_U;
        memory.writeU64(PML4, PDPT | table);
        memory.writeU64(PDPT, PD | table);
        memory.writeU64(PD, table | PDE_PS);
        for (int i = 0; i < GDT_ENTRIES.length; i++) {
            memory.writeU64(GDT + 8L * i, GDT_ENTRIES[i]);
        }
        int tssLimit = 0x67;
        long tssLow = tssLimit | ((TSS & 0xFF_FFFF) << 16) | (0x8BL << 40) | (((TSS >>> 24) & 0xFF) << 56);
        memory.writeU64(GDT + SEL_TSS, tssLow);
        memory.writeU64(GDT + SEL_TSS + 8, TSS >>> 32);
        int dpl3 = 3 << SegmentRegister.DPL_SHIFT;
        SegmentRegister userCode = new SegmentRegister(SEL_USER_CODE, 0, 0xFFFF_FFFF,
                SegmentRegister.P | SegmentRegister.S | SegmentRegister.TYPE_CODE_XR_ACCESSED | dpl3 | SegmentRegister.L | SegmentRegister.G);
        SegmentRegister userData = new SegmentRegister(SEL_USER_DATA, 0, 0xFFFF_FFFF,
                SegmentRegister.P | SegmentRegister.S | SegmentRegister.TYPE_DATA_RW_ACCESSED | dpl3 | SegmentRegister.DB | SegmentRegister.G);
        return VpState.builder()
                .cs(userCode)
                .dataSegments(userData)
                .tr(new SegmentRegister(SEL_TSS, TSS, tssLimit, SegmentRegister.P | SegmentRegister.TYPE_TSS_BUSY))
                .gdtr(new TableRegister(GDT, 8 * GDT_ENTRIES.length + 16 - 1))
                .idtr(new TableRegister(0, 0))
                .cr0(CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_PG)
                .cr3(PML4)
                .cr4(CR4_PAE | CR4_OSFXSR)
                .efer(EFER_LME | EFER_LMA)
                .rflags(RFLAGS_IOPL3 | 2)
                .rip(CODE)
                .gpr(Gpr.RCX, iterations)
                .gpr(Gpr.RSP, USER_STACK)
                .build();
    }
}

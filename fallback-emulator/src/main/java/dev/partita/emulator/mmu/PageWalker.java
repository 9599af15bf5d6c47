package dev.partita.emulator.mmu;

import dev.partita.emulator.cpu.ControlBits.Cr0;
import dev.partita.emulator.cpu.ControlBits.Cr4;
import dev.partita.emulator.cpu.ControlBits.Efer;
import dev.partita.emulator.cpu.CpuException;
import dev.partita.emulator.cpu.CpuState;

/**
 * Walks the guest's page tables for one linear address: 2-level (32-bit, with PSE 4 MiB pages and
 * PSE-36), PAE (3-level, PDPTEs read from memory at walk time rather than cached at MOV CR3) and
 * 4-level (IA-32e, with 2 MiB and 1 GiB pages). Checks present and reserved bits and the access
 * rights (U/S, R/W with CR0.WP, NX with EFER.NXE, SMEP), raises #PF with the architectural error
 * code, and sets accessed/dirty bits (only when the access succeeds). Not implemented: 5-level
 * paging, PCID, SMAP, protection keys (the CPUID model must not advertise them).
 *
 * <p>Results of the last successful walk are left in {@link #pageMask} and {@link #global}.
 * Owned by the vCPU thread.
 */
public final class PageWalker {

    static final long P = 1;
    static final long RW = 1 << 1;
    static final long US = 1 << 2;
    static final long A = 1 << 5;
    static final long D = 1 << 6;
    static final long PS = 1 << 7;
    static final long G = 1 << 8;
    static final long NX = 1L << 63;

    /** #PF error code bits. */
    public static final int PF_PRESENT = 1;
    public static final int PF_WRITE = 2;
    public static final int PF_USER = 4;
    public static final int PF_RSVD = 8;
    public static final int PF_FETCH = 16;

    private final CpuState cpu;
    private final PhysicalMemory memory;
    private int physAddrBits = 46;

    /** Page mask of the last translation: ~0xFFF, ~(2M-1), ~(4M-1) or ~(1G-1). */
    long pageMask;
    /** Whether the last translation is global (G bit in the leaf and CR4.PGE). */
    boolean global;

    private final long[] entryAddr = new long[4];
    private final long[] entryVal = new long[4];
    private final boolean[] entryWide = new boolean[4];
    private int entries;

    public PageWalker(CpuState cpu, PhysicalMemory memory) {
        this.cpu = cpu;
        this.memory = memory;
    }

    /** MAXPHYADDR (default 46); must match CPUID 0x80000008 EAX[7:0]. */
    public void setPhysAddrBits(int bits) {
        if (bits < 32 || bits > 52) {
            throw new IllegalArgumentException("physAddrBits out of range: " + bits);
        }
        physAddrBits = bits;
    }

    /**
     * Translates {@code linear} for an access of kind {@code access} ({@link Mmu#READ},
     * {@link Mmu#WRITE}, {@link Mmu#EXEC}) at user ({@code user}) or supervisor privilege.
     *
     * @return the physical address of the 4 KiB page containing the byte
     * @throws CpuException #PF on a not-present entry, reserved bit or rights violation
     */
    public long walk(long linear, int access, boolean user) {
        entries = 0;
        boolean nxe = (cpu.efer & Efer.NXE) != 0;
        long addrMask = ((1L << physAddrBits) - 1) & ~0xFFFL;
        long rsvdHigh = ((1L << 52) - 1) & ~((1L << physAddrBits) - 1);
        long nxRsvd = nxe ? 0 : NX;
        boolean fetch = access == Mmu.EXEC;
        int baseCode = (access == Mmu.WRITE ? PF_WRITE : 0) | (user ? PF_USER : 0)
                | (fetch && ((nxe && (cpu.cr4 & Cr4.PAE) != 0) || (cpu.cr4 & Cr4.SMEP) != 0) ? PF_FETCH : 0);
        long leaf;
        long physPage;
        boolean writable = true;
        boolean userOk = true;
        boolean noExec = false;
        if ((cpu.efer & Efer.LMA) != 0 || (cpu.cr4 & Cr4.PAE) != 0) {
            // 4-level paging starts at the PML4; PAE paging reads its PDPTE, then walks the same
            // 8-byte-entry levels 2 and 1 (whose reserved-bit rules are the same in both modes).
            long table;
            int level;
            if ((cpu.efer & Efer.LMA) != 0) {
                table = cpu.cr3 & addrMask;
                level = 4;
            } else {
                long pdpteAddr = (cpu.cr3 & 0xFFFF_FFE0L) + (((linear >>> 30) & 3) << 3);
                long pdpte = readEntry(pdpteAddr, true);
                entries = 0; // PDPTEs get no accessed bits written back here
                if ((pdpte & P) == 0) {
                    throw fault(baseCode, linear);
                }
                if ((pdpte & (rsvdHigh | NX | 0x1E6L)) != 0) {
                    throw fault(baseCode | PF_PRESENT | PF_RSVD, linear);
                }
                table = pdpte & addrMask;
                level = 2;
            }
            while (true) {
                int shift = 12 + 9 * (level - 1);
                long ea = table + (((linear >>> shift) & 0x1FF) << 3);
                long e = readEntry(ea, true);
                if ((e & P) == 0) {
                    throw fault(baseCode, linear);
                }
                long rsvd = rsvdHigh | nxRsvd;
                boolean large = (e & PS) != 0 && (level == 2 || level == 3);
                if (level == 4 && (e & PS) != 0) {
                    rsvd |= PS;
                }
                if (large) {
                    rsvd |= level == 3 ? 0x3FFF_E000L : 0x1F_E000L;
                }
                if ((e & rsvd) != 0) {
                    throw fault(baseCode | PF_PRESENT | PF_RSVD, linear);
                }
                writable &= (e & RW) != 0;
                userOk &= (e & US) != 0;
                noExec |= nxe && (e & NX) != 0;
                if (large || level == 1) {
                    leaf = e;
                    long size = 1L << shift;
                    pageMask = ~(size - 1);
                    physPage = (e & addrMask & pageMask) | (linear & (size - 1) & ~0xFFFL);
                    break;
                }
                table = e & addrMask;
                level--;
            }
        } else {
            long lin32 = linear & 0xFFFF_FFFFL;
            long pdeAddr = (cpu.cr3 & 0xFFFF_F000L) + ((lin32 >>> 22) << 2);
            long pde = readEntry(pdeAddr, false);
            if ((pde & P) == 0) {
                throw fault(baseCode, linear);
            }
            writable = (pde & RW) != 0;
            userOk = (pde & US) != 0;
            if ((pde & PS) != 0 && (cpu.cr4 & Cr4.PSE) != 0) {
                if ((pde & (1L << 21)) != 0) {
                    throw fault(baseCode | PF_PRESENT | PF_RSVD, linear);
                }
                long high = ((pde >>> 13) & 0xFFL) << 32;
                if ((high & ~((1L << physAddrBits) - 1)) != 0) {
                    throw fault(baseCode | PF_PRESENT | PF_RSVD, linear);
                }
                leaf = pde;
                pageMask = ~((1L << 22) - 1);
                physPage = (pde & 0xFFC0_0000L) | high | (lin32 & 0x3F_F000L);
            } else {
                long pteAddr = (pde & 0xFFFF_F000L) + (((lin32 >>> 12) & 0x3FF) << 2);
                long pte = readEntry(pteAddr, false);
                if ((pte & P) == 0) {
                    throw fault(baseCode, linear);
                }
                writable &= (pte & RW) != 0;
                userOk &= (pte & US) != 0;
                leaf = pte;
                pageMask = ~0xFFFL;
                physPage = pte & 0xFFFF_F000L;
            }
        }
        // Access rights.
        boolean allowed;
        if (fetch) {
            allowed = !noExec && (user ? userOk : !(userOk && (cpu.cr4 & Cr4.SMEP) != 0));
        } else if (access == Mmu.WRITE) {
            allowed = user ? (userOk && writable) : (writable || (cpu.cr0 & Cr0.WP) == 0);
        } else {
            allowed = !user || userOk;
        }
        if (!allowed) {
            throw fault(baseCode | PF_PRESENT, linear);
        }
        // Accessed bits on every level, dirty on the leaf for writes.
        for (int i = 0; i < entries; i++) {
            long e = entryVal[i];
            long set = A;
            if (i == entries - 1 && access == Mmu.WRITE) {
                set |= D;
            }
            if ((e & set) != set) {
                memory.write(entryAddr[i], entryWide[i] ? 8 : 4, e | set);
            }
        }
        global = (leaf & G) != 0 && (cpu.cr4 & Cr4.PGE) != 0;
        return physPage;
    }

    private long readEntry(long addr, boolean wide) {
        long e = memory.read(addr, wide ? 8 : 4);
        if (entries < 4) {
            entryAddr[entries] = addr;
            entryVal[entries] = e;
            entryWide[entries] = wide;
            entries++;
        }
        return e;
    }

    private static CpuException fault(int code, long linear) {
        return CpuException.pageFault(code, linear);
    }
}

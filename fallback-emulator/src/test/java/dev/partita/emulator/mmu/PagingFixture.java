package dev.partita.emulator.mmu;

import dev.partita.emulator.cpu.ControlBits.Cr0;
import dev.partita.emulator.cpu.ControlBits.Cr4;
import dev.partita.emulator.cpu.ControlBits.Efer;
import dev.partita.emulator.cpu.CpuState;
import dev.partita.emulator.cpu.SegReg;
import dev.partita.emulator.cpu.Segment;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Guest RAM plus a CPU and MMU, with helpers that write page-table entries. */
final class PagingFixture implements AutoCloseable {
    static final long P = 1;
    static final long RW = 2;
    static final long US = 4;
    static final long A = 0x20;
    static final long D = 0x40;
    static final long PS = 0x80;
    static final long G = 0x100;
    static final long NX = 1L << 63;

    final Arena arena = Arena.ofConfined();
    final MemorySegment ram;
    final PhysicalMemory memory = new PhysicalMemory();
    final CpuState cpu = new CpuState();
    final Mmu mmu;
    private long nextTable;

    PagingFixture(long ramBytes) {
        ram = arena.allocate(ramBytes, 4096);
        memory.addRam(0, ram, false);
        mmu = new Mmu(cpu, memory);
        nextTable = 0x10_0000; // page tables from 1 MiB up
    }

    long table() {
        long t = nextTable;
        nextTable += 4096;
        ram.asSlice(t, 4096).fill((byte) 0);
        return t;
    }

    long u64(long pa) {
        return ram.get(ValueLayout.JAVA_LONG_UNALIGNED, pa);
    }

    void putU64(long pa, long v) {
        ram.set(ValueLayout.JAVA_LONG_UNALIGNED, pa, v);
    }

    int u32(long pa) {
        return ram.get(ValueLayout.JAVA_INT_UNALIGNED, pa);
    }

    void putU32(long pa, int v) {
        ram.set(ValueLayout.JAVA_INT_UNALIGNED, pa, v);
    }

    /** 64-bit mode, CPL 0, 4-level paging with CR3 = a fresh PML4. */
    long longMode() {
        long pml4 = table();
        cpu.cr3 = pml4;
        cpu.cr4 = Cr4.PAE | Cr4.PGE;
        cpu.efer = Efer.LME | Efer.LMA | Efer.NXE;
        cpu.cr0 = Cr0.PE | Cr0.PG | Cr0.ET | Cr0.WP;
        cpu.seg[SegReg.CS].load(8, 0, 0xFFFF_FFFFL, Segment.flatAttributes(true, 0, false, true));
        for (int s : new int[] {SegReg.DS, SegReg.ES, SegReg.SS, SegReg.FS, SegReg.GS}) {
            cpu.seg[s].load(0x10, 0, 0xFFFF_FFFFL, Segment.flatAttributes(false, 0, true, false));
        }
        cpu.cpl = 0;
        cpu.updateMode();
        return pml4;
    }

    /** Maps one 4 KiB page in 4-level tables rooted at CR3; {@code flags} go on the PTE, upper levels get P|RW|US. */
    long map4k(long linear, long phys, long flags) {
        long table = cpu.cr3 & ~0xFFFL;
        for (int level = 4; level > 1; level--) {
            long idx = (linear >>> (12 + 9 * (level - 1))) & 0x1FF;
            long e = u64(table + idx * 8);
            if ((e & P) == 0) {
                long t = table();
                e = t | P | RW | US;
                putU64(table + idx * 8, e);
            }
            table = e & 0x000F_FFFF_FFFF_F000L;
        }
        long pte = table + ((linear >>> 12) & 0x1FF) * 8;
        putU64(pte, phys | flags);
        return pte;
    }

    /** Address of the 4-level entry at {@code level} (4 = PML4E … 1 = PTE) for {@code linear}. */
    long entryAddress(long linear, int level) {
        long table = cpu.cr3 & ~0xFFFL;
        for (int l = 4; l > level; l--) {
            long idx = (linear >>> (12 + 9 * (l - 1))) & 0x1FF;
            table = u64(table + idx * 8) & 0x000F_FFFF_FFFF_F000L;
        }
        return table + ((linear >>> (12 + 9 * (level - 1))) & 0x1FF) * 8;
    }

    @Override
    public void close() {
        arena.close();
    }
}

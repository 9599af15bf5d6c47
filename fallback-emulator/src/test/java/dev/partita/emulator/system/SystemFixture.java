package dev.partita.emulator.system;

import dev.partita.emulator.cpu.ControlBits.Cr0;
import dev.partita.emulator.cpu.ControlBits.Cr4;
import dev.partita.emulator.cpu.ControlBits.Efer;
import dev.partita.emulator.cpu.CpuState;
import dev.partita.emulator.cpu.SegReg;
import dev.partita.emulator.mmu.Mmu;
import dev.partita.emulator.mmu.PhysicalMemory;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** 4 MiB of RAM, a CPU, MMU and system unit, and helpers that build descriptor tables (paging off unless set up). */
final class SystemFixture implements AutoCloseable {
    static final long GDT = 0x2000;
    static final long IDT = 0x3000;
    static final long TSS = 0x6000;

    final Arena arena = Arena.ofConfined();
    final MemorySegment ram = arena.allocate(4 << 20, 4096);
    final PhysicalMemory memory = new PhysicalMemory();
    final CpuState cpu = new CpuState();
    final Mmu mmu;
    final DirectInterruptQueue interrupts = new DirectInterruptQueue();
    final SystemUnit unit;

    SystemFixture() {
        memory.addRam(0, ram, false);
        mmu = new Mmu(cpu, memory);
        unit = new SystemUnit(cpu, mmu, new TscClock(TscClock.DEFAULT_HZ), interrupts);
        SystemUnit.realModeSegments(cpu);
        cpu.rip = 0;
        cpu.updateMode();
    }

    long u64(long a) {
        return ram.get(ValueLayout.JAVA_LONG_UNALIGNED, a);
    }

    long u32(long a) {
        return ram.get(ValueLayout.JAVA_INT_UNALIGNED, a) & 0xFFFF_FFFFL;
    }

    int u16(long a) {
        return ram.get(ValueLayout.JAVA_SHORT_UNALIGNED, a) & 0xFFFF;
    }

    void put64(long a, long v) {
        ram.set(ValueLayout.JAVA_LONG_UNALIGNED, a, v);
    }

    void put32(long a, long v) {
        ram.set(ValueLayout.JAVA_INT_UNALIGNED, a, (int) v);
    }

    void put16(long a, int v) {
        ram.set(ValueLayout.JAVA_SHORT_UNALIGNED, a, (short) v);
    }

    /** A code/data descriptor: base, limit (20 bits), access byte, flags nibble (G, D/B, L, AVL). */
    static long descriptor(long base, long limit, int access, int flags) {
        return (limit & 0xFFFF) | ((base & 0xFF_FFFFL) << 16) | ((long) access << 40)
                | (((limit >>> 16) & 0xF) << 48) | ((long) flags << 52) | (((base >>> 24) & 0xFF) << 56);
    }

    void gdt(int selector, long descriptor) {
        put64(GDT + (selector & ~7), descriptor);
    }

    /** 8-byte protected-mode gate. type 0xE interrupt, 0xF trap. */
    void gate32(int vector, int selector, long offset, int type, int dpl) {
        long g = (offset & 0xFFFF) | ((long) selector << 16) | ((long) (0x80 | (dpl << 5) | type) << 40)
                | ((offset >>> 16) << 48);
        put64(IDT + vector * 8L, g);
    }

    /** 16-byte long-mode gate. */
    void gate64(int vector, int selector, long offset, int type, int dpl, int ist) {
        long lo = (offset & 0xFFFF) | ((long) selector << 16) | ((long) ist << 32)
                | ((long) (0x80 | (dpl << 5) | type) << 40) | (((offset >>> 16) & 0xFFFF) << 48);
        put64(IDT + vector * 16L, lo);
        put64(IDT + vector * 16L + 8, offset >>> 32);
    }

    /** Standard GDT: 0x08 code32 DPL0, 0x10 data DPL0/code64 at 0x30, user code32 0x1B, user data 0x23, user code64 0x2B, TSS 0x38. */
    void standardGdt(boolean tss64) {
        gdt(0x08, descriptor(0, 0xFFFFF, 0x9B, 0xC));
        gdt(0x10, descriptor(0, 0xFFFFF, 0x93, 0xC));
        gdt(0x18, descriptor(0, 0xFFFFF, 0xFB, 0xC));
        gdt(0x20, descriptor(0, 0xFFFFF, 0xF3, 0xC));
        gdt(0x28, descriptor(0, 0xFFFFF, 0xFB, 0xA));
        gdt(0x30, descriptor(0, 0xFFFFF, 0x9B, 0xA));
        gdt(0x38, descriptor(TSS, 0x67, tss64 ? 0x89 : 0x89, 0));
        put64(GDT + 0x40, 0); // upper half of a 64-bit TSS descriptor
        cpu.gdtrBase = GDT;
        cpu.gdtrLimit = 0x47;
        cpu.idtrBase = IDT;
        cpu.idtrLimit = 256 * (tss64 ? 16 : 8) - 1;
    }

    /** 32-bit protected mode, paging off, at CPL {@code cpl} with flat segments. */
    void protectedMode(int cpl) {
        standardGdt(false);
        cpu.cr0 = Cr0.PE | Cr0.ET;
        cpu.updateMode();
        cpu.cpl = 0;
        unit.ltr(0x38);
        int code = cpl == 0 ? 0x08 : 0x1B;
        int data = cpl == 0 ? 0x10 : 0x23;
        cpu.cpl = cpl;
        unit.tables.loadDataSegment(SegReg.SS, data);
        for (int s : new int[] {SegReg.DS, SegReg.ES, SegReg.FS, SegReg.GS}) {
            unit.tables.loadDataSegment(s, data);
        }
        Descriptor d = new Descriptor();
        unit.tables.read(code, d, 13, 0);
        d.loadInto(cpu.seg[SegReg.CS], code);
        cpu.updateMode();
    }

    /** Long mode with identity paging of the first 4 MiB (2 MiB user pages), at CPL {@code cpl}. */
    void longMode(int cpl) {
        standardGdt(true);
        long pml4 = 0x10_0000;
        long pdpt = 0x10_1000;
        long pd = 0x10_2000;
        ram.asSlice(pml4, 0x3000).fill((byte) 0);
        put64(pml4, pdpt | 7);
        put64(pdpt, pd | 7);
        put64(pd, 0x87);
        put64(pd + 8, 0x20_0000 | 0x87);
        cpu.cr3 = pml4;
        cpu.cr4 = Cr4.PAE;
        cpu.efer = Efer.LME | Efer.LMA | Efer.SCE | Efer.NXE;
        cpu.cr0 = Cr0.PE | Cr0.PG | Cr0.ET;
        cpu.cpl = 0;
        cpu.updateMode();
        unit.ltr(0x38);
        int code = cpl == 0 ? 0x30 : 0x2B;
        Descriptor d = new Descriptor();
        unit.tables.read(code, d, 13, 0);
        d.loadInto(cpu.seg[SegReg.CS], code);
        cpu.cpl = cpl;
        cpu.updateMode();
        int data = cpl == 0 ? 0x10 : 0x23;
        unit.tables.loadDataSegment(SegReg.SS, data);
        unit.tables.loadDataSegment(SegReg.DS, data);
        cpu.updateMode();
        mmu.flushAll();
    }

    @Override
    public void close() {
        arena.close();
    }
}

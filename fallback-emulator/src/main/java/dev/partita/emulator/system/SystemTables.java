package dev.partita.emulator.system;

import dev.partita.emulator.cpu.CpuException;
import dev.partita.emulator.cpu.CpuState;
import dev.partita.emulator.cpu.SegReg;
import dev.partita.emulator.cpu.Segment;
import dev.partita.emulator.mmu.Mmu;

/**
 * Reads descriptors from the GDT/LDT/IDT with the architectural table-limit checks, and loads
 * segment registers through them with the protected-mode type/privilege checks (MOV Sreg, POP
 * Sreg, LDS/LES/LFS/LGS/LSS, LLDT, LTR). Owned by the vCPU thread.
 */
public final class SystemTables {

    private final CpuState cpu;
    private final Mmu mmu;

    public SystemTables(CpuState cpu, Mmu mmu) {
        this.cpu = cpu;
        this.mmu = mmu;
    }

    /**
     * Reads the 8-byte descriptor for {@code selector} from the GDT or LDT into {@code d}.
     *
     * @param faultVector vector to raise when the selector is outside the table (#GP or #TS)
     * @throws CpuException {@code faultVector(selector & 0xFFFC | ext)} when outside the table
     */
    void read(int selector, Descriptor d, int faultVector, int ext) {
        long base;
        long limit;
        if ((selector & 4) != 0) {
            Segment ldt = cpu.seg[SegReg.LDTR];
            if (ldt.unusable() || (ldt.selector & 0xFFFC) == 0) {
                throw CpuException.withCode(faultVector, (selector & 0xFFFC) | ext);
            }
            base = ldt.base;
            limit = ldt.limit;
        } else {
            base = cpu.gdtrBase;
            limit = cpu.gdtrLimit;
        }
        long offset = selector & 0xFFF8L;
        if (offset + 7 > limit) {
            throw CpuException.withCode(faultVector, (selector & 0xFFFC) | ext);
        }
        d.address = tableAddress(base + offset);
        d.low = mmu.readSystemU32(d.address);
        d.high = mmu.readSystemU32(tableAddress(d.address + 4));
        d.upper = 0;
    }

    /** Reads the upper half of a 16-byte system descriptor (long mode) following {@code d}. */
    void readUpper(int selector, Descriptor d, int faultVector, int ext) {
        long limit = (selector & 4) != 0 ? cpu.seg[SegReg.LDTR].limit : cpu.gdtrLimit;
        if ((selector & 0xFFF8L) + 15 > limit) {
            throw CpuException.withCode(faultVector, (selector & 0xFFFC) | ext);
        }
        d.upper = mmu.readSystemU32(tableAddress(d.address + 8));
        int typeOfUpper = (mmu.readSystemU32(tableAddress(d.address + 12)) >>> 8) & 0x1F;
        if (typeOfUpper != 0) {
            throw CpuException.withCode(faultVector, (selector & 0xFFFC) | ext);
        }
    }

    /** Sets the accessed bit of a code/data descriptor in memory if clear. */
    void markAccessed(Descriptor d) {
        if ((d.high & 0x100) == 0) {
            d.high |= 0x100;
            mmu.writeSystemU32(tableAddress(d.address + 4), d.high);
        }
    }

    private long tableAddress(long linear) {
        return cpu.longModeActive() ? linear : linear & 0xFFFF_FFFFL;
    }

    /**
     * Loads a data or stack segment register (ES, SS, DS, FS, GS) with {@code selector}, with the
     * checks of MOV Sreg. In real and virtual-8086 mode only the selector and base change.
     *
     * @throws CpuException #GP(sel), #SS(sel), #NP(sel) as the SDM's MOV description lists
     */
    public void loadDataSegment(int segIndex, int selector) {
        selector &= 0xFFFF;
        Segment s = cpu.seg[segIndex];
        if (!cpu.protectedMode()) {
            s.loadReal(selector);
            if (cpu.v86Mode()) {
                s.load(selector, (long) selector << 4, 0xFFFF,
                        Segment.ATTR_P | Segment.ATTR_S | Segment.ATTR_RW | Segment.ATTR_ACCESSED | (3 << Segment.ATTR_DPL_SHIFT));
            }
            if (segIndex == SegReg.SS) {
                cpu.updateMode();
            }
            return;
        }
        int rpl = selector & 3;
        if ((selector & 0xFFFC) == 0) {
            if (segIndex == SegReg.SS) {
                if (!(cpu.longMode64 && cpu.cpl != 3 && rpl == cpu.cpl)) {
                    throw CpuException.gp(0);
                }
                s.load(selector, 0, 0, Segment.ATTR_UNUSABLE | Segment.ATTR_S | Segment.ATTR_RW
                        | Segment.ATTR_DB | (cpu.cpl << Segment.ATTR_DPL_SHIFT));
                cpu.updateMode();
                return;
            }
            s.load(selector, 0, 0, Segment.ATTR_UNUSABLE);
            return;
        }
        Descriptor d = new Descriptor();
        read(selector, d, 13, 0);
        int err = selector & 0xFFFC;
        if (segIndex == SegReg.SS) {
            if (rpl != cpu.cpl || !d.writableData() || d.dpl() != cpu.cpl) {
                throw CpuException.gp(err);
            }
            if (!d.present()) {
                throw CpuException.ss(err);
            }
        } else {
            if (d.system() || !d.readable()) {
                throw CpuException.gp(err);
            }
            if ((!d.code() || !d.conforming()) && (rpl > d.dpl() || cpu.cpl > d.dpl())) {
                throw CpuException.gp(err);
            }
            if (!d.present()) {
                throw CpuException.np(err);
            }
        }
        markAccessed(d);
        d.loadInto(s, selector);
        if (segIndex == SegReg.SS) {
            cpu.updateMode();
        }
    }

    /** LLDT: loads LDTR from a GDT LDT descriptor (CPL 0 checked by the caller). */
    public void loadLdt(int selector) {
        selector &= 0xFFFF;
        Segment ldtr = cpu.seg[SegReg.LDTR];
        if ((selector & 0xFFFC) == 0) {
            ldtr.load(selector, 0, 0, Segment.ATTR_UNUSABLE);
            return;
        }
        int err = selector & 0xFFFC;
        if ((selector & 4) != 0) {
            throw CpuException.gp(err);
        }
        Descriptor d = new Descriptor();
        read(selector, d, 13, 0);
        if (!d.system() || d.type() != 2) {
            throw CpuException.gp(err);
        }
        if (cpu.longModeActive()) {
            readUpper(selector, d, 13, 0);
        }
        if (!d.present()) {
            throw CpuException.np(err);
        }
        d.loadInto(ldtr, selector);
    }

    /** LTR: loads TR from an available TSS descriptor in the GDT and marks it busy. */
    public void loadTaskRegister(int selector) {
        selector &= 0xFFFF;
        int err = selector & 0xFFFC;
        if ((selector & 0xFFFC) == 0) {
            throw CpuException.gp(0);
        }
        if ((selector & 4) != 0) {
            throw CpuException.gp(err);
        }
        Descriptor d = new Descriptor();
        read(selector, d, 13, 0);
        int type = d.type();
        boolean available = cpu.longModeActive() ? type == 9 : (type == 1 || type == 9);
        if (!d.system() || !available) {
            throw CpuException.gp(err);
        }
        if (cpu.longModeActive()) {
            readUpper(selector, d, 13, 0);
        }
        if (!d.present()) {
            throw CpuException.np(err);
        }
        d.high |= 0x200; // busy
        mmu.writeSystemU32(tableAddress(d.address + 4), d.high);
        d.loadInto(cpu.seg[SegReg.TR], selector);
    }

    /** Reads a descriptor for LAR/LSL/VERR/VERW; returns null when the selector is null or outside the table. */
    Descriptor probe(int selector) {
        if ((selector & 0xFFFC) == 0) {
            return null;
        }
        Descriptor d = new Descriptor();
        try {
            read(selector, d, 13, 0);
        } catch (CpuException e) {
            if (e.vector() == 13) {
                return null;
            }
            throw e;
        }
        return d;
    }
}

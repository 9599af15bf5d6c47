package dev.partita.emulator.system;

import dev.partita.emulator.cpu.ControlBits.Cr0;
import dev.partita.emulator.cpu.ControlBits.Cr4;
import dev.partita.emulator.cpu.ControlBits.Efer;
import dev.partita.emulator.cpu.CpuException;
import dev.partita.emulator.cpu.CpuState;
import dev.partita.emulator.cpu.SegReg;
import dev.partita.emulator.mmu.Mmu;

/**
 * MOV to/from CR0, CR2, CR3, CR4, CR8 and DR0-DR7, LMSW/SMSW/CLTS, and EFER writes: reserved-bit
 * checks, entering and leaving IA-32e mode (EFER.LMA follows CR0.PG with EFER.LME), and the TLB
 * flushes each change requires. CPL checks are done here too (CPL must be 0). Debug registers are
 * storage only: no breakpoint is ever raised. Owned by the vCPU thread.
 */
public final class ControlRegisters {

    private final CpuState cpu;
    private final Mmu mmu;
    private TprListener tprListener = value -> { };

    /** Told when CR8 (the task priority) is written, so the local APIC's TPR follows. */
    @FunctionalInterface
    public interface TprListener {
        void tprWritten(int priorityClass);
    }

    public ControlRegisters(CpuState cpu, Mmu mmu) {
        this.cpu = cpu;
        this.mmu = mmu;
    }

    public void setTprListener(TprListener listener) {
        this.tprListener = listener == null ? value -> { } : listener;
    }

    /** #UD for the reserved control registers; checked before the privilege level (SDM, and this host). */
    private static void requireImplemented(int cr) {
        if (cr != 0 && cr != 2 && cr != 3 && cr != 4 && cr != 8) {
            throw CpuException.ud();
        }
    }

    private void requireCpl0() {
        if (cpu.cpl != 0) {
            throw CpuException.gp(0);
        }
    }

    /** MOV CRn, reg. @throws CpuException #GP(0) on reserved bits or invalid combinations, #UD for CR1/5-7/9-15 */
    public void write(int cr, long value) {
        requireImplemented(cr);
        requireCpl0();
        if (!cpu.longMode64) {
            value &= 0xFFFF_FFFFL;
        }
        switch (cr) {
            case 0 -> writeCr0(value);
            case 2 -> cpu.cr2 = value;
            case 3 -> writeCr3(value);
            case 4 -> writeCr4(value);
            default -> {
                if ((value & ~0xFL) != 0) {
                    throw CpuException.gp(0);
                }
                cpu.cr8 = value;
                tprListener.tprWritten((int) value);
            }
        }
    }

    /** MOV reg, CRn. @throws CpuException #UD for CR1/5-7/9-15 (at any CPL), then #GP(0) at CPL &gt; 0 */
    public long read(int cr) {
        requireImplemented(cr);
        requireCpl0();
        return switch (cr) {
            case 0 -> cpu.cr0;
            case 2 -> cpu.cr2;
            case 3 -> cpu.cr3;
            case 4 -> cpu.cr4;
            case 8 -> cpu.cr8;
            default -> throw CpuException.ud();
        };
    }

    /** Writes CR0 with all architectural checks (also used by LMSW and CLTS). */
    public void writeCr0(long value) {
        if ((value & ~Cr0.SUPPORTED) != 0) {
            throw CpuException.gp(0);
        }
        value |= Cr0.ET;
        if ((value & Cr0.PG) != 0 && (value & Cr0.PE) == 0) {
            throw CpuException.gp(0);
        }
        if ((value & Cr0.NW) != 0 && (value & Cr0.CD) == 0) {
            throw CpuException.gp(0);
        }
        long old = cpu.cr0;
        boolean pagingOn = (old & Cr0.PG) == 0 && (value & Cr0.PG) != 0;
        boolean pagingOff = (old & Cr0.PG) != 0 && (value & Cr0.PG) == 0;
        if (pagingOn && (cpu.efer & Efer.LME) != 0) {
            if ((cpu.cr4 & Cr4.PAE) == 0 || cpu.seg[SegReg.CS].longMode()) {
                throw CpuException.gp(0);
            }
            cpu.efer |= Efer.LMA;
        }
        if (pagingOff && cpu.longModeActive()) {
            if (cpu.longMode64) {
                throw CpuException.gp(0);
            }
            cpu.efer &= ~Efer.LMA;
        }
        if ((value & Cr0.PE) == 0 && cpu.longModeActive()) {
            throw CpuException.gp(0);
        }
        cpu.cr0 = value;
        if (((old ^ value) & (Cr0.PG | Cr0.WP | Cr0.PE)) != 0) {
            mmu.flushAll();
        }
        cpu.updateMode();
    }

    private void writeCr3(long value) {
        if (cpu.longModeActive() && (value >>> 52) != 0) {
            throw CpuException.gp(0);
        }
        cpu.cr3 = value;
        mmu.flushNonGlobal();
    }

    private void writeCr4(long value) {
        if ((value & ~Cr4.SUPPORTED) != 0) {
            throw CpuException.gp(0);
        }
        if (cpu.longModeActive() && (value & Cr4.PAE) == 0) {
            throw CpuException.gp(0);
        }
        long old = cpu.cr4;
        cpu.cr4 = value;
        if (((old ^ value) & Cr4.PAGING_BITS) != 0) {
            mmu.flushAll();
        }
    }

    /** WRMSR EFER: LMA is read-only; LME cannot change while paging is on. */
    public void writeEfer(long value) {
        if ((value & ~(Efer.WRITABLE | Efer.LMA)) != 0) {
            throw CpuException.gp(0);
        }
        long lme = value & Efer.LME;
        if (cpu.pagingEnabled() && lme != (cpu.efer & Efer.LME)) {
            throw CpuException.gp(0);
        }
        long old = cpu.efer;
        cpu.efer = (value & Efer.WRITABLE) | (old & Efer.LMA);
        if (((old ^ cpu.efer) & Efer.NXE) != 0) {
            mmu.flushAll();
        }
        cpu.updateMode();
    }

    /** LMSW: loads CR0 bits 0-3; PE can be set but not cleared. */
    public void lmsw(int value) {
        requireCpl0();
        long low = value & 0xF;
        long newCr0 = (cpu.cr0 & ~0xEL) | (low & 0xE) | ((cpu.cr0 | low) & Cr0.PE);
        writeCr0(newCr0);
    }

    /** SMSW: the low 16 bits of CR0 (the caller stores 16 bits to memory or the register width). */
    public long smsw() {
        return cpu.cr0;
    }

    /** CLTS: clears CR0.TS. */
    public void clts() {
        requireCpl0();
        cpu.cr0 &= ~Cr0.TS;
    }

    /** MOV DRn, reg (storage only). */
    public void writeDebug(int dr, long value) {
        int n = debugIndex(dr);
        requireCpl0();
        if (!cpu.longMode64) {
            value &= 0xFFFF_FFFFL;
        } else if ((n == 6 || n == 7) && (value >>> 32) != 0) {
            throw CpuException.gp(0);
        }
        switch (n) {
            case 6 -> cpu.dr[6] = (value & 0xE00F) | 0xFFFF_0FF0L;
            case 7 -> cpu.dr[7] = (value & 0xFFFF_2BFFL) | 0x400;
            default -> cpu.dr[n] = value;
        }
    }

    /** MOV reg, DRn. */
    public long readDebug(int dr) {
        int n = debugIndex(dr);
        requireCpl0();
        return cpu.dr[n];
    }

    private int debugIndex(int dr) {
        if (dr == 4 || dr == 5) {
            if ((cpu.cr4 & Cr4.DE) != 0) {
                throw CpuException.ud();
            }
            return dr + 2;
        }
        if (dr < 0 || dr > 7) {
            throw CpuException.ud();
        }
        return dr;
    }
}

package dev.partita.emulator.system;

import dev.partita.emulator.cpu.ControlBits.Efer;
import dev.partita.emulator.cpu.ControlBits.RFlags;
import dev.partita.emulator.cpu.CpuException;
import dev.partita.emulator.cpu.CpuState;
import dev.partita.emulator.cpu.SegReg;
import dev.partita.emulator.cpu.Segment;

/**
 * SYSCALL/SYSRET (STAR, LSTAR, CSTAR, SFMASK), SYSENTER/SYSEXIT (SYSENTER_CS/ESP/EIP) and SWAPGS.
 * These load CS and SS with fixed flat descriptors derived from the MSRs, as the processor does
 * (the GDT is not read). Owned by the vCPU thread.
 */
public final class FastSystemCalls {

    private static final int CODE = Segment.ATTR_P | Segment.ATTR_S | Segment.ATTR_CODE | Segment.ATTR_RW
            | Segment.ATTR_ACCESSED | Segment.ATTR_G;
    private static final int DATA = Segment.ATTR_P | Segment.ATTR_S | Segment.ATTR_RW | Segment.ATTR_ACCESSED
            | Segment.ATTR_G | Segment.ATTR_DB;

    private final CpuState cpu;

    public FastSystemCalls(CpuState cpu) {
        this.cpu = cpu;
    }

    /** SYSCALL; {@code nextRip} is the address of the following instruction. */
    public void syscall(long nextRip) {
        if ((cpu.efer & Efer.SCE) == 0) {
            throw CpuException.ud();
        }
        int sel = (int) (cpu.star >>> 32) & 0xFFFF;
        long flags = cpu.rflags();
        if (cpu.longModeActive()) {
            cpu.gpr[1] = nextRip;
            cpu.gpr[11] = flags & ~RFlags.RF;
            boolean from64 = cpu.longMode64;
            cpu.seg[SegReg.CS].load(sel & 0xFFFC, 0, 0xFFFF_FFFFL, CODE | Segment.ATTR_L);
            cpu.seg[SegReg.SS].load((sel + 8) & 0xFFFC, 0, 0xFFFF_FFFFL, DATA);
            cpu.cpl = 0;
            cpu.setRflags(flags & ~cpu.sfmask & ~RFlags.RF);
            cpu.rip = from64 ? cpu.lstar : cpu.cstar;
        } else {
            cpu.gpr[1] = nextRip & 0xFFFF_FFFFL;
            cpu.seg[SegReg.CS].load(sel & 0xFFFC, 0, 0xFFFF_FFFFL, CODE | Segment.ATTR_DB);
            cpu.seg[SegReg.SS].load((sel + 8) & 0xFFFC, 0, 0xFFFF_FFFFL, DATA);
            cpu.cpl = 0;
            cpu.setRflags(flags & ~(RFlags.VM | RFlags.IF | RFlags.RF));
            cpu.rip = cpu.star & 0xFFFF_FFFFL;
        }
        cpu.updateMode();
    }

    /** SYSRET with operand size 4 (to compatibility mode) or 8 (to 64-bit mode). */
    public void sysret(int opSize) {
        if ((cpu.efer & Efer.SCE) == 0) {
            throw CpuException.ud();
        }
        if (!cpu.protectedMode() || cpu.cpl != 0) {
            throw CpuException.gp(0);
        }
        int sel = (int) (cpu.star >>> 48) & 0xFFFF;
        if (cpu.longModeActive()) {
            long target = opSize == 8 ? cpu.gpr[1] : cpu.gpr[1] & 0xFFFF_FFFFL;
            if (((target << 16) >> 16) != target) {
                throw CpuException.gp(0);
            }
            if (opSize == 8) {
                cpu.seg[SegReg.CS].load(((sel + 16) & 0xFFFC) | 3, 0, 0xFFFF_FFFFL, CODE | Segment.ATTR_L | (3 << Segment.ATTR_DPL_SHIFT));
            } else {
                cpu.seg[SegReg.CS].load((sel & 0xFFFC) | 3, 0, 0xFFFF_FFFFL, CODE | Segment.ATTR_DB | (3 << Segment.ATTR_DPL_SHIFT));
            }
            cpu.setRflags((cpu.gpr[11] & 0x3C_7FD7L) | RFlags.FIXED1);
            cpu.rip = target;
        } else {
            cpu.seg[SegReg.CS].load((sel & 0xFFFC) | 3, 0, 0xFFFF_FFFFL, CODE | Segment.ATTR_DB | (3 << Segment.ATTR_DPL_SHIFT));
            cpu.rflagsSystem |= RFlags.IF;
            cpu.rip = cpu.gpr[1] & 0xFFFF_FFFFL;
        }
        int ssSel = ((sel + 8) & 0xFFFC) | 3;
        Segment ss = cpu.seg[SegReg.SS];
        ss.load(ssSel, 0, 0xFFFF_FFFFL, DATA | (3 << Segment.ATTR_DPL_SHIFT));
        cpu.cpl = 3;
        cpu.updateMode();
    }

    /** SYSENTER. */
    public void sysenter() {
        if (cpu.realMode()) {
            throw CpuException.gp(0);
        }
        int sel = (int) cpu.sysenterCs & 0xFFFC;
        if (sel == 0) {
            throw CpuException.gp(0);
        }
        long flags = cpu.rflags() & ~(RFlags.VM | RFlags.IF | RFlags.RF);
        if (cpu.longModeActive()) {
            cpu.seg[SegReg.CS].load(sel, 0, 0xFFFF_FFFFL, CODE | Segment.ATTR_L);
            cpu.rip = cpu.sysenterEip;
            cpu.gpr[4] = cpu.sysenterEsp;
        } else {
            cpu.seg[SegReg.CS].load(sel, 0, 0xFFFF_FFFFL, CODE | Segment.ATTR_DB);
            cpu.rip = cpu.sysenterEip & 0xFFFF_FFFFL;
            cpu.gpr[4] = cpu.sysenterEsp & 0xFFFF_FFFFL;
        }
        cpu.seg[SegReg.SS].load(sel + 8, 0, 0xFFFF_FFFFL, DATA);
        cpu.cpl = 0;
        cpu.setRflags(flags);
        cpu.updateMode();
    }

    /** SYSEXIT with operand size 4 or 8. */
    public void sysexit(int opSize) {
        int sel = (int) cpu.sysenterCs & 0xFFFC;
        if (cpu.realMode() || cpu.cpl != 0 || sel == 0) {
            throw CpuException.gp(0);
        }
        if (opSize == 8) {
            cpu.seg[SegReg.CS].load(((sel + 32) & 0xFFFC) | 3, 0, 0xFFFF_FFFFL, CODE | Segment.ATTR_L | (3 << Segment.ATTR_DPL_SHIFT));
            cpu.seg[SegReg.SS].load(((sel + 40) & 0xFFFC) | 3, 0, 0xFFFF_FFFFL, DATA | (3 << Segment.ATTR_DPL_SHIFT));
            cpu.rip = cpu.gpr[2];
            cpu.gpr[4] = cpu.gpr[1];
        } else {
            cpu.seg[SegReg.CS].load(((sel + 16) & 0xFFFC) | 3, 0, 0xFFFF_FFFFL, CODE | Segment.ATTR_DB | (3 << Segment.ATTR_DPL_SHIFT));
            cpu.seg[SegReg.SS].load(((sel + 24) & 0xFFFC) | 3, 0, 0xFFFF_FFFFL, DATA | (3 << Segment.ATTR_DPL_SHIFT));
            cpu.rip = cpu.gpr[2] & 0xFFFF_FFFFL;
            cpu.gpr[4] = cpu.gpr[1] & 0xFFFF_FFFFL;
        }
        cpu.cpl = 3;
        cpu.updateMode();
    }

    /** SWAPGS: exchanges GS base and IA32_KERNEL_GS_BASE (64-bit mode, CPL 0). */
    public void swapgs() {
        if (!cpu.longMode64) {
            throw CpuException.ud();
        }
        if (cpu.cpl != 0) {
            throw CpuException.gp(0);
        }
        Segment gs = cpu.seg[SegReg.GS];
        long t = gs.base;
        gs.base = cpu.kernelGsBase;
        cpu.kernelGsBase = t;
    }
}

package dev.partita.emulator.system;

import dev.partita.emulator.cpu.CpuException;
import dev.partita.emulator.cpu.CpuState;
import dev.partita.emulator.cpu.MsrIndex;
import dev.partita.emulator.cpu.SegReg;
import dev.partita.hv.exit.VcpuExit;

/**
 * RDMSR/WRMSR. The processor's own MSRs live in {@link CpuState} fields (EFER, STAR/LSTAR/CSTAR/
 * SFMASK, FS/GS/KERNEL_GS base, TSC (as an offset to the virtual clock), TSC_AUX, APIC base, PAT,
 * MTRRs as plain storage, SYSENTER_*, MISC_ENABLE, a few read-only identification MSRs); the
 * x2APIC range and TSC_DEADLINE go to the {@link LocalInterruptController} when it claims them;
 * every other index leaves the emulator as a {@link VcpuExit.MsrRead}/{@link VcpuExit.MsrWrite}
 * (so the partition's MSR handler chain, e.g. the Hyper-V synthetic MSRs, answers; #GP when
 * nobody claims it). Owned by the vCPU thread.
 */
public final class ModelSpecificRegisters {

    private final CpuState cpu;
    private final ControlRegisters control;
    private final TscClock clock;
    private final ExitReplay replay;
    private LocalInterruptController apic;

    public ModelSpecificRegisters(CpuState cpu, ControlRegisters control, TscClock clock, ExitReplay replay,
                                  LocalInterruptController apic) {
        this.cpu = cpu;
        this.control = control;
        this.clock = clock;
        this.replay = replay;
        this.apic = apic;
    }

    void setInterruptController(LocalInterruptController controller) {
        this.apic = controller;
    }

    /** The guest-visible TSC now. */
    public long tsc() {
        return clock.ticks() + cpu.tscOffset;
    }

    /** Sets the guest-visible TSC (WRMSR TSC, state restore). */
    public void setTsc(long value) {
        cpu.tscOffset = value - clock.ticks();
    }

    /** RDMSR: ECX selects, result in EDX:EAX. CPL must be 0. */
    public void rdmsr() {
        if (cpu.cpl != 0) {
            throw CpuException.gp(0);
        }
        int index = (int) cpu.gpr[1];
        long v = read(index);
        cpu.gpr[0] = v & 0xFFFF_FFFFL;
        cpu.gpr[2] = v >>> 32;
    }

    /** WRMSR: ECX selects, EDX:EAX is the value. CPL must be 0. */
    public void wrmsr() {
        if (cpu.cpl != 0) {
            throw CpuException.gp(0);
        }
        int index = (int) cpu.gpr[1];
        long v = (cpu.gpr[0] & 0xFFFF_FFFFL) | (cpu.gpr[2] << 32);
        write(index, v);
    }

    /** Reads MSR {@code index} (may throw #GP or {@link ExitSignal}). */
    public long read(int index) {
        if (index >= MsrIndex.MTRR_PHYSBASE0 && index <= MsrIndex.MTRR_PHYSMASK9) {
            return cpu.mtrrVariable[index - MsrIndex.MTRR_PHYSBASE0];
        }
        int fixed = fixedMtrrSlot(index);
        if (fixed >= 0) {
            return cpu.mtrrFixed[fixed];
        }
        if (apic.claimsMsr(index)) {
            return apic.readMsr(index);
        }
        return switch (index) {
            case MsrIndex.TSC -> tsc();
            case MsrIndex.APIC_BASE -> cpu.apicBase;
            case MsrIndex.EFER -> cpu.efer;
            case MsrIndex.STAR -> cpu.star;
            case MsrIndex.LSTAR -> cpu.lstar;
            case MsrIndex.CSTAR -> cpu.cstar;
            case MsrIndex.SFMASK -> cpu.sfmask;
            case MsrIndex.FS_BASE -> cpu.seg[SegReg.FS].base;
            case MsrIndex.GS_BASE -> cpu.seg[SegReg.GS].base;
            case MsrIndex.KERNEL_GS_BASE -> cpu.kernelGsBase;
            case MsrIndex.TSC_AUX -> cpu.tscAux;
            case MsrIndex.PAT -> cpu.pat;
            case MsrIndex.SYSENTER_CS -> cpu.sysenterCs;
            case MsrIndex.SYSENTER_ESP -> cpu.sysenterEsp;
            case MsrIndex.SYSENTER_EIP -> cpu.sysenterEip;
            case MsrIndex.MISC_ENABLE -> cpu.miscEnable;
            case MsrIndex.MTRR_DEF_TYPE -> cpu.mtrrDefType;
            case MsrIndex.MTRRCAP -> 0x508L; // 8 variable ranges, fixed ranges, write-combining
            case MsrIndex.PLATFORM_ID, MsrIndex.BIOS_SIGN_ID, MsrIndex.MCG_STATUS, MsrIndex.MCG_CAP,
                 MsrIndex.TSC_ADJUST -> 0L;
            case MsrIndex.FEATURE_CONTROL -> 1L; // locked, VMX off
            default -> replay.access(ExitReplay.MSR_READ, index, 8, 0, new VcpuExit.MsrRead(index));
        };
    }

    /** Writes MSR {@code index} (may throw #GP or {@link ExitSignal}). */
    public void write(int index, long value) {
        if (index >= MsrIndex.MTRR_PHYSBASE0 && index <= MsrIndex.MTRR_PHYSMASK9) {
            cpu.mtrrVariable[index - MsrIndex.MTRR_PHYSBASE0] = value;
            return;
        }
        int fixed = fixedMtrrSlot(index);
        if (fixed >= 0) {
            cpu.mtrrFixed[fixed] = value;
            return;
        }
        if (apic.claimsMsr(index)) {
            apic.writeMsr(index, value);
            return;
        }
        switch (index) {
            case MsrIndex.TSC -> setTsc(value);
            case MsrIndex.APIC_BASE -> {
                if ((value & 0x2FFL) != 0 || (value >>> 40) != 0) {
                    throw CpuException.gp(0);
                }
                cpu.apicBase = value;
                apic.apicBaseWritten(value);
            }
            case MsrIndex.EFER -> control.writeEfer(value);
            case MsrIndex.STAR -> cpu.star = value;
            case MsrIndex.LSTAR -> cpu.lstar = canonical(value);
            case MsrIndex.CSTAR -> cpu.cstar = canonical(value);
            case MsrIndex.SFMASK -> cpu.sfmask = value & 0xFFFF_FFFFL;
            case MsrIndex.FS_BASE -> cpu.seg[SegReg.FS].base = canonical(value);
            case MsrIndex.GS_BASE -> cpu.seg[SegReg.GS].base = canonical(value);
            case MsrIndex.KERNEL_GS_BASE -> cpu.kernelGsBase = canonical(value);
            case MsrIndex.TSC_AUX -> {
                if ((value >>> 32) != 0) {
                    throw CpuException.gp(0);
                }
                cpu.tscAux = value;
            }
            case MsrIndex.PAT -> {
                for (int i = 0; i < 8; i++) {
                    int t = (int) (value >>> (8 * i)) & 0xFF;
                    if (t == 2 || t == 3 || t > 7) {
                        throw CpuException.gp(0);
                    }
                }
                cpu.pat = value;
            }
            case MsrIndex.SYSENTER_CS -> cpu.sysenterCs = value & 0xFFFF;
            case MsrIndex.SYSENTER_ESP -> cpu.sysenterEsp = canonical(value);
            case MsrIndex.SYSENTER_EIP -> cpu.sysenterEip = canonical(value);
            case MsrIndex.MISC_ENABLE -> cpu.miscEnable = value;
            case MsrIndex.MTRR_DEF_TYPE -> cpu.mtrrDefType = value & 0xCFFL;
            case MsrIndex.BIOS_SIGN_ID, MsrIndex.MCG_STATUS, MsrIndex.TSC_ADJUST, MsrIndex.SPEC_CTRL,
                 MsrIndex.PRED_CMD -> {
                // accepted and ignored
            }
            default -> replay.access(ExitReplay.MSR_WRITE, index, 8, value, new VcpuExit.MsrWrite(index, value));
        }
    }

    private static long canonical(long value) {
        if (((value << 16) >> 16) != value) {
            throw CpuException.gp(0);
        }
        return value;
    }

    private static int fixedMtrrSlot(int index) {
        if (index == MsrIndex.MTRR_FIX64K_00000) {
            return 0;
        }
        if (index == MsrIndex.MTRR_FIX16K_80000) {
            return 1;
        }
        if (index == MsrIndex.MTRR_FIX16K_A0000) {
            return 2;
        }
        if (index >= MsrIndex.MTRR_FIX4K_C0000 && index <= MsrIndex.MTRR_FIX4K_F8000) {
            return 3 + index - MsrIndex.MTRR_FIX4K_C0000;
        }
        return -1;
    }
}

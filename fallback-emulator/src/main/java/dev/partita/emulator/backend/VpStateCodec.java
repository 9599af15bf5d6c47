package dev.partita.emulator.backend;

import dev.partita.emulator.cpu.CpuState;
import dev.partita.emulator.cpu.MsrIndex;
import dev.partita.emulator.cpu.SegReg;
import dev.partita.emulator.cpu.Segment;
import dev.partita.emulator.system.ModelSpecificRegisters;
import dev.partita.hv.vp.GeneralRegisters;
import dev.partita.hv.vp.LapicState;
import dev.partita.hv.vp.MpState;
import dev.partita.hv.vp.PendingEvents;
import dev.partita.hv.vp.SegmentRegister;
import dev.partita.hv.vp.TableRegister;
import dev.partita.hv.vp.VpState;
import dev.partita.hv.vp.XsaveArea;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.TreeMap;

/**
 * Converts between the emulator's {@link CpuState} and hv-runtime's backend-neutral
 * {@link VpState}, both ways and exactly, so a checkpoint taken on KVM restores here and back.
 * Segment attributes already share the VMX access-rights layout; CPL is taken from SS.DPL (as KVM
 * does) in protected mode. The FPU/SSE state uses the standard XSAVE layout (legacy FXSAVE region
 * with x87 registers in stack order, XSAVE header with XSTATE_BV = x87|SSE). Stateless.
 */
public final class VpStateCodec {

    /** MSRs (besides EFER, APIC base, FS/GS base) saved in {@link VpState#msrs()}. */
    static final int[] SAVED_MSRS = {
        MsrIndex.TSC, MsrIndex.SYSENTER_CS, MsrIndex.SYSENTER_ESP, MsrIndex.SYSENTER_EIP,
        MsrIndex.MISC_ENABLE, MsrIndex.PAT, MsrIndex.MTRR_DEF_TYPE, MsrIndex.STAR, MsrIndex.LSTAR,
        MsrIndex.CSTAR, MsrIndex.SFMASK, MsrIndex.KERNEL_GS_BASE, MsrIndex.TSC_AUX,
    };

    private static final int XSAVE_SIZE = XsaveArea.MINIMUM_SIZE;

    private VpStateCodec() {
    }

    /** Reads the architectural state (the LAPIC page is given by the caller; may be all zero). */
    public static VpState read(CpuState cpu, ModelSpecificRegisters msrs, LapicState lapic) {
        VpState.Builder b = VpState.builder()
                .gprs(GeneralRegisters.of(cpu.gpr))
                .rip(cpu.rip)
                .rflags(cpu.rflags())
                .es(seg(cpu.seg[SegReg.ES]))
                .cs(seg(cpu.seg[SegReg.CS]))
                .ss(seg(cpu.seg[SegReg.SS]))
                .ds(seg(cpu.seg[SegReg.DS]))
                .fs(seg(cpu.seg[SegReg.FS]))
                .gs(seg(cpu.seg[SegReg.GS]))
                .ldtr(seg(cpu.seg[SegReg.LDTR]))
                .tr(seg(cpu.seg[SegReg.TR]))
                .gdtr(new TableRegister(cpu.gdtrBase, cpu.gdtrLimit & 0xFFFF))
                .idtr(new TableRegister(cpu.idtrBase, cpu.idtrLimit & 0xFFFF))
                .cr0(cpu.cr0).cr2(cpu.cr2).cr3(cpu.cr3).cr4(cpu.cr4).cr8(cpu.cr8)
                .efer(cpu.efer)
                .apicBase(cpu.apicBase);
        Map<Integer, Long> m = new TreeMap<>(Integer::compareUnsigned);
        for (int index : SAVED_MSRS) {
            m.put(index, index == MsrIndex.TSC ? msrs.tsc() : msrs.read(index));
        }
        for (int i = 0; i < cpu.mtrrVariable.length; i++) {
            m.put(MsrIndex.MTRR_PHYSBASE0 + i, cpu.mtrrVariable[i]);
        }
        int[] fixed = fixedMtrrIndices();
        for (int i = 0; i < fixed.length; i++) {
            m.put(fixed[i], cpu.mtrrFixed[i]);
        }
        b.msrs(m);
        b.xsave(new XsaveArea(xsave(cpu), cpu.xcr0));
        b.lapic(lapic);
        b.events(new PendingEvents(false, false, 0, false, 0, false, 0, false, false, false, cpu.nmiBlocked,
                cpu.interruptShadow ? PendingEvents.SHADOW_STI : 0, 0));
        b.mpState(cpu.halted ? MpState.HALTED : MpState.RUNNABLE);
        return b.build();
    }

    /**
     * Writes {@code s} into {@code cpu}. Fields that are null in {@code s} (xsave, lapic) keep their
     * value. MSRs the emulator does not keep are ignored. The caller flushes the TLB.
     */
    public static void write(VpState s, CpuState cpu, ModelSpecificRegisters msrs) {
        System.arraycopy(s.gprs().toArray(), 0, cpu.gpr, 0, 16);
        cpu.rip = s.rip();
        cpu.cr0 = s.cr0();
        cpu.cr2 = s.cr2();
        cpu.cr3 = s.cr3();
        cpu.cr4 = s.cr4();
        cpu.cr8 = s.cr8();
        cpu.efer = s.efer();
        cpu.apicBase = s.apicBase();
        load(cpu.seg[SegReg.ES], s.es());
        load(cpu.seg[SegReg.CS], s.cs());
        load(cpu.seg[SegReg.SS], s.ss());
        load(cpu.seg[SegReg.DS], s.ds());
        load(cpu.seg[SegReg.FS], s.fs());
        load(cpu.seg[SegReg.GS], s.gs());
        load(cpu.seg[SegReg.LDTR], s.ldtr());
        load(cpu.seg[SegReg.TR], s.tr());
        cpu.gdtrBase = s.gdtr().base();
        cpu.gdtrLimit = s.gdtr().limit();
        cpu.idtrBase = s.idtr().base();
        cpu.idtrLimit = s.idtr().limit();
        cpu.setRflags(s.rflags());
        for (Map.Entry<Integer, Long> e : s.msrs().entrySet()) {
            applyMsr(cpu, msrs, e.getKey(), e.getValue());
        }
        if (s.xsave() != null) {
            loadXsave(cpu, s.xsave());
        }
        PendingEvents ev = s.events();
        cpu.nmiBlocked = ev.nmiMasked();
        cpu.interruptShadow = ev.interruptShadow() != 0;
        cpu.halted = s.mpState() == MpState.HALTED;
        if ((cpu.cr0 & 1) == 0) {
            cpu.cpl = 0;
        } else if ((cpu.rflags() & (1L << 17)) != 0) {
            cpu.cpl = 3;
        } else {
            cpu.cpl = cpu.seg[SegReg.SS].dpl();
        }
        cpu.updateMode();
    }

    private static void applyMsr(CpuState cpu, ModelSpecificRegisters msrs, int index, long value) {
        if (index >= MsrIndex.MTRR_PHYSBASE0 && index <= MsrIndex.MTRR_PHYSMASK9) {
            cpu.mtrrVariable[index - MsrIndex.MTRR_PHYSBASE0] = value;
            return;
        }
        int[] fixed = fixedMtrrIndices();
        for (int i = 0; i < fixed.length; i++) {
            if (fixed[i] == index) {
                cpu.mtrrFixed[i] = value;
                return;
            }
        }
        switch (index) {
            case MsrIndex.TSC -> msrs.setTsc(value);
            case MsrIndex.SYSENTER_CS -> cpu.sysenterCs = value;
            case MsrIndex.SYSENTER_ESP -> cpu.sysenterEsp = value;
            case MsrIndex.SYSENTER_EIP -> cpu.sysenterEip = value;
            case MsrIndex.MISC_ENABLE -> cpu.miscEnable = value;
            case MsrIndex.PAT -> cpu.pat = value;
            case MsrIndex.MTRR_DEF_TYPE -> cpu.mtrrDefType = value;
            case MsrIndex.STAR -> cpu.star = value;
            case MsrIndex.LSTAR -> cpu.lstar = value;
            case MsrIndex.CSTAR -> cpu.cstar = value;
            case MsrIndex.SFMASK -> cpu.sfmask = value;
            case MsrIndex.KERNEL_GS_BASE -> cpu.kernelGsBase = value;
            case MsrIndex.TSC_AUX -> cpu.tscAux = value;
            default -> {
                // Not kept by the emulator (e.g. KVM-only MSRs in a checkpoint from KVM).
            }
        }
    }

    static int[] fixedMtrrIndices() {
        int[] r = new int[11];
        r[0] = MsrIndex.MTRR_FIX64K_00000;
        r[1] = MsrIndex.MTRR_FIX16K_80000;
        r[2] = MsrIndex.MTRR_FIX16K_A0000;
        for (int i = 0; i < 8; i++) {
            r[3 + i] = MsrIndex.MTRR_FIX4K_C0000 + i;
        }
        return r;
    }

    private static SegmentRegister seg(Segment s) {
        return new SegmentRegister(s.selector & 0xFFFF, s.base, (int) s.limit, s.attributes & 0x1F0FF);
    }

    private static void load(Segment s, SegmentRegister r) {
        s.load(r.selector(), r.base(), r.limit() & 0xFFFF_FFFFL, r.attributes());
    }

    /** The XSAVE image of the x87/SSE state. */
    static byte[] xsave(CpuState cpu) {
        ByteBuffer b = ByteBuffer.allocate(XSAVE_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(0, (short) cpu.fcw);
        b.putShort(2, (short) cpu.fsw);
        b.put(4, (byte) cpu.ftwAbridged);
        b.putShort(6, (short) cpu.fop);
        b.putLong(8, cpu.fip);
        b.putLong(16, cpu.fdp);
        b.putInt(24, cpu.mxcsr);
        b.putInt(28, 0xFFFF);
        int top = (cpu.fsw >>> 11) & 7;
        for (int i = 0; i < 8; i++) {
            int phys = (top + i) & 7;
            b.putLong(32 + 16 * i, cpu.fpuMantissa[phys]);
            b.putShort(40 + 16 * i, (short) cpu.fpuExponent[phys]);
        }
        for (int i = 0; i < 16; i++) {
            b.putLong(160 + 16 * i, cpu.xmm[2 * i]);
            b.putLong(168 + 16 * i, cpu.xmm[2 * i + 1]);
        }
        b.putLong(512, 3L); // XSTATE_BV: x87 and SSE
        return b.array();
    }

    static void loadXsave(CpuState cpu, XsaveArea area) {
        ByteBuffer b = ByteBuffer.wrap(area.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        long xstateBv = b.getLong(512);
        if ((xstateBv & 1) != 0) {
            cpu.fcw = b.getShort(0) & 0xFFFF;
            cpu.fsw = b.getShort(2) & 0xFFFF;
            cpu.ftwAbridged = b.get(4) & 0xFF;
            cpu.fop = b.getShort(6) & 0x7FF;
            cpu.fip = b.getLong(8);
            cpu.fdp = b.getLong(16);
            int top = (cpu.fsw >>> 11) & 7;
            for (int i = 0; i < 8; i++) {
                int phys = (top + i) & 7;
                cpu.fpuMantissa[phys] = b.getLong(32 + 16 * i);
                cpu.fpuExponent[phys] = b.getShort(40 + 16 * i) & 0xFFFF;
            }
        } else {
            // Component in its initial state.
            cpu.fcw = 0x037F;
            cpu.fsw = 0;
            cpu.ftwAbridged = 0;
            cpu.fop = 0;
            cpu.fip = 0;
            cpu.fdp = 0;
            java.util.Arrays.fill(cpu.fpuMantissa, 0);
            java.util.Arrays.fill(cpu.fpuExponent, 0);
        }
        if ((xstateBv & 2) != 0) {
            cpu.mxcsr = b.getInt(24) & 0xFFFF;
            for (int i = 0; i < 16; i++) {
                cpu.xmm[2 * i] = b.getLong(160 + 16 * i);
                cpu.xmm[2 * i + 1] = b.getLong(168 + 16 * i);
            }
        } else {
            cpu.mxcsr = 0x1F80;
            java.util.Arrays.fill(cpu.xmm, 0);
        }
        cpu.xcr0 = area.xcr0() & 3L | 1L;
    }

    /** An all-zero local APIC page (until the platform's LAPIC provides its registers). */
    static LapicState emptyLapic() {
        return new LapicState(new byte[LapicState.SIZE]);
    }
}

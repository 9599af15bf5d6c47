package dev.partita.emulator.exec;

import dev.partita.emulator.cpu.ControlBits.Cr0;
import dev.partita.emulator.cpu.CpuException;
import dev.partita.emulator.cpu.CpuState;
import dev.partita.emulator.decoder.DecodedInsn;

/**
 * FXSAVE/FXRSTOR: the 512-byte legacy save area (SDM vol. 1 table 10-2): FCW at 0, FSW 2, abridged
 * FTW 4, FOP 6, FIP 8, FDP 16 (64-bit forms with REX.W, selector forms otherwise), MXCSR 24,
 * MXCSR_MASK 28, ST0-ST7 in stack order at 32 + 16*i (10 bytes each), XMM0-XMM15 at 160 + 16*i
 * (XMM8-15 only in 64-bit mode). The area must be 16-byte aligned (#GP(0)). Stateless.
 */
final class FxsaveLayout {
    private FxsaveLayout() {
    }

    /** Bits of MXCSR that may be set (DAZ included), stored as MXCSR_MASK. */
    static final int MXCSR_MASK = 0xFFFF;

    private static long check(OperandAccess in, DecodedInsn d) {
        if ((in.cpu.cr0 & (Cr0.TS | Cr0.EM)) != 0) {
            throw (in.cpu.cr0 & Cr0.EM) != 0 ? CpuException.ud() : CpuException.nm();
        }
        long ea = in.ea(d);
        if ((ea & 15) != 0) {
            throw CpuException.gp(0);
        }
        return ea;
    }

    private static long at(DecodedInsn d, long ea, int off) {
        return IntegerOps.mask(d.addrSize) & (ea + off);
    }

    static void save(OperandAccess in, DecodedInsn d) {
        long ea = check(in, d);
        CpuState cpu = in.cpu;
        // Touch the last byte first so a fault happens before anything is written.
        in.mmu.probeWrite(d.seg, at(d, ea, 511), 1);
        boolean rexW = (d.prefixes & DecodedInsn.P_REXW) != 0;
        in.write(d.seg, ea, 2, cpu.fcw);
        // ES and B summarize pending unmasked exceptions, as in FNSTSW.
        boolean pending = (cpu.fsw & 0x3F & ~cpu.fcw) != 0;
        in.write(d.seg, at(d, ea, 2), 2, pending ? cpu.fsw | 0x8080 : cpu.fsw & 0x7F7F);
        in.write(d.seg, at(d, ea, 4), 2, cpu.ftwAbridged & 0xFF);
        in.write(d.seg, at(d, ea, 6), 2, cpu.fop & 0x7FF);
        if (rexW) {
            in.write(d.seg, at(d, ea, 8), 8, cpu.fip);
            in.write(d.seg, at(d, ea, 16), 8, cpu.fdp);
        } else {
            in.write(d.seg, at(d, ea, 8), 8, cpu.fip & 0xFFFF_FFFFL);
            in.write(d.seg, at(d, ea, 16), 8, cpu.fdp & 0xFFFF_FFFFL);
        }
        in.write(d.seg, at(d, ea, 24), 4, cpu.mxcsr & 0xFFFF_FFFFL);
        in.write(d.seg, at(d, ea, 28), 4, MXCSR_MASK);
        int top = (cpu.fsw >>> 11) & 7;
        for (int i = 0; i < 8; i++) {
            int p = (top + i) & 7;
            in.write(d.seg, at(d, ea, 32 + 16 * i), 8, cpu.fpuMantissa[p]);
            in.write(d.seg, at(d, ea, 40 + 16 * i), 8, cpu.fpuExponent[p] & 0xFFFF);
        }
        int regs = in.cpu.longMode64 ? 16 : 8;
        for (int r = 0; r < regs; r++) {
            in.write(d.seg, at(d, ea, 160 + 16 * r), 8, cpu.xmm[2 * r]);
            in.write(d.seg, at(d, ea, 168 + 16 * r), 8, cpu.xmm[2 * r + 1]);
        }
    }

    static void restore(OperandAccess in, DecodedInsn d) {
        long ea = check(in, d);
        CpuState cpu = in.cpu;
        long mxcsr = in.read(d.seg, at(d, ea, 24), 4);
        if ((mxcsr & ~MXCSR_MASK) != 0) {
            throw CpuException.gp(0);
        }
        in.read(d.seg, at(d, ea, 511), 1);
        boolean rexW = (d.prefixes & DecodedInsn.P_REXW) != 0;
        cpu.fcw = (int) in.read(d.seg, ea, 2);
        cpu.fsw = (int) in.read(d.seg, at(d, ea, 2), 2);
        cpu.ftwAbridged = (int) in.read(d.seg, at(d, ea, 4), 1);
        cpu.fop = (int) in.read(d.seg, at(d, ea, 6), 2) & 0x7FF;
        cpu.fip = in.read(d.seg, at(d, ea, 8), 8);
        cpu.fdp = in.read(d.seg, at(d, ea, 16), 8);
        if (!rexW) {
            cpu.fip &= 0xFFFF_FFFFL;
            cpu.fdp &= 0xFFFF_FFFFL;
        }
        cpu.mxcsr = (int) mxcsr;
        int top = (cpu.fsw >>> 11) & 7;
        for (int i = 0; i < 8; i++) {
            int p = (top + i) & 7;
            cpu.fpuMantissa[p] = in.read(d.seg, at(d, ea, 32 + 16 * i), 8);
            cpu.fpuExponent[p] = (int) in.read(d.seg, at(d, ea, 40 + 16 * i), 2);
        }
        int regs = in.cpu.longMode64 ? 16 : 8;
        for (int r = 0; r < regs; r++) {
            cpu.xmm[2 * r] = in.read(d.seg, at(d, ea, 160 + 16 * r), 8);
            cpu.xmm[2 * r + 1] = in.read(d.seg, at(d, ea, 168 + 16 * r), 8);
        }
    }
}

package dev.partita.emulator.system;

import dev.partita.emulator.cpu.CpuException;
import dev.partita.emulator.cpu.CpuState;
import dev.partita.emulator.cpu.SegReg;
import dev.partita.emulator.cpu.Segment;
import dev.partita.emulator.mmu.Mmu;
import dev.partita.hv.exit.VcpuExit;

/**
 * IN/OUT (and the element accesses of INS/OUTS): the I/O privilege check (CPL against IOPL, then
 * the TSS I/O permission bitmap), then either an internal device ({@link InternalDevices}) or a
 * {@link VcpuExit.PortIo} exit through {@link ExitReplay}. Owned by the vCPU thread.
 */
public final class PortIo {

    private final CpuState cpu;
    private final Mmu mmu;
    private final ExitReplay replay;
    private InternalDevices devices = InternalDevices.NONE;

    public PortIo(CpuState cpu, Mmu mmu, ExitReplay replay) {
        this.cpu = cpu;
        this.mmu = mmu;
        this.replay = replay;
    }

    void setDevices(InternalDevices devices) {
        this.devices = devices == null ? InternalDevices.NONE : devices;
    }

    /** IN: returns the value read (zero-extended {@code size} bytes). */
    public int in(int port, int size) {
        port &= 0xFFFF;
        checkPermission(port, size);
        if (devices.claimsPort(port)) {
            return mask(devices.readPort(port, size), size);
        }
        return mask((int) replay.access(ExitReplay.PIO_IN, port, size, 0, new VcpuExit.PortIo(port, size, false, 0)), size);
    }

    /** OUT of the low {@code size} bytes of {@code value}. */
    public void out(int port, int size, int value) {
        port &= 0xFFFF;
        checkPermission(port, size);
        value = mask(value, size);
        if (devices.claimsPort(port)) {
            devices.writePort(port, size, value);
            return;
        }
        replay.access(ExitReplay.PIO_OUT, port, size, value, new VcpuExit.PortIo(port, size, true, value));
    }

    private static int mask(int v, int size) {
        return switch (size) {
            case 1 -> v & 0xFF;
            case 2 -> v & 0xFFFF;
            default -> v;
        };
    }

    /** #GP(0) unless CPL <= IOPL (protected mode) or the TSS bitmap allows every byte of the access. */
    public void checkPermission(int port, int size) {
        if (cpu.realMode()) {
            return;
        }
        if (!cpu.v86Mode() && cpu.cpl <= cpu.iopl()) {
            return;
        }
        Segment tr = cpu.seg[SegReg.TR];
        if ((tr.type() & 8) == 0 || tr.limit < 0x67) {
            throw CpuException.gp(0);
        }
        long mapBase = mmu.readSystemU16(tr.base + 0x66) & 0xFFFFL;
        long byteOffset = mapBase + (port >>> 3);
        if (byteOffset + 1 > tr.limit) {
            throw CpuException.gp(0);
        }
        int bits = mmu.readSystemU16(tr.base + byteOffset);
        int wanted = ((1 << size) - 1) << (port & 7);
        if ((bits & wanted) != 0) {
            throw CpuException.gp(0);
        }
    }
}

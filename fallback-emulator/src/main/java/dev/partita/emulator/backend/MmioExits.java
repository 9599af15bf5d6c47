package dev.partita.emulator.backend;

import dev.partita.emulator.mmu.MmioHandler;
import dev.partita.emulator.system.ExitReplay;
import dev.partita.emulator.system.InternalDevices;
import dev.partita.hv.exit.VcpuExit;

/**
 * The MMU's view of non-RAM physical addresses for one vCPU: addresses the emulator's own devices
 * claim are completed synchronously; everything else becomes a {@link VcpuExit.Mmio} through the
 * {@link ExitReplay} (the instruction restarts when the runtime has answered). vCPU thread only.
 */
final class MmioExits implements MmioHandler {

    private final ExitReplay replay;
    private InternalDevices devices = InternalDevices.NONE;

    MmioExits(ExitReplay replay) {
        this.replay = replay;
    }

    void setDevices(InternalDevices devices) {
        this.devices = devices == null ? InternalDevices.NONE : devices;
    }

    @Override
    public long read(long gpa, int size) {
        if (devices.claimsMmio(gpa)) {
            return devices.readMmio(gpa, size);
        }
        long v = replay.access(ExitReplay.MMIO_READ, gpa, size, 0, new VcpuExit.Mmio(gpa, size, false, 0));
        return size == 8 ? v : v & ((1L << (size * 8)) - 1);
    }

    @Override
    public void write(long gpa, int size, long value) {
        if (devices.claimsMmio(gpa)) {
            devices.writeMmio(gpa, size, value);
            return;
        }
        long v = size == 8 ? value : value & ((1L << (size * 8)) - 1);
        replay.access(ExitReplay.MMIO_WRITE, gpa, size, v, new VcpuExit.Mmio(gpa, size, true, v));
    }
}

package dev.partita.devices.pci;

import dev.partita.hv.bus.MmioDevice;

/**
 * The memory-mapped configuration window (ECAM): offset {@code bus << 20 | device << 15 | function << 12
 * | register} within the window reaches that register, so the full 4 KiB of each function is reachable.
 * An access must stay inside one function's 4 KiB and be at most 4 bytes: an 8-byte access, or one that
 * crosses into the next function, reads all ones and is dropped (configuration space is defined only for
 * accesses up to a dword).
 *
 * <p>Threads: any virtual processor thread.
 */
public final class EcamWindow implements MmioDevice {
    private final PciBus bus;
    private final int firstBus;

    /** A window whose offset 0 is bus {@code firstBus}, device 0, function 0. */
    public EcamWindow(PciBus bus, int firstBus) {
        this.bus = bus;
        this.firstBus = firstBus;
    }

    @Override
    public long read(long offset, int size) {
        if (!valid(offset, size)) {
            return size >= 8 ? -1L : (1L << (size * 8)) - 1;
        }
        return bus.read(target(offset), register(offset), size) & 0xFFFF_FFFFL;
    }

    @Override
    public void write(long offset, int size, long value) {
        if (valid(offset, size)) {
            bus.write(target(offset), register(offset), size, (int) value);
        }
    }

    private boolean valid(long offset, int size) {
        return size <= 4 && offset >= 0 && register(offset) + size <= PciFunction.CONFIG_SPACE_SIZE
                && firstBus + (offset >>> 20) <= 255;
    }

    private PciAddress target(long offset) {
        return new PciAddress(firstBus + (int) (offset >>> 20), (int) (offset >>> 15) & 0x1F, (int) (offset >>> 12) & 0x7);
    }

    private static int register(long offset) {
        return (int) (offset & 0xFFF);
    }
}

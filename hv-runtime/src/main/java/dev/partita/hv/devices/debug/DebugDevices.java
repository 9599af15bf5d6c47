package dev.partita.hv.devices.debug;

import dev.partita.hv.Partition;
import dev.partita.hv.state.Saveable;
import java.util.List;

/** Attaches the three debug/test devices of guests/README.md to a partition. */
public final class DebugDevices {
    private DebugDevices() {
    }

    /**
     * Registers the console (0xE9, to {@code console}), the exit port (0xF4, ending the partition
     * with the written code) and the MMIO test device (0xD000_0000). Returns the components with
     * saved state among them (the MMIO test device; the console and exit port have none).
     */
    public static List<Saveable> attach(Partition partition, ConsoleSink console) {
        partition.ioBus().register(DebugConsoleDevice.PORT, 1, new DebugConsoleDevice(console), "debug-console");
        partition.ioBus().register(DebugExitDevice.PORT, 4, new DebugExitDevice(partition::exit), "debug-exit");
        MmioTestDevice test = new MmioTestDevice();
        partition.mmioBus().register(MmioTestDevice.BASE, MmioTestDevice.SIZE, test, "mmio-test");
        return List.of(test);
    }
}

package dev.partita.vmms.state;

import dev.partita.devices.storage.DiskSpec;
import dev.partita.hv.hyperv.Enlightenments;
import dev.partita.vmms.worker.VmBusDevices;

import java.util.List;
import java.util.Objects;

/**
 * The devices of a saved Linux VM that {@code partita restore} must build again before its state
 * loads: VMBus with or without the integration components, the disks of its SCSI controller (by
 * path, LUN i = disk i) and the Hyper-V enlightenments. Immutable.
 *
 * @param vmbus          the Hyper-V interface and the VMBus server
 * @param integration    heartbeat, shutdown and time synchronization components
 * @param disks          the disk images, in LUN order (kept as absolute paths, so a restore finds
 *                       them from any working directory)
 * @param enlightenments the enlightenments offered with VMBus
 */
public record LinuxDevices(boolean vmbus, boolean integration, List<DiskSpec> disks, Enlightenments enlightenments) {
    /** No VMBus (and so no disks); enlightenments are then not offered. */
    public static final LinuxDevices NONE = new LinuxDevices(false, false, List.of(), Enlightenments.ALL);

    public LinuxDevices {
        disks = disks.stream().map(d -> new DiskSpec(d.path().toAbsolutePath().normalize(), d.readOnly())).toList();
        Objects.requireNonNull(enlightenments, "enlightenments");
        if (!vmbus && (integration || !disks.isEmpty())) {
            throw new IllegalArgumentException("integration components and disks need VMBus");
        }
    }

    /**
     * The devices of a VM built with {@code vmbus}, {@code disks} and {@code enlightenments}.
     *
     * @throws IllegalArgumentException when {@code vmbus} has additional VSPs, which a restore cannot build
     */
    public static LinuxDevices of(VmBusDevices vmbus, List<DiskSpec> disks, Enlightenments enlightenments) {
        if (!vmbus.additional().isEmpty()) {
            throw new IllegalArgumentException("a VM with additional VSPs cannot be described for 'partita restore'");
        }
        return new LinuxDevices(vmbus.enabled(), vmbus.integration(), disks, enlightenments);
    }

    /** The VMBus devices to build. */
    public VmBusDevices vmBusDevices() {
        return new VmBusDevices(vmbus, integration, List.of());
    }
}

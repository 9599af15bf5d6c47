package dev.partita.vmms.worker;

import dev.partita.hv.BackendChoice;
import dev.partita.devices.storage.DiskSpec;
import dev.partita.hv.boot.LinuxKernel;
import dev.partita.hv.hyperv.Enlightenments;

import java.util.List;
import java.util.Objects;

/**
 * Everything needed to build one Linux VM: the parsed kernel, the initrd bytes, the command line, the
 * partition's size and backend, and its VMBus devices. Immutable; the initrd array is not copied and must
 * not be changed afterwards.
 *
 * @param name    partition name (for logs and reports)
 * @param kernel  the parsed kernel (bzImage or PVH vmlinux)
 * @param initrd  initramfs bytes, or null
 * @param cmdline kernel command line
 * @param memory  guest RAM in bytes
 * @param cpus    virtual processors (1 to {@link #MAX_CPUS})
 * @param backend the backend asked for
 * @param vmbus   the VMBus devices
 * @param disks   disk images (VHDX or raw) for one SCSI controller (storvsc), LUN i = disk i; needs VMBus when not empty
 * @param enlightenments the optional Hyper-V enlightenments offered with VMBus (reference time, synthetic
 *                timers, crash reports); ignored without VMBus, where the VM has no Hyper-V interface
 */
public record VmDefinition(String name, LinuxKernel kernel, byte[] initrd, String cmdline, long memory, int cpus,
                           BackendChoice backend, VmBusDevices vmbus, List<DiskSpec> disks, Enlightenments enlightenments) {
    /** A VM with every enlightenment. */
    public VmDefinition(String name, LinuxKernel kernel, byte[] initrd, String cmdline, long memory, int cpus, BackendChoice backend,
                        VmBusDevices vmbus, List<DiskSpec> disks) {
        this(name, kernel, initrd, cmdline, memory, cpus, backend, vmbus, disks, Enlightenments.ALL);
    }

    /** A VM without disks. */
    public VmDefinition(String name, LinuxKernel kernel, byte[] initrd, String cmdline, long memory, int cpus, BackendChoice backend,
                        VmBusDevices vmbus) {
        this(name, kernel, initrd, cmdline, memory, cpus, backend, vmbus, List.of());
    }

    /** The most virtual processors a VM has (the MADT, topology leaves and both backends are tested up to this). */
    public static final int MAX_CPUS = 16;

    public VmDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(cmdline, "cmdline");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(vmbus, "vmbus");
        Objects.requireNonNull(enlightenments, "enlightenments");
        disks = List.copyOf(disks);
        if (!disks.isEmpty() && !vmbus.enabled()) {
            throw new IllegalArgumentException("disks need VMBus (the SCSI controller is a VMBus device)");
        }
        if (cpus < 1 || cpus > MAX_CPUS) {
            throw new IllegalArgumentException("cpus must be 1-" + MAX_CPUS + ", got " + cpus);
        }
    }
}

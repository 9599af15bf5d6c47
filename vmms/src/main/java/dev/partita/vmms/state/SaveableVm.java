package dev.partita.vmms.state;

import dev.partita.hv.Partition;
import dev.partita.hv.state.Saveable;
import dev.partita.hv.state.VmStateController;
import java.util.ArrayList;
import java.util.List;

/**
 * The state controller of one VM the command line runs: the {@code vm} description section first,
 * then the VM's device sections. {@code partita run} and {@code partita restore} build it the same
 * way for the same kind of VM, so a file saved by one loads in the other.
 */
public final class SaveableVm {
    private SaveableVm() {
    }

    /** The controller for {@code partition} described by {@code description} with {@code devices} (restore order). */
    public static VmStateController controller(Partition partition, VmDescription description, List<Saveable> devices) {
        List<Saveable> all = new ArrayList<>();
        all.add(description.section());
        all.addAll(devices);
        return new VmStateController(partition, all);
    }

    /** The description of a running {@code partition} of {@code kind} without VMBus devices. */
    public static VmDescription describe(String kind, Partition partition) {
        return describe(kind, partition, LinuxDevices.NONE);
    }

    /** The description of a running {@code partition} of {@code kind} with {@code devices}. */
    public static VmDescription describe(String kind, Partition partition, LinuxDevices devices) {
        return new VmDescription(kind, partition.name(), partition.config().memoryBytes(), partition.processors().size(),
                partition.backendName(), devices);
    }
}

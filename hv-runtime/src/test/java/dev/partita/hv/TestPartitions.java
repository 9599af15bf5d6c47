package dev.partita.hv;

import java.util.List;
import java.util.Map;

/**
 * Partitions on a scripted backend whose processors never run (no /dev/kvm, no emulator): for
 * tests that drive a partition's guest-facing interfaces (MSR chain, hypercall handler, Hyper-V
 * state) directly from the test thread.
 */
public final class TestPartitions {
    private TestPartitions() {
    }

    /** A partition of {@code cpus} processors and {@code memoryBytes} of RAM that is never started; close it after use. */
    public static Partition idle(String name, int cpus, long memoryBytes) {
        ScriptedBackend backend = new ScriptedBackend("scripted", true, vp -> List.of());
        Hypervisor hv = new Hypervisor(Map.of(backend.name(), backend));
        return hv.createPartition(new PartitionConfig(name, memoryBytes, cpus, backend.name()));
    }
}

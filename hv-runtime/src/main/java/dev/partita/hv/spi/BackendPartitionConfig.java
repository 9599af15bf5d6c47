package dev.partita.hv.spi;

import dev.partita.hv.memory.GuestMemory;

/**
 * What a backend needs to create its side of a partition.
 *
 * @param name   partition name (for thread names and messages)
 * @param cpus   number of virtual processors that will be created (1-255)
 * @param memory the partition's RAM; the backend maps every region ({@link GuestMemory#regions()})
 *               and accesses RAM only there. The partition owns it and closes it after the backend.
 */
public record BackendPartitionConfig(String name, int cpus, GuestMemory memory) {
    public BackendPartitionConfig {
        if (cpus < 1 || cpus > 255) {
            throw new IllegalArgumentException("cpus must be 1-255, got " + cpus);
        }
    }
}

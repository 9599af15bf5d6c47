package dev.partita.hv;

import dev.partita.hv.memory.GuestMemory;

import java.util.Objects;

/**
 * What to create: a name, RAM size (placed by {@link dev.partita.hv.memory.PcRamLayout}), processor count and
 * backend ("kvm", "emulator" or "auto"). Immutable.
 *
 * @param name        partition name, used in thread names and reports
 * @param memoryBytes RAM size, a positive multiple of 4 KiB
 * @param cpus        number of virtual processors, 1-255
 * @param backend     backend name or {@link #AUTO}
 */
public record PartitionConfig(String name, long memoryBytes, int cpus, String backend) {
    /** Pick KVM when usable, else the emulator. */
    public static final String AUTO = "auto";
    /** The default RAM of test guests (guests/README.md). */
    public static final long DEFAULT_MEMORY = 32L << 20;

    public PartitionConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(backend, "backend");
        if (memoryBytes <= 0 || memoryBytes % GuestMemory.PAGE_SIZE != 0) {
            throw new IllegalArgumentException("memory size must be a positive multiple of 4 KiB: " + memoryBytes);
        }
        if (cpus < 1 || cpus > 255) {
            throw new IllegalArgumentException("cpus must be 1-255: " + cpus);
        }
    }

    /** A partition on the backend {@code backend} asks for. */
    public PartitionConfig(String name, long memoryBytes, int cpus, BackendChoice backend) {
        this(name, memoryBytes, cpus, backend.id());
    }

    /** 32 MiB, one processor, automatic backend. */
    public static PartitionConfig defaults(String name) {
        return new PartitionConfig(name, DEFAULT_MEMORY, 1, AUTO);
    }

    public PartitionConfig withMemory(long bytes) {
        return new PartitionConfig(name, bytes, cpus, backend);
    }

    public PartitionConfig withCpus(int count) {
        return new PartitionConfig(name, memoryBytes, count, backend);
    }

    public PartitionConfig withBackend(String backendName) {
        return new PartitionConfig(name, memoryBytes, cpus, backendName);
    }
}

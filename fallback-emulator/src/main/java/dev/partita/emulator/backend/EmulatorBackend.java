package dev.partita.emulator.backend;

import dev.partita.hv.spi.BackendAvailability;
import dev.partita.hv.spi.BackendPartition;
import dev.partita.hv.spi.BackendPartitionConfig;
import dev.partita.hv.spi.PartitionBackend;

/**
 * The "emulator" backend: runs partitions on the pure-Java x86-64 emulator. Always available.
 * Registered for {@link java.util.ServiceLoader} (module-info {@code provides} and
 * META-INF/services). Stateless; any thread.
 */
public final class EmulatorBackend implements PartitionBackend {

    /** The selection name. */
    public static final String NAME = "emulator";

    public EmulatorBackend() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public BackendAvailability availability() {
        return BackendAvailability.usable("pure-Java x86-64 emulator (no host requirements)");
    }

    @Override
    public BackendPartition createPartition(BackendPartitionConfig config) {
        return new EmulatorPartition(config);
    }
}

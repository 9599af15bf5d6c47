package dev.partita.hv;

import dev.partita.hv.memory.GuestMemory;
import dev.partita.hv.spi.BackendAvailability;
import dev.partita.hv.spi.BackendPartition;
import dev.partita.hv.spi.BackendPartitionConfig;
import dev.partita.hv.spi.PartitionBackend;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The per-process entry point: finds the backends ({@link ServiceLoader} of
 * {@link PartitionBackend}), says which can run here and why, and creates partitions.
 *
 * <p>Selection: {@code "auto"} asks the host probe's
 * {@link dev.partita.hv.host.BackendAdvisor#adviseForThisHost()} which backend suits operating-system
 * guests here (on a PVM host, where KVM emulates CPL0 code, that is the emulator) and takes it when
 * installed and usable, else the other one; when the advisor cannot decide, "kvm" when usable, else
 * "emulator". An explicit name must be usable. Availability and advice are computed once and
 * cached.
 *
 * <p>Threads: thread-safe; partitions created by one hypervisor are independent of each other.
 */
public final class Hypervisor {
    private static final Hypervisor INSTANCE = new Hypervisor(loadBackends());

    private final Map<String, PartitionBackend> backends;
    private final Map<String, BackendAvailability> availability = new ConcurrentHashMap<>();
    private volatile AutoAdvice autoAdvice;

    /** What {@code auto} prefers and why. */
    private record AutoAdvice(String preferred, String reason) {
    }

    Hypervisor(Map<String, PartitionBackend> backends) {
        this.backends = backends;
    }

    /** The process-wide hypervisor. */
    public static Hypervisor get() {
        return INSTANCE;
    }

    private static Map<String, PartitionBackend> loadBackends() {
        Map<String, PartitionBackend> found = new LinkedHashMap<>();
        for (PartitionBackend b : ServiceLoader.load(PartitionBackend.class, Hypervisor.class.getClassLoader())) {
            found.putIfAbsent(b.name(), b);
        }
        return found;
    }

    /** Every backend found, with its availability. */
    public List<BackendInfo> backends() {
        List<BackendInfo> list = new ArrayList<>();
        for (PartitionBackend b : backends.values()) {
            list.add(new BackendInfo(b.name(), availabilityOf(b)));
        }
        return list;
    }

    /**
     * The backend for {@code name} ("auto" or a backend name).
     *
     * @throws IllegalArgumentException naming what was asked and what exists, when none fits
     */
    public PartitionBackend backend(String name) {
        if (PartitionConfig.AUTO.equals(name)) {
            String preferred = autoAdvice().preferred();
            for (String candidate : preferred.equals("emulator") ? List.of("emulator", "kvm") : List.of("kvm", "emulator")) {
                PartitionBackend b = backends.get(candidate);
                if (b != null && availabilityOf(b).usable()) {
                    return b;
                }
            }
            throw new IllegalArgumentException("no usable backend: " + backends());
        }
        PartitionBackend b = backends.get(name);
        if (b == null) {
            throw new IllegalArgumentException("unknown backend '" + name + "'; known: " + backends.keySet());
        }
        BackendAvailability a = availabilityOf(b);
        if (!a.usable()) {
            throw new IllegalArgumentException("backend '" + name + "' is not usable here: " + a.reason());
        }
        return b;
    }

    /** Why {@code auto} prefers the backend it prefers on this host (the host advisor's sentence). */
    public String autoReason() {
        return autoAdvice().reason();
    }

    private AutoAdvice autoAdvice() {
        AutoAdvice a = autoAdvice;
        if (a == null) {
            try {
                var advice = dev.partita.hv.host.BackendAdvisor.adviseForThisHost();
                a = new AutoAdvice(advice.backend() == dev.partita.hv.host.BackendKind.KVM ? "kvm" : "emulator", advice.reason());
            } catch (RuntimeException | LinkageError e) {
                a = new AutoAdvice("kvm", "kvm when usable (host advisor failed: " + e.getMessage() + ")");
            }
            autoAdvice = a;
        }
        return a;
    }

    /** Whether backend {@code name} exists and is usable, with the reason. */
    public BackendAvailability availability(String name) {
        PartitionBackend b = backends.get(name);
        return b == null ? BackendAvailability.unusable("backend '" + name + "' is not installed") : availabilityOf(b);
    }

    private BackendAvailability availabilityOf(PartitionBackend b) {
        return availability.computeIfAbsent(b.name(), n -> {
            try {
                return b.availability();
            } catch (RuntimeException e) {
                return BackendAvailability.unusable("probe failed: " + e.getMessage());
            }
        });
    }

    /**
     * Creates a paused partition: allocates RAM (laid out by {@link dev.partita.hv.memory.PcRamLayout}: below the
     * 32-bit MMIO hole, the rest from 4 GiB), creates the backend
     * partition and its processors, installs the backend's default CPUID model.
     *
     * @throws IllegalArgumentException for an unknown or unusable backend
     * @throws RuntimeException         (a {@link dev.partita.hv.spi.BackendException} or
     *                                  {@link dev.partita.hv.memory.GuestMemoryException}) when the host refuses
     */
    public Partition createPartition(PartitionConfig config) {
        PartitionBackend b = backend(config.backend());
        GuestMemory memory = GuestMemory.allocate(dev.partita.hv.memory.PcRamLayout.regions(config.memoryBytes()));
        BackendPartition bp = null;
        try {
            bp = b.createPartition(new BackendPartitionConfig(config.name(), config.cpus(), memory));
            return new Partition(config, b.name(), memory, bp);
        } catch (RuntimeException e) {
            if (bp != null) {
                try {
                    bp.close();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            memory.close();
            throw e;
        }
    }
}

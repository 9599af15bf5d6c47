package dev.partita.hv.spi;

/**
 * A way of running partitions ("kvm", "emulator"), found with {@link java.util.ServiceLoader}.
 * Implementations have a public no-argument constructor and are cheap to construct: the probing
 * happens in {@link #availability()}.
 *
 * <p>The execution model is the same for all backends: a backend runs guest code and returns
 * every access it does not handle itself (port I/O, MMIO, unhandled MSRs, hypercalls, HLT with
 * nothing to wake it, shutdown, failures) as a {@link dev.partita.hv.exit.VcpuExit} from
 * {@link BackendVcpu#run()}; the runtime dispatches it to the partition's buses and MSR chain
 * and completes it. A backend never calls the buses itself. Guest RAM is the
 * {@link dev.partita.hv.memory.GuestMemory} regions given at creation; a backend reads and writes
 * them directly (the emulator) or hands them to the kernel (KVM). Interrupt controllers (PIC,
 * I/O APIC, local APIC, PIT) belong to the backend: KVM's are in the kernel, the emulator has
 * its own; the runtime drives them through {@link BackendPartition}'s interrupt methods.
 *
 * <p>Threads: any thread may call these methods.
 */
public interface PartitionBackend {
    /** Short unique name used to select it ("kvm", "emulator"). */
    String name();

    /** Whether this host can run it, with the reason; may probe the host (cached by the caller). */
    BackendAvailability availability();

    /**
     * Creates the backend side of a partition.
     *
     * @throws BackendException when the backend is unusable or the host refuses
     */
    BackendPartition createPartition(BackendPartitionConfig config);
}

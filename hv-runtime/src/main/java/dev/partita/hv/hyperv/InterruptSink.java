package dev.partita.hv.hyperv;

/**
 * Raises a SINT's vector on a virtual processor: in a partition, a fixed, edge-triggered MSI to
 * the processor's local APIC ({@code Partition.sendInterrupt}; on KVM that is KVM_SIGNAL_MSI, on
 * the emulator its own APIC). Tests substitute a recorder.
 *
 * <p>Called from any thread (the thread that delivered a message or set a flag), never while the
 * SynIC holds a processor's lock.
 */
@FunctionalInterface
public interface InterruptSink {
    /** Requests interrupt {@code vector} (16-255) on processor {@code vpIndex}. */
    void raise(int vpIndex, int vector);
}

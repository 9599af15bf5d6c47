package dev.partita.hv.acpi;

/**
 * What the ACPI tables describe.
 *
 * @param cpus   number of processors (local APIC ids 0..cpus-1)
 * @param vmbus  whether the DSDT has the VMBus device
 */
public record AcpiPlatform(int cpus, boolean vmbus) {
    public AcpiPlatform {
        if (cpus < 1 || cpus > 255) {
            throw new IllegalArgumentException("cpus must be 1-255: " + cpus);
        }
    }
}

package dev.partita.hv.acpi;

/**
 * A finished set of ACPI tables laid out for one guest-physical address: the bytes to copy to
 * {@code base}, and where the RSDP is. Immutable (the array is not exposed for writing by convention).
 *
 * @param base        guest-physical address of the first byte
 * @param bytes       the tables, RSDP first
 * @param rsdpAddress guest-physical address of the RSDP (16-byte aligned)
 */
public record AcpiTables(long base, byte[] bytes, long rsdpAddress) {
    public long end() {
        return base + bytes.length;
    }
}

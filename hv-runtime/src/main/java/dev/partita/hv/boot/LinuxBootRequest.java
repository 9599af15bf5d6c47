package dev.partita.hv.boot;

import dev.partita.hv.acpi.AcpiTables;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What to boot: a kernel, an optional initrd, the command line and the ACPI tables to install.
 *
 * @param kernel  the kernel
 * @param initrd  initrd/initramfs bytes, or null for none (not copied)
 * @param cmdline kernel command line (ASCII; may be empty)
 * @param acpi    ACPI tables laid out for {@link BootLayout#ACPI_BASE}, or null for none
 */
public record LinuxBootRequest(LinuxKernel kernel, byte[] initrd, String cmdline, AcpiTables acpi) {
    public LinuxBootRequest {
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(cmdline, "cmdline");
        if (acpi != null && acpi.base() != BootLayout.ACPI_BASE) {
            throw new IllegalArgumentException("ACPI tables must be laid out at 0x" + Long.toHexString(BootLayout.ACPI_BASE));
        }
    }

    /** The command line as the kernel reads it (ASCII bytes, without the terminating NUL). */
    public byte[] cmdlineBytes() {
        return cmdline.getBytes(StandardCharsets.US_ASCII);
    }
}

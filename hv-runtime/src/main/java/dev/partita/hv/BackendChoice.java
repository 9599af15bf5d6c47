package dev.partita.hv;

import java.util.Locale;

/**
 * Which backend a user or a VM definition asks for: one of the two Partita ships, or {@link #AUTO}
 * (the host probe's advice; see {@link Hypervisor#backend}). Parsed once at the edge (command line,
 * configuration) so that nothing further in compares strings; {@link #id()} is the name the backend
 * SPI and {@link PartitionConfig} use.
 */
public enum BackendChoice {
    /** The probe's advice: KVM when it runs guests usefully here, else the emulator. */
    AUTO(PartitionConfig.AUTO),
    /** Linux KVM through /dev/kvm. */
    KVM("kvm"),
    /** Partita's pure-Java x86-64 emulator. */
    EMULATOR("emulator");

    private final String id;

    BackendChoice(String id) {
        this.id = id;
    }

    /** The backend's name as the SPI and {@link PartitionConfig#backend()} spell it. */
    public String id() {
        return id;
    }

    /**
     * The choice named {@code text} (case and surrounding blanks ignored).
     *
     * @throws IllegalArgumentException naming the accepted values when {@code text} is none of them
     */
    public static BackendChoice parse(String text) {
        String wanted = text.strip().toLowerCase(Locale.ROOT);
        for (BackendChoice c : values()) {
            if (c.id.equals(wanted)) {
                return c;
            }
        }
        throw new IllegalArgumentException("backend must be auto, kvm or emulator, got '" + text + "'");
    }

    @Override
    public String toString() {
        return id;
    }
}

package dev.partita.hv.spi;

/**
 * Whether a backend can run guests on this host, and why (or why not).
 *
 * @param usable true when partitions can be created
 * @param reason a one-line explanation ("/dev/kvm: API 12, irqchip, user-space MSRs" or "no /dev/kvm")
 */
public record BackendAvailability(boolean usable, String reason) {
    public static BackendAvailability usable(String reason) {
        return new BackendAvailability(true, reason);
    }

    public static BackendAvailability unusable(String reason) {
        return new BackendAvailability(false, reason);
    }
}

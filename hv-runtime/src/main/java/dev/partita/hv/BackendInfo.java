package dev.partita.hv;

import dev.partita.hv.spi.BackendAvailability;

/**
 * One backend known to the {@link Hypervisor} and whether it can run here.
 *
 * @param name         backend name
 * @param availability usable flag and reason
 */
public record BackendInfo(String name, BackendAvailability availability) {
    @Override
    public String toString() {
        return name + ": " + (availability.usable() ? "usable" : "unusable") + " (" + availability.reason() + ")";
    }
}

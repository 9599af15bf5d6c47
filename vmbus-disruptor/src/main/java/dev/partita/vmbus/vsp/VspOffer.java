package dev.partita.vmbus.vsp;

import java.util.UUID;

/**
 * What a VSP offers on the bus: its class (interface type) and instance GUIDs, and the ring sizes
 * it wants each way (bytes including the 4 KiB header page; advisory: the guest chooses, the Java
 * VSC client uses them).
 */
public record VspOffer(UUID interfaceType, UUID interfaceInstance, int guestToHostRingBytes, int hostToGuestRingBytes) {
    public VspOffer {
        if (guestToHostRingBytes < 8192 || hostToGuestRingBytes < 8192
                || guestToHostRingBytes % 4096 != 0 || hostToGuestRingBytes % 4096 != 0) {
            throw new IllegalArgumentException("ring sizes must be page multiples of at least 8 KiB");
        }
    }
}

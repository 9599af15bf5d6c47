package dev.partita.devices.storage;

/**
 * Tunables of a {@link StorageVsp}.
 *
 * @param maxTransferBytes largest SRB data transfer offered in QUERY_PROPERTIES (a non-zero
 *                         multiple of 4 KiB; Linux caps its requests to it)
 * @param ringBytes        ring size offered each way, bytes including the 4 KiB header page: the
 *                         largest ring the guest may open with in either direction (Linux's
 *                         storvsc opens a 4 KiB header plus 128 KiB of data each way by default)
 */
public record StorageVspConfig(int maxTransferBytes, int ringBytes) {
    public StorageVspConfig {
        if (maxTransferBytes <= 0 || maxTransferBytes % 4096 != 0) {
            throw new IllegalArgumentException("max transfer must be a positive multiple of 4 KiB: " + maxTransferBytes);
        }
    }

    /** 1 MiB transfers, rings of a header page plus 128 KiB of data (what Linux's storvsc opens). */
    public static StorageVspConfig defaults() {
        return new StorageVspConfig(1 << 20, 4096 + 128 * 1024);
    }
}

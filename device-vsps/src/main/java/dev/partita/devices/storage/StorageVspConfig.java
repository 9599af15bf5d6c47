package dev.partita.devices.storage;

/**
 * Tunables of a {@link StorageVsp}.
 *
 * @param maxTransferBytes largest SRB data transfer offered in QUERY_PROPERTIES (a non-zero
 *                         multiple of 4 KiB; Linux caps its requests to it)
 * @param ringBytes        ring size offered each way (bytes including the header page; Linux's
 *                         storvsc chooses its own, 128 KiB by default)
 */
public record StorageVspConfig(int maxTransferBytes, int ringBytes) {
    public StorageVspConfig {
        if (maxTransferBytes <= 0 || maxTransferBytes % 4096 != 0) {
            throw new IllegalArgumentException("max transfer must be a positive multiple of 4 KiB: " + maxTransferBytes);
        }
    }

    /** 1 MiB transfers, 128 KiB rings. */
    public static StorageVspConfig defaults() {
        return new StorageVspConfig(1 << 20, 128 * 1024);
    }
}

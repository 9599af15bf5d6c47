package dev.partita.devices.storage;

/**
 * Tunables of a {@link StorageVsp}.
 *
 * @param maxTransferBytes largest SRB data transfer offered in QUERY_PROPERTIES (a non-zero
 *                         multiple of 4 KiB; Linux caps its requests to it)
 * @param ringBytes        ring size offered each way, bytes including the 4 KiB header page: the
 *                         largest ring the guest may open with in either direction (Linux's
 *                         storvsc opens a 4 KiB header plus 128 KiB of data each way by default)
 * @param inline           whether a request may be served on the guest's signalling thread when the
 *                         channel has nothing queued ({@link dev.partita.vmbus.vsp.Vsp#completesInline()}):
 *                         no hand-off to the VSP thread, but that vCPU waits for the disk read
 */
public record StorageVspConfig(int maxTransferBytes, int ringBytes, boolean inline) {
    public StorageVspConfig {
        if (maxTransferBytes <= 0 || maxTransferBytes % 4096 != 0) {
            throw new IllegalArgumentException("max transfer must be a positive multiple of 4 KiB: " + maxTransferBytes);
        }
    }

    /** A configuration whose requests always run on the channel's VSP thread. */
    public StorageVspConfig(int maxTransferBytes, int ringBytes) {
        this(maxTransferBytes, ringBytes, false);
    }

    /**
     * 1 MiB transfers, rings of a header page plus 128 KiB of data (what Linux's storvsc opens),
     * requests on the VSP thread (a vCPU never waits for the image file).
     */
    public static StorageVspConfig defaults() {
        return new StorageVspConfig(1 << 20, 4096 + 128 * 1024, false);
    }

    /** This configuration with {@code inline} set. */
    public StorageVspConfig withInline(boolean inline) {
        return new StorageVspConfig(maxTransferBytes, ringBytes, inline);
    }
}

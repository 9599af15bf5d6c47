package dev.partita.hv.memory;

/**
 * Where a backend's own record of guest writes comes from (KVM: the per-slot dirty log; the
 * emulator marks {@link RamRegion#markDirty} directly and needs no source). Installed on
 * {@link GuestMemory#setDirtyLogSource}; called from the thread that calls
 * {@link GuestMemory#collectDirtyPages()}.
 */
@FunctionalInterface
public interface DirtyLogSource {
    /**
     * ORs the pages of {@code region} written by the guest since the previous call into
     * {@code bitmap} (bit {@code n} of word {@code n / 64} = page {@code n} of the region) and
     * resets the backend's log.
     */
    void harvest(RamRegion region, long[] bitmap);
}

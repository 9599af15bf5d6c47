package dev.partita.hv.spi;

import dev.partita.hv.cpuid.CpuidProfile;
import dev.partita.hv.memory.RamRegion;

import java.util.Optional;

/**
 * A backend's side of one partition: memory mapping, processor creation, interrupt delivery,
 * CPUID and dirty-page logging. Created by {@link PartitionBackend#createPartition}; the guest
 * RAM of the config is already mapped when it returns.
 *
 * <p>Threads: every method may be called from any thread, concurrently with running vCPUs,
 * except {@link #close()}, which runs after all vCPUs are closed.
 */
public interface BackendPartition extends AutoCloseable {

    /**
     * The CPUID leaves this backend can present (KVM: {@code KVM_GET_SUPPORTED_CPUID}; the
     * emulator: its baseline). The partition's {@link dev.partita.hv.cpuid.CpuidModel} starts
     * from it and installs per-vCPU tables with {@link BackendVcpu#installCpuid}.
     */
    CpuidProfile cpuidProfile();

    /** Creates virtual processor {@code index} (0-based; index 0 is the bootstrap processor). */
    BackendVcpu createVcpu(int index);

    /**
     * Drives interrupt line {@code gsi} (the I/O APIC input; GSI 0-15 also reach the PIC) to
     * {@code level}. Edge-triggered sources raise then lower.
     */
    void setGsiLevel(int gsi, boolean level);

    /**
     * Delivers a message-signalled interrupt as a device write of {@code data} to {@code address}
     * (x86: address 0xFEE0_0000 | destination APIC ID << 12, data = vector | delivery mode).
     */
    void signalMsi(long address, int data);

    /** Starts or stops logging guest writes per page (KVM: dirty log on every slot). */
    void setDirtyLogging(boolean on);

    /**
     * ORs the pages of {@code region} the guest wrote since the previous call into {@code bitmap}
     * (bit n of word n/64 = page n) and resets the log. A no-op when logging is off. A backend
     * that records guest writes with {@link RamRegion#markDirty} while logging is on (the emulator)
     * implements this as a no-op: {@link dev.partita.hv.memory.GuestMemory#collectDirtyPages()}
     * drains those bits itself.
     */
    void harvestDirtyPages(RamRegion region, long[] bitmap);

    /**
     * The guest's TSC as the host can read it, when this backend can offer it (the emulator: its
     * virtual TSC). Empty by default: the Hyper-V reference TSC page is then not offered.
     */
    default Optional<GuestTsc> guestTsc() {
        return Optional.empty();
    }

    /**
     * Remote TLB invalidation for the Hyper-V flush hypercalls, when this backend can complete it
     * synchronously (the emulator). Empty by default: the hypercalls are then not offered.
     */
    default Optional<RemoteTlbFlush> remoteTlbFlush() {
        return Optional.empty();
    }

    /**
     * The guest-visible state the backend keeps outside the vCPUs' registers (the emulator: PIC,
     * PIT, I/O APIC and local APIC internals; KVM: the in-kernel irqchip, PIT and clock), as
     * bytes in a format of this backend. Called with every vCPU paused.
     *
     * @throws BackendException if this backend cannot save it
     */
    default byte[] savePlatformState() {
        throw new BackendException("this backend does not save its platform state");
    }

    /**
     * Replaces the platform state with bytes from {@link #savePlatformState()} of the same
     * backend. Called with every vCPU paused or not started.
     *
     * @throws IllegalArgumentException if the bytes are malformed
     * @throws BackendException if this backend cannot restore it
     */
    default void restorePlatformState(byte[] state) {
        throw new BackendException("this backend does not restore its platform state");
    }

    /** Releases the backend's resources (KVM: the VM fd). vCPUs must be closed first. */
    @Override
    void close();
}

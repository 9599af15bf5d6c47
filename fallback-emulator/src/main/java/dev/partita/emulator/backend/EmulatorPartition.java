package dev.partita.emulator.backend;

import dev.partita.emulator.mmu.PhysicalMemory;
import dev.partita.emulator.mmu.SharedCodePages;
import dev.partita.emulator.platform.PcPlatform;
import dev.partita.emulator.platform.PlatformClock;
import dev.partita.emulator.platform.PlatformStateCodec;
import dev.partita.emulator.system.TscClock;
import dev.partita.hv.cpuid.CpuidProfile;
import dev.partita.hv.memory.GuestMemory;
import dev.partita.hv.memory.RamRegion;
import dev.partita.hv.spi.BackendException;
import dev.partita.hv.spi.BackendPartition;
import dev.partita.hv.spi.BackendPartitionConfig;
import dev.partita.hv.spi.BackendVcpu;
import java.util.List;

/**
 * The emulator's side of one partition: the guest RAM regions (shared with hv-runtime's
 * {@link GuestMemory}, accessed directly), one TSC clock for all vCPUs, and the emulated platform
 * (interrupt controllers). Dirty-page logging marks {@link RamRegion#markDirty} on every guest
 * write while on (the vCPUs then take the slow write path).
 *
 * <p>The vCPUs share one {@link SharedCodePages} set, so a write by one vCPU to code another has
 * decoded invalidates it there at its next slice boundary (cross-modifying code). Host writes
 * through {@link GuestMemory} (device DMA, loaders, the hypercall page) invalidate the same way,
 * through a {@link GuestMemory.HostWriteObserver} registered for the partition's lifetime.
 *
 * <p>Threads: as {@link BackendPartition} says.
 */
final class EmulatorPartition implements BackendPartition {

    private final BackendPartitionConfig config;
    private final GuestMemory memory;
    private final List<RamRegion> regions;
    private final TscClock clock = new TscClock(TscClock.DEFAULT_HZ);
    private final EmulatedPlatform platform;
    private final EmulatorVcpu[] vcpus;
    private volatile boolean dirtyLogging;
    private final SharedCodePages codePages;
    private final GuestMemory.HostWriteObserver hostWrites;

    EmulatorPartition(BackendPartitionConfig config) {
        this.config = config;
        this.memory = config.memory();
        this.regions = memory.regions();
        this.platform = new PcPlatform(config.cpus(), PlatformClock.SYSTEM, clock); // e3: PIC, PIT, I/O APIC, LAPICs
        this.vcpus = new EmulatorVcpu[config.cpus()];
        long end = 0;
        for (RamRegion r : regions) {
            end = Math.max(end, r.end());
        }
        this.codePages = new SharedCodePages(end);
        this.hostWrites = codePages::hostWritten;
        memory.addHostWriteObserver(hostWrites);
    }

    @Override
    public CpuidProfile cpuidProfile() {
        return EmulatorCpuidProfile.forTsc(clock.hz());
    }

    @Override
    public synchronized BackendVcpu createVcpu(int index) {
        if (index < 0 || index >= vcpus.length) {
            throw new BackendException("createVcpu: index " + index + " outside 0.." + (vcpus.length - 1)
                    + " of partition " + config.name());
        }
        if (vcpus[index] != null) {
            throw new BackendException("createVcpu: vCPU " + index + " of partition " + config.name() + " exists");
        }
        PhysicalMemory phys = new PhysicalMemory();
        for (RamRegion r : regions) {
            phys.addRam(r.gpa(), r.segment(), false);
        }
        phys.shareCodePages(codePages);
        if (dirtyLogging) {
            phys.setWriteObserver(this::markDirty);
        }
        EmulatorVcpu v = new EmulatorVcpu(index, this, phys, clock, platform.controllerFor(index), platform.devicesFor(index));
        vcpus[index] = v;
        return v;
    }

    private void markDirty(int region, long offset, int size) {
        regions.get(region).markDirty(offset, size);
    }

    /** The emulated platform ({@link PcPlatform}; {@link DirectPlatform} remains for tests that inject vectors). */
    EmulatedPlatform platform() {
        return platform;
    }

    @Override
    public void setGsiLevel(int gsi, boolean level) {
        platform.setGsiLevel(gsi, level);
    }

    @Override
    public void signalMsi(long address, int data) {
        platform.signalMsi(address, data);
    }

    @Override
    public synchronized void setDirtyLogging(boolean on) {
        dirtyLogging = on;
        for (EmulatorVcpu v : vcpus) {
            if (v != null) {
                v.physicalMemory().setWriteObserver(on ? this::markDirty : null);
            }
        }
    }

    @Override
    public void harvestDirtyPages(RamRegion region, long[] bitmap) {
        // Guest writes are recorded directly in the region's software dirty bitmap (markDirty),
        // which GuestMemory drains itself; there is no separate backend log to add.
    }

    /** The PIC, PIT, I/O APIC and local APICs ({@link PlatformStateCodec}); the vCPUs' TSC travels in their MSRs. */
    @Override
    public byte[] savePlatformState() {
        if (!(platform instanceof PcPlatform pc)) {
            throw new BackendException("partition " + config.name() + " has no PC platform to save");
        }
        return PlatformStateCodec.encode(pc.save());
    }

    @Override
    public void restorePlatformState(byte[] state) {
        if (!(platform instanceof PcPlatform pc)) {
            throw new BackendException("partition " + config.name() + " has no PC platform to restore");
        }
        pc.restore(PlatformStateCodec.decode(state));
    }

    @Override
    public void close() {
        memory.removeHostWriteObserver(hostWrites);
        platform.close();
    }
}

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
import dev.partita.hv.spi.GuestTsc;
import dev.partita.hv.spi.RemoteTlbFlush;
import java.util.BitSet;
import java.util.concurrent.locks.LockSupport;
import java.util.List;
import java.util.Optional;

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
    private volatile EmulatorVcpu[] vcpus;
    private volatile boolean dirtyLogging;
    private final SharedCodePages codePages;
    private final GuestMemory.HostWriteObserver hostWrites;

    EmulatorPartition(BackendPartitionConfig config) {
        this.config = config;
        this.memory = config.memory();
        this.regions = memory.regions();
        this.platform = new PcPlatform(config.cpus(), PlatformClock.SYSTEM, clock); // PIC, PIT, I/O APIC, LAPICs
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
        vcpus = vcpus; // volatile write: publishes the new element to guestTsc() readers
        return v;
    }

    private void markDirty(int region, long offset, int size) {
        regions.get(region).markDirty(offset, size);
    }

    /**
     * The virtual TSC of processor 0: the shared {@link TscClock} plus that processor's offset (set
     * by a restored state or a guest write of IA32_TSC). The offset field belongs to the vCPU
     * thread and is written only while it runs guest code or has its state set; a read from another
     * thread sees the latest value the vCPU thread published (a 64-bit plain field, never torn on
     * the 64-bit JVMs Partita supports).
     */
    @Override
    public Optional<GuestTsc> guestTsc() {
        return Optional.of(new GuestTsc() {
            @Override
            public long hz() {
                return clock.hz();
            }

            @Override
            public long read() {
                EmulatorVcpu bsp = vcpus[0];
                return clock.ticks() + (bsp == null ? 0 : bsp.cpu().tscOffset);
            }
        });
    }

    /**
     * Remote TLB flush through each target vCPU's {@link TlbShootdown}: tickets for all targets
     * first, each woken to end its slice, then a wait until each has flushed or is outside guest code.
     */
    @Override
    public Optional<RemoteTlbFlush> remoteTlbFlush() {
        return Optional.of(this::flushTlbs);
    }

    private void flushTlbs(BitSet vps) {
        EmulatorVcpu[] all = vcpus;
        long[] tickets = new long[all.length];
        for (int vp = vps.nextSetBit(0); vp >= 0 && vp < all.length; vp = vps.nextSetBit(vp + 1)) {
            if (all[vp] != null) {
                tickets[vp] = all[vp].shootdown().request();
                all[vp].interruptSlice();
            }
        }
        for (int vp = vps.nextSetBit(0); vp >= 0 && vp < all.length; vp = vps.nextSetBit(vp + 1)) {
            EmulatorVcpu v = all[vp];
            for (int spins = 0; v != null && !v.shootdown().completed(tickets[vp]); spins++) {
                if (spins < 100) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.parkNanos(10_000);
                }
            }
        }
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

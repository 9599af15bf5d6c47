package dev.partita.hv.kvm;

import dev.partita.hv.cpuid.CpuidProfile;
import dev.partita.hv.kvm.sys.Kvm;
import dev.partita.hv.kvm.sys.KvmException;
import dev.partita.hv.kvm.sys.KvmVm;
import dev.partita.hv.kvm.sys.MsrFilterRange;
import dev.partita.hv.memory.RamRegion;
import dev.partita.hv.spi.BackendException;
import dev.partita.hv.spi.BackendPartition;
import dev.partita.hv.spi.BackendPartitionConfig;
import dev.partita.hv.spi.BackendVcpu;
import dev.partita.hv.vp.Msrs;
import dev.partita.nativebindings.kvm.Kvm_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * One partition on KVM: the VM descriptor with its memory slots (slot = region index), the
 * in-kernel irqchip and PIT2, user-space MSR exits for the Hyper-V range, and the per-vCPU
 * backends.
 *
 * <p>Threads: interrupt, dirty-log and CPUID methods from any thread (KVM serializes VM
 * ioctls); {@link #setDirtyLogging} re-registers slots and must not race with itself.
 */
final class KvmPartitionBackend implements BackendPartition {
    private static final System.Logger LOG = System.getLogger(KvmPartitionBackend.class.getName());

    /** Three pages for the TSS KVM needs on Intel hosts, just below the identity-map page (QEMU's choice). */
    static final long TSS_GPA = 0xFEFF_D000L;
    /** One page for the real-mode identity page table on Intel hosts. */
    static final long IDENTITY_MAP_GPA = 0xFEFF_C000L;
    /** The I/O APIC of the in-kernel irqchip has 24 pins; GSIs above have no default route. */
    static final int GSI_COUNT = 24;

    private final Kvm kvm;
    private final KvmVm vm;
    private final BackendPartitionConfig config;
    private final KvmMsrSet savedMsrs;
    private volatile boolean dirtyLogging;

    KvmPartitionBackend(Kvm kvm, BackendPartitionConfig config) {
        this.kvm = kvm;
        this.config = config;
        this.vm = kvm.createVm();
        try {
            tryPlatformAddress("KVM_SET_IDENTITY_MAP_ADDR", () -> vm.setIdentityMapAddr(IDENTITY_MAP_GPA));
            tryPlatformAddress("KVM_SET_TSS_ADDR", () -> vm.setTssAddr(TSS_GPA));
            vm.createIrqchip();
            vm.createPit2(Kvm_h.KVM_PIT_SPEAKER_DUMMY);
            enableUserSpaceMsrs();
            for (RamRegion r : config.memory().regions()) {
                mapSlot(r, 0);
            }
            this.savedMsrs = KvmMsrSet.supportedBy(kvm);
        } catch (RuntimeException e) {
            vm.close();
            throw e;
        }
    }

    private static void tryPlatformAddress(String what, Runnable call) {
        try {
            call.run();
        } catch (KvmException e) {
            // Only VMX needs these pages; other flavours may refuse the ioctl. Not fatal.
            LOG.log(System.Logger.Level.DEBUG, what + " refused: " + e.getMessage());
        }
    }

    /**
     * Routes RDMSR/WRMSR of the Hyper-V range (and MSRs KVM does not know) to user space; without the
     * capabilities it warns and the guest's Hyper-V MSR accesses fault.
     */
    private void enableUserSpaceMsrs() {
        if (vm.checkExtension(Kvm_h.KVM_CAP_X86_USER_SPACE_MSR) <= 0 || vm.checkExtension(Kvm_h.KVM_CAP_X86_MSR_FILTER) <= 0) {
            LOG.log(System.Logger.Level.WARNING, "KVM without user-space MSR exits: Hyper-V MSRs will #GP in the guest");
            return;
        }
        vm.enableCap(Kvm_h.KVM_CAP_X86_USER_SPACE_MSR, Kvm_h.KVM_MSR_EXIT_REASON_FILTER | Kvm_h.KVM_MSR_EXIT_REASON_UNKNOWN);
        int count = Msrs.HYPERV_LAST - Msrs.HYPERV_FIRST + 1;
        vm.setMsrFilter(Kvm_h.KVM_MSR_FILTER_DEFAULT_ALLOW, List.of(
                MsrFilterRange.denyAll(Kvm_h.KVM_MSR_FILTER_READ | Kvm_h.KVM_MSR_FILTER_WRITE, Msrs.HYPERV_FIRST, count)));
    }

    private void mapSlot(RamRegion r, int flags) {
        vm.setUserMemoryRegion(r.index(), flags, r.gpa(), r.size(), r.segment());
    }

    @Override
    public CpuidProfile cpuidProfile() {
        return CpuidProfile.fromKvmSupported(kvm.supportedCpuid());
    }

    @Override
    public BackendVcpu createVcpu(int index) {
        if (index < 0 || index >= config.cpus()) {
            throw new IllegalArgumentException("vCPU index " + index + " outside 0.." + (config.cpus() - 1));
        }
        try {
            return new KvmVcpuBackend(index, vm.createVcpu(index), savedMsrs);
        } catch (KvmException e) {
            throw new BackendException("creating vCPU " + index + " of " + config.name() + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void setGsiLevel(int gsi, boolean level) {
        if (gsi < 0 || gsi >= GSI_COUNT) {
            throw new IllegalArgumentException("GSI " + gsi + " outside 0.." + (GSI_COUNT - 1));
        }
        vm.irqLine(gsi, level ? 1 : 0);
    }

    @Override
    public void signalMsi(long address, int data) {
        if ((address & 0xFFF0_0000L) != 0xFEE0_0000L) {
            throw new IllegalArgumentException("MSI address 0x" + Long.toHexString(address) + " is not in the 0xFEExxxxx window");
        }
        vm.signalMsi(address, data);
    }

    @Override
    public synchronized void setDirtyLogging(boolean on) {
        if (on == dirtyLogging) {
            return;
        }
        for (RamRegion r : config.memory().regions()) {
            mapSlot(r, on ? Kvm_h.KVM_MEM_LOG_DIRTY_PAGES : 0);
        }
        dirtyLogging = on;
    }

    @Override
    public void harvestDirtyPages(RamRegion region, long[] bitmap) {
        if (!dirtyLogging) {
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment map = arena.allocate(ValueLayout.JAVA_LONG, bitmap.length);
            vm.getDirtyLog(region.index(), map);
            for (int i = 0; i < bitmap.length; i++) {
                bitmap[i] |= map.getAtIndex(ValueLayout.JAVA_LONG, i);
            }
        }
    }

    /** The in-kernel irqchip, PIT and clock ({@link KvmPlatformState}). */
    @Override
    public byte[] savePlatformState() {
        return KvmPlatformState.save(vm);
    }

    @Override
    public void restorePlatformState(byte[] state) {
        KvmPlatformState.restore(vm, state);
    }

    @Override
    public void close() {
        vm.close();
    }
}

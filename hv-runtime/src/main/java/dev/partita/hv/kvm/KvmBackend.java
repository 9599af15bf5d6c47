package dev.partita.hv.kvm;

import dev.partita.hv.kvm.sys.Kvm;
import dev.partita.hv.kvm.sys.KvmException;
import dev.partita.hv.spi.BackendAvailability;
import dev.partita.hv.spi.BackendException;
import dev.partita.hv.spi.BackendPartition;
import dev.partita.hv.spi.BackendPartitionConfig;
import dev.partita.hv.spi.PartitionBackend;
import dev.partita.nativebindings.kvm.Kvm_h;

import java.util.ArrayList;
import java.util.List;

/**
 * The "kvm" backend: partitions run under Linux KVM through {@code /dev/kvm}, with the in-kernel
 * irqchip (PIC, I/O APIC, local APICs) and PIT, user-space exits for port I/O, MMIO and the
 * Hyper-V MSR range. Registered for {@link java.util.ServiceLoader}.
 *
 * <p>Threads: any thread. One {@code /dev/kvm} descriptor is opened lazily and shared by all
 * partitions of the process (system ioctls are thread-safe).
 */
public final class KvmBackend implements PartitionBackend {
    /** Capabilities without which the backend refuses to run, with why each matters. */
    private static final int[] REQUIRED = {
            Kvm_h.KVM_CAP_USER_MEMORY, Kvm_h.KVM_CAP_IRQCHIP, Kvm_h.KVM_CAP_PIT2, Kvm_h.KVM_CAP_IMMEDIATE_EXIT,
            Kvm_h.KVM_CAP_SIGNAL_MSI, Kvm_h.KVM_CAP_XSAVE, Kvm_h.KVM_CAP_XCRS, Kvm_h.KVM_CAP_VCPU_EVENTS,
            Kvm_h.KVM_CAP_MP_STATE};

    @Override
    public String name() {
        return "kvm";
    }

    @Override
    public BackendAvailability availability() {
        Kvm kvm;
        try {
            kvm = SharedKvm.get();
        } catch (KvmException | UnsatisfiedLinkError e) {
            return BackendAvailability.unusable("cannot open " + Kvm.DEFAULT_DEVICE + ": " + e.getMessage());
        }
        List<String> missing = new ArrayList<>();
        for (int cap : REQUIRED) {
            if (kvm.checkExtension(cap) <= 0) {
                missing.add(Kvm_h.capName(cap));
            }
        }
        if (!missing.isEmpty()) {
            return BackendAvailability.unusable(Kvm.DEFAULT_DEVICE + " lacks " + String.join(", ", missing));
        }
        boolean userMsrs = kvm.checkExtension(Kvm_h.KVM_CAP_X86_USER_SPACE_MSR) > 0
                && kvm.checkExtension(Kvm_h.KVM_CAP_X86_MSR_FILTER) > 0;
        return BackendAvailability.usable(Kvm.DEFAULT_DEVICE + " API " + kvm.apiVersion() + ", in-kernel irqchip and PIT"
                + (userMsrs ? ", user-space MSR exits" : ", NO user-space MSR exits (Hyper-V MSRs unavailable)"));
    }

    @Override
    public BackendPartition createPartition(BackendPartitionConfig config) {
        BackendAvailability a = availability();
        if (!a.usable()) {
            throw new BackendException("kvm backend unusable: " + a.reason());
        }
        try {
            return new KvmPartitionBackend(SharedKvm.get(), config);
        } catch (KvmException e) {
            throw new BackendException("creating KVM partition " + config.name() + " failed: " + e.getMessage(), e);
        }
    }

    /** The process's one {@code /dev/kvm} descriptor, opened on first use. */
    static final class SharedKvm {
        private static Kvm kvm;

        static synchronized Kvm get() {
            if (kvm == null) {
                kvm = Kvm.open();
            }
            return kvm;
        }
    }
}

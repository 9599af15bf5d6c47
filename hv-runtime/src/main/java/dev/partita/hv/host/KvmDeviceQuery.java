package dev.partita.hv.host;

import dev.partita.hv.kvm.sys.Kvm;
import dev.partita.hv.kvm.sys.KvmException;
import dev.partita.nativebindings.kvm.Kvm_h;
import dev.partita.nativebindings.libc.Errno;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Opens a KVM device with {@link Kvm} and asks it for its API version and every {@code KVM_CAP_*} that
 * {@link Kvm_h#capName(int)} names. Stateless and thread-safe.
 */
public final class KvmDeviceQuery implements KvmDeviceInspector {

    /** Capability numbers below this are scanned against the name table (linux/kvm.h is in the 240s). */
    private static final int CAP_SCAN_LIMIT = 1024;
    private static final String CAP_PREFIX = "KVM_CAP_";

    /** A query of the device given to {@link #inspect(Path)}. */
    public KvmDeviceQuery() {
    }

    @Override
    public KvmDeviceFacts inspect(Path device) {
        if (!Files.exists(device)) {
            return new KvmDeviceFacts.Absent(device, "no such file");
        }
        Optional<DeviceNode> node = DeviceNode.of(device);
        try (Kvm kvm = Kvm.open(device)) {
            List<KvmCapabilityFact> caps = new ArrayList<>();
            int maxVcpus = 0, nrVcpus = 0, memslots = 0;
            for (int cap = 0; cap < CAP_SCAN_LIMIT; cap++) {
                String name = Kvm_h.capName(cap);
                if (!name.startsWith(CAP_PREFIX)) {
                    continue; // a number linux/kvm.h leaves unused, or one Partita does not name
                }
                String shortName = name.substring(CAP_PREFIX.length());
                int value = checkExtension(kvm, cap);
                caps.add(new KvmCapabilityFact(shortName, cap, KvmCapabilityGroup.of(shortName), value));
                switch (cap) {
                    case Kvm_h.KVM_CAP_MAX_VCPUS -> maxVcpus = value;
                    case Kvm_h.KVM_CAP_NR_VCPUS -> nrVcpus = value;
                    case Kvm_h.KVM_CAP_NR_MEMSLOTS -> memslots = value;
                    default -> { }
                }
            }
            // linux/kvm.h: when KVM_CAP_MAX_VCPUS is not offered, the limit is KVM_CAP_NR_VCPUS.
            return new KvmDeviceFacts.Opened(device, node, kvm.apiVersion(), List.copyOf(caps),
                    maxVcpus > 0 ? maxVcpus : nrVcpus, nrVcpus, memslots);
        } catch (KvmException e) {
            String errno = e.errno() == 0 ? "none" : Errno.name(e.errno());
            return new KvmDeviceFacts.Unopenable(device, node, errno, e.getMessage());
        }
    }

    /** The raw answer; a rejected query (negative, e.g. EINVAL from an old kernel) reads as -errno. */
    private static int checkExtension(Kvm kvm, int cap) {
        try {
            return kvm.checkExtension(cap);
        } catch (KvmException e) {
            return -Math.max(1, e.errno());
        }
    }
}

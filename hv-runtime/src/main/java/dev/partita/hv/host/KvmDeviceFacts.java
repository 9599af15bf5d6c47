package dev.partita.hv.host;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** What the KVM device node offers: absent, present but not openable, or opened and queried. */
public sealed interface KvmDeviceFacts {

    /** The device path that was probed. */
    Path device();

    /** Kind, device number and permissions of the node, when it exists and can be examined. */
    Optional<DeviceNode> node();

    /** The path does not exist (or is not a character device). */
    record Absent(Path device, String detail) implements KvmDeviceFacts {
        @Override
        public Optional<DeviceNode> node() {
            return Optional.empty();
        }
    }

    /**
     * The node exists but could not be opened or did not answer as KVM.
     *
     * @param errno   the errno name ("EACCES", "ENODEV", "ENOTTY", ...)
     * @param message the failed operation and the errno's meaning
     */
    record Unopenable(Path device, Optional<DeviceNode> node, String errno, String message) implements KvmDeviceFacts {
    }

    /**
     * Opened and queried with KVM ioctls.
     *
     * @param apiVersion       KVM_GET_API_VERSION (Partita needs 12)
     * @param capabilities     every capability Partita names, in name-table order
     * @param maxVcpus         KVM_CAP_MAX_VCPUS (falls back to NR_VCPUS when 0)
     * @param recommendedVcpus KVM_CAP_NR_VCPUS
     * @param memorySlots      KVM_CAP_NR_MEMSLOTS
     */
    record Opened(Path device, Optional<DeviceNode> node, int apiVersion, List<KvmCapabilityFact> capabilities,
                  int maxVcpus, int recommendedVcpus, int memorySlots) implements KvmDeviceFacts {

        /** The KVM API version every supported kernel reports. */
        public static final int EXPECTED_API_VERSION = 12;

        /** Whether the named capability (without prefix) is present. */
        public boolean has(String name) {
            return capabilities.stream().anyMatch(c -> c.name().equals(name) && c.present());
        }
    }
}

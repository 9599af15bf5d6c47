package dev.partita.hv.host;

import java.nio.file.Path;

/** Opens a KVM device node and queries it (API version, capabilities, limits). */
@FunctionalInterface
public interface KvmDeviceInspector {

    /** Never throws for an absent or unusable device: those are facts ({@link KvmDeviceFacts.Absent} etc.). */
    KvmDeviceFacts inspect(Path device);
}

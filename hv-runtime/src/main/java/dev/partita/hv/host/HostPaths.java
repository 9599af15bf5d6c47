package dev.partita.hv.host;

import java.nio.file.Path;

/**
 * Where the probe looks for host facts. {@link #system()} is the real host; tests point the roots at
 * a prepared folder or the device at a path that does not exist.
 *
 * @param kvmDevice the KVM device node, normally {@code /dev/kvm}
 * @param procRoot  the procfs mount, normally {@code /proc}
 * @param sysRoot   the sysfs mount, normally {@code /sys}
 */
public record HostPaths(Path kvmDevice, Path procRoot, Path sysRoot) {

    /** The default KVM device node. */
    public static final Path DEFAULT_KVM_DEVICE = Path.of("/dev/kvm");

    /** The real host: /dev/kvm, /proc, /sys. */
    public static HostPaths system() {
        return new HostPaths(DEFAULT_KVM_DEVICE, Path.of("/proc"), Path.of("/sys"));
    }
}

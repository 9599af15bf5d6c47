package dev.partita.vmms.worker;

import dev.partita.hv.BackendChoice;
import dev.partita.hv.loader.ByteSizes;
import dev.partita.vmms.api.VmSpec;

/** The values a {@link VmSpec} stands for, with the defaults filled in. Stateless. */
public final class VmSpecs {
    /** Default RAM of a test-image VM. */
    public static final long DEFAULT_IMAGE_MEMORY = 32L << 20;
    /** Default RAM of a Linux VM. */
    public static final long DEFAULT_LINUX_MEMORY = 512L << 20;
    /** Guest RAM is one region from GPA 0 and must end below the device hole at 0xD0000000. */
    public static final long MAX_MEMORY = 0xD000_0000L;

    private VmSpecs() {
    }

    /** Guest RAM in bytes. @throws IllegalArgumentException when the size is malformed or out of range */
    public static long memory(VmSpec spec) {
        if (spec.memory() == null) {
            return spec.kernel() != null ? DEFAULT_LINUX_MEMORY : DEFAULT_IMAGE_MEMORY;
        }
        long bytes = ByteSizes.parse(spec.memory());
        if (bytes < (1L << 20) || bytes > MAX_MEMORY || bytes % 4096 != 0) {
            throw new IllegalArgumentException("memory '" + spec.memory() + "' must be a multiple of 4K from 1M to 3328M");
        }
        return bytes;
    }

    /** Virtual processors. @throws IllegalArgumentException when outside 1-255 */
    public static int cpus(VmSpec spec) {
        int n = spec.cpus() == null ? 1 : spec.cpus();
        if (n < 1 || n > 255) {
            throw new IllegalArgumentException("cpus must be 1-255, got " + n);
        }
        return n;
    }

    /** The backend asked for. @throws IllegalArgumentException for an unknown name */
    public static BackendChoice backend(VmSpec spec) {
        return spec.backend() == null ? BackendChoice.AUTO : BackendChoice.parse(spec.backend());
    }
}

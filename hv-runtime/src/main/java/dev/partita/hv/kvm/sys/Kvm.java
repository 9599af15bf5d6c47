package dev.partita.hv.kvm.sys;

import dev.partita.hv.cpuid.CpuidEntry;
import dev.partita.nativebindings.kvm.Kvm_h;
import dev.partita.nativebindings.kvm.kvm_msr_list;
import dev.partita.nativebindings.libc.Libc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;

/**
 * Owner of a {@code /dev/kvm} descriptor: system ioctls and VM creation.
 *
 * <p>Thread-safe: every method may be called from any thread (the kernel serializes what needs it).
 * {@link #close()} closes the descriptor exactly once; VMs created from it stay usable after that
 * (the kernel keeps its own reference), so close order between owners does not matter.
 */
public final class Kvm implements AutoCloseable {
    /** The device path Partita opens by default. */
    public static final Path DEFAULT_DEVICE = Path.of("/dev/kvm");
    /** The only stable KVM API version. */
    public static final int API_VERSION = Kvm_h.KVM_API_VERSION;

    private static final int CPUID_START_ENTRIES = 128;
    private static final int CPUID_MAX_ENTRIES = 4096;

    private final OwnedFd fd;

    private Kvm(int fd) {
        this.fd = new OwnedFd("/dev/kvm", fd);
    }

    /** Opens {@link #DEFAULT_DEVICE}; see {@link #open(Path)}. */
    public static Kvm open() {
        return open(DEFAULT_DEVICE);
    }

    /**
     * Opens the KVM device read-write and close-on-exec and checks the API version.
     *
     * @throws KvmException {@code open(/dev/kvm)} with the errno (ENOENT, EACCES, ...), or
     *                      {@code KVM_GET_API_VERSION} when it is not {@link #API_VERSION}
     */
    public static Kvm open(Path device) {
        int fd;
        try (Arena arena = Arena.ofConfined()) {
            fd = Sys.check("open(" + device + ")",
                    Libc.open(arena.allocateFrom(device.toString()), Libc.O_RDWR | Libc.O_CLOEXEC, 0));
        }
        Kvm kvm = new Kvm(fd);
        try {
            int version = kvm.apiVersion();
            if (version != API_VERSION) {
                throw new KvmException("KVM_GET_API_VERSION", "version " + version + ", need " + API_VERSION);
            }
        } catch (RuntimeException e) {
            kvm.close();
            throw e;
        }
        return kvm;
    }

    /** The raw descriptor (for polling or diagnostics; do not close it). */
    public int fd() {
        return fd.get();
    }

    /** {@code KVM_GET_API_VERSION}. */
    public int apiVersion() {
        return Sys.ioctl(fd.get(), Kvm_h.KVM_GET_API_VERSION, 0L);
    }

    /** {@code KVM_CHECK_EXTENSION}: 0 when absent, else 1 or a capability-specific value. */
    public int checkExtension(int cap) {
        return Sys.ioctl(fd.get(), Kvm_h.KVM_CHECK_EXTENSION, cap);
    }

    /** {@code KVM_GET_VCPU_MMAP_SIZE}: bytes to map from each vCPU descriptor (kvm_run and following pages). */
    public int vcpuMmapSize() {
        return Sys.ioctl(fd.get(), Kvm_h.KVM_GET_VCPU_MMAP_SIZE, 0L);
    }

    /** {@code KVM_GET_SUPPORTED_CPUID}: the CPUID leaves KVM can offer a guest on this host. */
    public List<CpuidEntry> supportedCpuid() {
        return readCpuid(Kvm_h.KVM_GET_SUPPORTED_CPUID);
    }

    /** {@code KVM_GET_EMULATED_CPUID}: the leaves KVM emulates even when the host lacks them. */
    public List<CpuidEntry> emulatedCpuid() {
        return readCpuid(Kvm_h.KVM_GET_EMULATED_CPUID);
    }

    private List<CpuidEntry> readCpuid(long request) {
        for (int n = CPUID_START_ENTRIES; ; n *= 2) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment cpuid = CpuidCodec.allocate(arena, n);
                int rc = Libc.ioctlPtr(fd.get(), request, cpuid);
                if (rc >= 0) {
                    return CpuidCodec.decode(cpuid);
                }
                int errno = Libc.errno();
                if (errno != Libc.E2BIG || n >= CPUID_MAX_ENTRIES) {
                    throw new KvmException(Kvm_h.ioctlName(request), errno);
                }
            }
        }
    }

    /** {@code KVM_GET_MSR_INDEX_LIST}: the MSRs a checkpoint must save. */
    public int[] msrIndexList() {
        return readMsrList(Kvm_h.KVM_GET_MSR_INDEX_LIST);
    }

    /** {@code KVM_GET_MSR_FEATURE_INDEX_LIST}: the feature MSRs readable with KVM_GET_MSRS on this fd. */
    public int[] msrFeatureIndexList() {
        return readMsrList(Kvm_h.KVM_GET_MSR_FEATURE_INDEX_LIST);
    }

    private int[] readMsrList(long request) {
        int n;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment probe = kvm_msr_list.allocate(arena);
            kvm_msr_list.nmsrs(probe, 0);
            int rc = Libc.ioctlPtr(fd.get(), request, probe);
            if (rc >= 0) {
                return new int[0];
            }
            int errno = Libc.errno();
            if (errno != Libc.E2BIG) {
                throw new KvmException(Kvm_h.ioctlName(request), errno);
            }
            n = kvm_msr_list.nmsrs(probe);
        }
        if (n < 0 || n > 65536) {
            throw new KvmException(Kvm_h.ioctlName(request), "implausible MSR count " + n);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment list = arena.allocate(kvm_msr_list.sizeof() + 4L * n, 4);
            kvm_msr_list.nmsrs(list, n);
            Sys.ioctl(fd.get(), request, list);
            int got = kvm_msr_list.nmsrs(list);
            int[] indices = new int[Math.min(got, n)];
            for (int i = 0; i < indices.length; i++) {
                indices[i] = kvm_msr_list.indices(list, i);
            }
            return indices;
        }
    }

    /** {@code KVM_CREATE_VM} with the default machine type (0). */
    public KvmVm createVm() {
        return createVm(0);
    }

    /** {@code KVM_CREATE_VM} with a machine type. The VM maps vCPUs with {@link #vcpuMmapSize()} bytes. */
    public KvmVm createVm(long type) {
        int mmapSize = vcpuMmapSize();
        int vmFd = Sys.ioctl(fd.get(), Kvm_h.KVM_CREATE_VM, type);
        return new KvmVm(vmFd, mmapSize);
    }

    /** Closes the descriptor (once; later calls do nothing). */
    @Override
    public void close() {
        fd.close();
    }
}

package dev.partita.hv.bench;

import dev.partita.hv.Hypervisor;
import dev.partita.hv.cpuid.CpuidModel;
import dev.partita.hv.exit.VcpuExit;
import dev.partita.hv.loader.ImageSniffer;
import dev.partita.hv.loader.LoadedImage;
import dev.partita.hv.memory.GuestMemory;
import dev.partita.hv.spi.BackendPartition;
import dev.partita.hv.spi.BackendPartitionConfig;
import dev.partita.hv.spi.BackendVcpu;
import dev.partita.hv.spi.PartitionBackend;
import java.nio.file.Path;

/**
 * Diagnostic side of the exits benchmark ({@code --layers}): the same guest driven straight through
 * the backend SPI ({@link BackendVcpu#run()} in a loop on the calling thread), without Partition,
 * VirtualProcessor, its message queue or the IoBus. Comparing it with the full path and with C
 * splits the Java overhead between the KVM backend (FFM, kvm_run decoding) and the runtime above it.
 */
final class BackendOnlyExitLoop {
    private static final int PORT_EXIT = 0xF4;

    private BackendOnlyExitLoop() {}

    static PortIoExitRoundTrip.Sample run(Path image, int port, long expected) throws Exception {
        PartitionBackend backend = Hypervisor.get().backend("kvm");
        try (GuestMemory memory = GuestMemory.allocate(32L << 20)) {
            BackendPartition partition = backend.createPartition(new BackendPartitionConfig("bench-exits-spi", 1, memory));
            try {
                LoadedImage loaded = ImageSniffer.read(image).loadInto(memory);
                BackendVcpu vcpu = partition.createVcpu(0);
                try {
                    vcpu.installCpuid(CpuidModel.builder(partition.cpuidProfile()).build().entries(0));
                    vcpu.setState(loaded.bootState());
                    TimestampingPort counter = new TimestampingPort(expected);
                    while (true) {
                        VcpuExit exit = vcpu.run();
                        if (exit instanceof VcpuExit.PortIo io) {
                            if (io.port() == PORT_EXIT && io.isWrite()) {
                                break;
                            }
                            if (io.port() == port) {
                                if (io.isWrite()) {
                                    counter.write(0, io.size(), io.value());
                                } else {
                                    vcpu.completeRead(counter.read(0, io.size()) & 0xFFFF_FFFFL);
                                }
                            } else if (!io.isWrite()) {
                                vcpu.completeRead(0xFFFF_FFFFL);
                            }
                        } else if (!(exit instanceof VcpuExit.Interrupted)) {
                            throw new IllegalStateException("unexpected exit " + exit);
                        }
                    }
                    return new PortIoExitRoundTrip.Sample(counter.count(), counter.nsPerExit(), counter.cpuNsPerExit());
                } finally {
                    vcpu.close();
                }
            } finally {
                partition.close();
            }
        }
    }
}

package dev.partita.vmms.worker;

import dev.partita.devices.ic.HeartbeatStatus;
import dev.partita.devices.ic.HeartbeatVsp;
import dev.partita.devices.ic.ShutdownVsp;
import dev.partita.devices.storage.DiskSpec;
import dev.partita.hv.Hypervisor;
import dev.partita.hv.Partition;
import dev.partita.hv.PartitionConfig;
import dev.partita.hv.boot.LinuxKernel;
import dev.partita.hv.devices.debug.ConsoleSink;
import dev.partita.hv.devices.debug.DebugDevices;
import dev.partita.hv.loader.BootStates;
import dev.partita.hv.loader.GuestImage;
import dev.partita.hv.loader.ImageLoadException;
import dev.partita.hv.loader.ImageSniffer;
import dev.partita.hv.loader.LoadedImage;
import dev.partita.vmms.api.VmSpec;
import dev.partita.vmms.linux.LinuxGuestRun;

import java.nio.file.Path;
import java.util.Optional;

/**
 * One VM built from its {@link VmSpec} inside a worker process, ready to start: a Linux VM composed by
 * {@link LinuxVmWorker} (with VMBus and the integration components), or a test-guest image (guests/README.md)
 * with the debug devices. Build, start and close from one thread; the accessors are safe from any thread.
 */
public sealed interface GuestComposition extends AutoCloseable {
    /** The partition (start, pause, resume, stop, await its end). */
    Partition partition();

    /** The shutdown integration component, when the VM offers one. */
    Optional<ShutdownVsp> shutdown();

    /** The heartbeat integration component's view, when the VM offers one. */
    Optional<HeartbeatStatus> heartbeat();

    /**
     * Sends the guest one heartbeat request (the component is built to beat only when asked: the service's status
     * poll drives it), when the VM offers the component and the guest has negotiated it.
     */
    void beat();

    /** Queues {@code data} as console input; returns how many bytes were accepted (0 for a VM without a serial console). */
    int consoleInput(byte[] data);

    @Override
    void close();

    /**
     * Builds the VM of {@code spec}; its console output goes to {@code console}.
     *
     * @throws ImageLoadException       the image, kernel or initrd cannot be used (bad input)
     * @throws IllegalArgumentException the definition is impossible (bad input)
     */
    static GuestComposition build(VmSpec spec, ConsoleSink console) throws ImageLoadException {
        long memory = VmSpecs.memory(spec);
        if (spec.kernel() != null) {
            byte[] initrd = spec.initrd() == null ? null : LinuxGuestRun.readInitrd(Path.of(spec.initrd()), memory);
            VmDefinition d = new VmDefinition(spec.name(), LinuxKernel.read(Path.of(spec.kernel())), initrd,
                    spec.cmdline() == null ? LinuxGuestRun.DEFAULT_CMDLINE : spec.cmdline(), memory, VmSpecs.cpus(spec),
                    VmSpecs.backend(spec), VmBusDevices.STANDARD, spec.disks().stream().map(DiskSpec::parse).toList());
            return new Linux(LinuxVmWorker.build(d, console));
        }
        if (spec.image() == null) {
            throw new IllegalArgumentException("VM " + spec.name() + " names neither an image nor a kernel");
        }
        GuestImage guest = ImageSniffer.read(Path.of(spec.image()));
        Partition partition = Hypervisor.get().createPartition(new PartitionConfig(spec.name(), memory, VmSpecs.cpus(spec),
                VmSpecs.backend(spec)));
        try {
            LoadedImage loaded = guest.loadInto(partition.memory());
            partition.processor(0).setState(loaded.bootState());
            for (int i = 1; i < partition.processors().size(); i++) {
                partition.processor(i).setState(BootStates.applicationProcessor());
            }
            DebugDevices.attach(partition, console);
            return new Image(partition);
        } catch (ImageLoadException | RuntimeException e) {
            partition.close();
            throw e;
        }
    }

    /** A Linux VM. */
    record Linux(LinuxVmWorker worker) implements GuestComposition {
        @Override
        public Partition partition() {
            return worker.partition();
        }

        @Override
        public Optional<ShutdownVsp> shutdown() {
            return worker.vsp(ShutdownVsp.class);
        }

        @Override
        public Optional<HeartbeatStatus> heartbeat() {
            return worker.vsp(HeartbeatVsp.class).map(HeartbeatVsp::status);
        }

        @Override
        public void beat() {
            worker.vsp(HeartbeatVsp.class).ifPresent(HeartbeatVsp::beat);
        }

        @Override
        public int consoleInput(byte[] data) {
            return worker.devices().serial().receive(data, 0, data.length);
        }

        @Override
        public void close() {
            worker.close();
        }
    }

    /** A test-guest image with the debug devices (console on port 0xE9, exit on port 0xF4). */
    record Image(Partition partition) implements GuestComposition {
        @Override
        public Optional<ShutdownVsp> shutdown() {
            return Optional.empty();
        }

        @Override
        public Optional<HeartbeatStatus> heartbeat() {
            return Optional.empty();
        }

        @Override
        public void beat() {
        }

        @Override
        public int consoleInput(byte[] data) {
            return 0;
        }

        @Override
        public void close() {
            partition.close();
        }
    }
}

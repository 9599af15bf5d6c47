package dev.partita.vmms.worker;

import dev.partita.hv.hyperv.Enlightenments;
import dev.partita.hv.BackendChoice;
import dev.partita.devices.ic.HeartbeatVsp;
import dev.partita.devices.ic.IntegrationComponentVsp;
import dev.partita.devices.ic.ShutdownVsp;
import dev.partita.devices.ic.TimeSyncVsp;
import dev.partita.devices.legacy.LegacyDevices;
import dev.partita.devices.storage.DiskSpec;
import dev.partita.devices.pci.PciHostBridge;
import dev.partita.devices.storage.StorageControllers;
import dev.partita.devices.storage.disk.DiskImageException;
import dev.partita.hv.Hypervisor;
import dev.partita.hv.Partition;
import dev.partita.hv.PartitionConfig;
import dev.partita.hv.acpi.AcpiPlatform;
import dev.partita.hv.acpi.AcpiTableSet;
import dev.partita.hv.boot.BootLayout;
import dev.partita.hv.boot.BootedKernel;
import dev.partita.hv.boot.LinuxBootLoader;
import dev.partita.hv.boot.LinuxBootRequest;
import dev.partita.hv.devices.debug.ConsoleSink;
import dev.partita.hv.devices.debug.DebugDevices;
import dev.partita.hv.hyperv.HyperV;
import dev.partita.hv.loader.BootStates;
import dev.partita.hv.loader.ImageLoadException;
import dev.partita.hv.state.Saveable;
import dev.partita.vmbus.HyperVSynicPort;
import dev.partita.vmbus.VmBus;
import dev.partita.vmbus.VmBusTuning;
import dev.partita.vmbus.vsp.Vsp;
import dev.partita.vmbus.vsp.VspOffer;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The per-VM composition (the "worker" of a VM): builds a ready-to-start Linux VM from a
 * {@link VmDefinition} — the partition (memory, processors, backend), the Hyper-V guest interface
 * ({@link HyperV#attach}: CPUID model with the Hyper-V leaves, synthetic MSRs, hypercalls, SynIC), the
 * VMBus server with its VSPs, the legacy devices (COM1, i8042, RTC, ACPI PM block), the PCI host bridge
 * ({@link PciHostBridge}: ports 0xCF8-0xCFF and the ECAM window the MCFG describes) and the debug devices,
 * ACPI tables (with the VMBus device when VMBus is enabled) and the kernel, initrd and command line placed
 * by {@link LinuxBootLoader} with processor 0 at the kernel entry. {@code partita run --kernel},
 * {@code partita demo} and the Linux-guest tests all build their VMs here.
 *
 * <p>Power: the guest's ACPI soft-off ends the partition with status 0; an i8042 reset ends it with
 * {@link #EXIT_RESET} and sets {@link #resetRequested()} (the VM is stopped, not rebooted).
 *
 * <p><b>Threads.</b> Build, {@link #start()} and {@link #close()} from one host thread; the accessors
 * are safe from any thread. {@link #close()} stops the synthetic timers and the VMBus server (its control thread, channel
 * threads and the integration components' timers) before it closes the partition and unmaps its memory.
 */
public final class LinuxVmWorker implements AutoCloseable {
    /** Partition exit status of a guest reset. */
    public static final int EXIT_RESET = 125;
    /** Ring size each way for the channels Partita offers (the guest picks its own for IC channels). */
    static final int RING_BYTES = 16 * 4096;
    /** Instance GUIDs of the standard channels (fixed, so the guest sees the same devices every boot). */
    public static final UUID HEARTBEAT_INSTANCE = UUID.fromString("5041fa17-1c00-4c00-8000-000000000001");
    public static final UUID SHUTDOWN_INSTANCE = UUID.fromString("5041fa17-1c00-4c00-8000-000000000002");
    public static final UUID TIMESYNC_INSTANCE = UUID.fromString("5041fa17-1c00-4c00-8000-000000000003");

    private final Partition partition;
    private final BootedKernel booted;
    private final LegacyDevices devices;
    private final HyperV hyperV;
    private final VmBus vmBus;
    private final List<Vsp> vsps;
    private final AtomicBoolean reset;
    /** The SCSI controller of {@link VmDefinition#disks()}, or null without disks. */
    private final StorageControllers storage;
    /** The debug devices' saved-state components. */
    private final List<Saveable> debugDevices;

    private LinuxVmWorker(Partition partition, BootedKernel booted, LegacyDevices devices, HyperV hyperV, VmBus vmBus,
                          List<Vsp> vsps, AtomicBoolean reset, StorageControllers storage, List<Saveable> debugDevices) {
        this.debugDevices = List.copyOf(debugDevices);
        this.partition = partition;
        this.booted = booted;
        this.devices = devices;
        this.hyperV = hyperV;
        this.vmBus = vmBus;
        this.vsps = List.copyOf(vsps);
        this.reset = reset;
        this.storage = storage;
    }

    /**
     * Builds the VM; it does not run until {@link #start()}.
     *
     * @param console receives COM1's output (and port 0xE9's), on vCPU threads
     * @throws ImageLoadException       the kernel, initrd or command line do not fit this VM (bad input)
     * @throws IllegalArgumentException the definition names an impossible partition or an unusable disk image (bad input)
     * @throws RuntimeException         the backend could not create the partition (internal)
     */
    public static LinuxVmWorker build(VmDefinition d, ConsoleSink console) throws ImageLoadException {
        return compose(d.name(), d.memory(), d.cpus(), d.backend(), d.vmbus(), d.disks(), d.enlightenments(), console, partition -> {
            BootedKernel booted = LinuxBootLoader.load(partition.memory(), new LinuxBootRequest(d.kernel(), d.initrd(), d.cmdline(),
                    AcpiTableSet.build(new AcpiPlatform(d.cpus(), d.vmbus().enabled()), BootLayout.ACPI_BASE)));
            partition.processor(0).setState(booted.bootState());
            for (int i = 1; i < d.cpus(); i++) {
                partition.processor(i).setState(BootStates.applicationProcessor());
            }
            return booted;
        });
    }

    /**
     * Builds the same VM without loading anything into its memory, to receive a saved state
     * ({@link #saveables()}, {@link dev.partita.hv.state.VmStateController#restore}); {@link #booted()}
     * is then null. Arguments as in {@link VmDefinition}.
     */
    public static LinuxVmWorker buildForRestore(String name, long memory, int cpus, BackendChoice backend, VmBusDevices vmbus,
                                                List<DiskSpec> disks, Enlightenments enlightenments, ConsoleSink console) {
        try {
            return compose(name, memory, cpus, backend, vmbus, disks, enlightenments, console, partition -> null);
        } catch (ImageLoadException e) {
            throw new IllegalStateException("nothing is loaded for a restore", e);
        }
    }

    /** What is put into a new VM's memory before its devices are attached. */
    private interface Loader {
        BootedKernel load(Partition partition) throws ImageLoadException;
    }

    private static LinuxVmWorker compose(String name, long memory, int cpus, BackendChoice backend, VmBusDevices vmbusDevices,
                                         List<DiskSpec> disks, Enlightenments enlightenments, ConsoleSink console, Loader loader)
            throws ImageLoadException {
        Partition partition = Hypervisor.get().createPartition(new PartitionConfig(name, memory, cpus, backend));
        VmBus bus = null;
        List<Vsp> vsps = new ArrayList<>();
        StorageControllers storage = null;
        try {
            BootedKernel booted = loader.load(partition);
            AtomicBoolean reset = new AtomicBoolean();
            LegacyDevices devices = LegacyDevices.attach(partition, console, new LegacyDevices.PowerActions() {
                @Override
                public void powerOff() {
                    partition.exit(0);
                }

                @Override
                public void reset() {
                    reset.set(true);
                    partition.exit(EXIT_RESET);
                }
            });
            List<Saveable> debug = DebugDevices.attach(partition, console);
            PciHostBridge.attach(partition);
            HyperV hyperV = null;
            if (vmbusDevices.enabled()) {
                hyperV = HyperV.attach(partition, enlightenments);
                bus = VmBus.attach(partition.memory(), new HyperVSynicPort(hyperV), VmBusTuning.defaults());
                vsps.addAll(standardVsps(vmbusDevices, hyperV));
                if (!disks.isEmpty()) {
                    try {
                        storage = StorageControllers.open(partition.memory(), disks);
                    } catch (DiskImageException e) {
                        throw new IllegalArgumentException(e.getMessage(), e);
                    }
                    vsps.add(storage.vsp());
                }
                for (Vsp v : vsps) {
                    bus.offer(v);
                }
            }
            return new LinuxVmWorker(partition, booted, devices, hyperV, bus, vsps, reset, storage, debug);
        } catch (ImageLoadException | RuntimeException e) {
            closeQuietly(bus, vsps);
            if (storage != null) {
                storage.close();
            }
            partition.close();
            throw e;
        }
    }

    private static List<Vsp> standardVsps(VmBusDevices devices, HyperV hyperV) {
        List<Vsp> list = new ArrayList<>();
        if (devices.integration()) {
            list.add(new HeartbeatVsp(HEARTBEAT_INSTANCE, Clock.systemUTC(), 0));
            list.add(new ShutdownVsp(SHUTDOWN_INSTANCE));
            list.add(new TimeSyncVsp(TIMESYNC_INSTANCE, Clock.systemUTC(), hyperV::referenceTime, 0));
        }
        list.addAll(devices.additional());
        return list;
    }

    /** Starts the processors. */
    public void start() {
        partition.start();
    }

    /** The partition (await its exit, pause, stop). */
    public Partition partition() {
        return partition;
    }

    /** Where the boot loader put the kernel and initrd (null for a VM built by {@link #buildForRestore}). */
    public BootedKernel booted() {
        return booted;
    }

    /** COM1, i8042, RTC and PM block. */
    public LegacyDevices devices() {
        return devices;
    }

    /** The Hyper-V interface, when VMBus is enabled. */
    public Optional<HyperV> hyperV() {
        return Optional.ofNullable(hyperV);
    }

    /** The VMBus server, when VMBus is enabled. */
    public Optional<VmBus> vmBus() {
        return Optional.ofNullable(vmBus);
    }

    /** What the VMBus server offers, in offer order (empty without VMBus). */
    public List<VspOffer> offers() {
        return vsps.stream().map(Vsp::offer).toList();
    }

    /** The VSP of type {@code type} (e.g. {@link ShutdownVsp}), when offered. */
    public <T extends Vsp> Optional<T> vsp(Class<T> type) {
        return vsps.stream().filter(type::isInstance).map(type::cast).findFirst();
    }

    /**
     * The VM's components with saved state besides the partition, restore order: COM1, i8042,
     * RTC, PM block, the debug devices, and with VMBus the Hyper-V interface ({@code hyperv}:
     * synthetic MSRs, SynIC with its queued messages) and the VMBus server ({@code vmbus}:
     * connection, GPADLs, open channels, every VSP's state). Pausing through these quiesces the
     * VMBus channels (every packet taken from a guest ring is answered first) and stops the
     * integration components' timers; resuming restarts them.
     */
    public List<Saveable> saveables() {
        List<Saveable> list = new ArrayList<>(devices.saveables());
        list.addAll(debugDevices);
        if (hyperV != null) {
            list.add(Saveable.of("hyperv", 1, hyperV::saveState, hyperV::restoreState));
        }
        if (vmBus != null) {
            list.add(new VmBusSaveable(vmBus));
        }
        return list;
    }

    /** Whether the guest pulsed the reset line (the partition then ended with {@link #EXIT_RESET}). */
    public boolean resetRequested() {
        return reset.get();
    }

    /** The SCSI controller with the definition's disks, when it has any. */
    public Optional<StorageControllers> storage() {
        return Optional.ofNullable(storage);
    }

    @Override
    public void close() {
        try {
            if (hyperV != null) {
                hyperV.close(); // the synthetic timers: no expiry reaches the partition after this
            }
            closeQuietly(vmBus, vsps);
        } finally {
            try {
                if (storage != null) {
                    storage.close(); // flushes (fdatasync) and closes the images
                }
            } finally {
                partition.close();
            }
        }
    }

    private static void closeQuietly(VmBus bus, List<Vsp> vsps) {
        for (Vsp v : vsps) {
            if (v instanceof IntegrationComponentVsp ic) {
                ic.shutdownScheduler();
            }
        }
        if (bus != null) {
            bus.close();
        }
    }
}

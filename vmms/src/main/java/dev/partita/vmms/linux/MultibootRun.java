package dev.partita.vmms.linux;

import dev.partita.devices.legacy.LegacyDevices;
import dev.partita.devices.pci.PciHostBridge;
import dev.partita.hv.BackendChoice;
import dev.partita.hv.Hypervisor;
import dev.partita.hv.Partition;
import dev.partita.hv.PartitionConfig;
import dev.partita.hv.PartitionResult;
import dev.partita.hv.boot.BootedMultiboot;
import dev.partita.hv.boot.MultibootKernel;
import dev.partita.hv.boot.MultibootLoader;
import dev.partita.hv.boot.MultibootModule;
import dev.partita.hv.devices.debug.IsaDebugExitDevice;
import dev.partita.hv.loader.BootStates;
import dev.partita.hv.loader.ByteSizes;
import dev.partita.hv.loader.ImageLoadException;
import dev.partita.hv.spi.BackendAvailability;
import dev.partita.vmms.cli.RunOutcome;
import dev.partita.vmms.worker.LinuxVmWorker;
import dev.partita.vmms.worker.VmDefinition;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a multiboot (version 1) kernel as QEMU's {@code -kernel} does for such kernels: the kernel, its
 * modules (one per {@code --initrd}, in order, each named by its path) and the command line (the kernel's
 * path, then {@code --cmdline}) placed by {@link MultibootLoader}; the legacy devices with COM1 as the
 * console (output to {@code out}, host input to the UART); the PCI host bridge; and, with
 * {@code isaDebugExit}, the {@link IsaDebugExitDevice} at port 0xF4 whose write ends the run with status
 * {@code (value << 1) | 1}. No ACPI tables and no BIOS: the kernel gets the multiboot memory map only.
 * Every application processor waits for INIT/SIPI.
 *
 * <p>Exit status: the exit device's status, 0 for an ACPI power-off through the PM block, 125 for a reset
 * (i8042), 124 timeout, 2 bad input (one line on {@code err}), 126 internal.
 *
 * @param kernel       the kernel file
 * @param kernelBytes  its bytes (already read; not copied)
 * @param modules      module files
 * @param cmdline      the text after the kernel path in the multiboot command line (may be empty)
 * @param memory       guest RAM in bytes
 * @param cpus         virtual processors
 * @param backend      the backend asked for
 * @param timeout      stop after this long (null: no limit)
 * @param isaDebugExit whether port 0xF4 is the exit device
 */
public record MultibootRun(Path kernel, byte[] kernelBytes, List<Path> modules, String cmdline, long memory, int cpus,
                           BackendChoice backend, Duration timeout, boolean isaDebugExit) {
    /** Memory when --memory is not given (QEMU's default). */
    public static final long DEFAULT_MEMORY = 128L << 20;
    private static final System.Logger LOG = System.getLogger(MultibootRun.class.getName());

    public MultibootRun {
        modules = List.copyOf(modules);
    }

    /** Runs the kernel; see the class comment. {@code in} feeds COM1 (null: no input). */
    public int run(PrintWriter out, PrintWriter err, InputStream in) {
        if (cpus < 1 || cpus > VmDefinition.MAX_CPUS) {
            return RunOutcome.badInput(err, "--cpus must be 1-" + VmDefinition.MAX_CPUS + ", got " + cpus);
        }
        MultibootKernel k;
        List<MultibootModule> mods = new ArrayList<>();
        try {
            k = MultibootKernel.parse(kernelBytes);
            for (Path m : modules) {
                mods.add(new MultibootModule(m.toString(), LinuxGuestRun.readInitrd(m, memory)));
            }
        } catch (ImageLoadException e) {
            return RunOutcome.badInput(err, kernel + ": " + e.getMessage());
        }
        LOG.log(System.Logger.Level.INFO, () -> "kernel " + kernel + ": " + k.describe());
        Hypervisor hv = Hypervisor.get();
        if (backend != BackendChoice.AUTO) {
            BackendAvailability a = hv.availability(backend.id());
            if (!a.usable()) {
                return RunOutcome.badInput(err, "backend '" + backend + "' cannot run here: " + a.reason());
            }
        }
        Partition partition;
        try {
            partition = hv.createPartition(new PartitionConfig(name(), memory, cpus, backend));
        } catch (IllegalArgumentException e) {
            return RunOutcome.badInput(err, e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "partition creation failed", e);
            return RunOutcome.internal(err, "could not create the partition: " + e.getMessage());
        }
        try (partition) {
            String line = cmdline.isEmpty() ? kernel.toString() : kernel + " " + cmdline;
            BootedMultiboot booted;
            try {
                booted = MultibootLoader.load(partition.memory(), k, line, mods);
            } catch (ImageLoadException e) {
                return RunOutcome.badInput(err, kernel + ": " + e.getMessage());
            }
            LOG.log(System.Logger.Level.INFO, () -> String.format("kernel 0x%x-0x%x, boot information at 0x%x, %d module(s), %s RAM, "
                    + "backend %s", booted.kernelStart(), booted.kernelEnd(), booted.infoAddress(), mods.size(), ByteSizes.human(memory),
                    partition.backendName()));
            partition.processor(0).setState(booted.bootState());
            for (int i = 1; i < cpus; i++) {
                partition.processor(i).setState(BootStates.applicationProcessor());
            }
            LegacyDevices devices = LegacyDevices.attach(partition, RunOutcome.consoleTo(out), new LegacyDevices.PowerActions() {
                @Override
                public void powerOff() {
                    partition.exit(0);
                }

                @Override
                public void reset() {
                    partition.exit(LinuxVmWorker.EXIT_RESET);
                }
            });
            PciHostBridge.attach(partition);
            if (isaDebugExit) {
                partition.ioBus().register(IsaDebugExitDevice.PORT, IsaDebugExitDevice.PORT_COUNT,
                        new IsaDebugExitDevice(partition::exit), "isa-debug-exit");
            }
            PartitionResult result;
            try (ConsoleInputPump pump = in == null ? null : ConsoleInputPump.start(in, devices.serial(), partition::stop)) {
                partition.start();
                result = partition.awaitExit(RunOutcome.waitFor(timeout));
            }
            out.flush();
            return RunOutcome.exitStatus(err, result);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "run failed", e);
            out.flush();
            return RunOutcome.internal(err, "internal error: " + e);
        }
    }

    private String name() {
        Path n = kernel.getFileName();
        return n == null ? "multiboot" : n.toString();
    }
}

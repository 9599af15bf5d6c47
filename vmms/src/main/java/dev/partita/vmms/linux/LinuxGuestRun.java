package dev.partita.vmms.linux;

import dev.partita.hv.BackendChoice;
import dev.partita.devices.legacy.LegacyDevices;
import dev.partita.devices.storage.DiskSpec;
import dev.partita.hv.Hypervisor;
import dev.partita.hv.Partition;
import dev.partita.hv.PartitionResult;
import dev.partita.hv.boot.BootedKernel;
import dev.partita.hv.hyperv.Enlightenments;
import dev.partita.hv.boot.LinuxKernel;
import dev.partita.hv.devices.debug.ConsoleSink;
import dev.partita.hv.loader.ByteSizes;
import dev.partita.hv.loader.ImageLoadException;
import dev.partita.hv.spi.BackendAvailability;
import dev.partita.vmms.cli.RunOutcome;
import dev.partita.vmms.state.SaveOnSignal;
import dev.partita.vmms.state.LinuxDevices;
import dev.partita.vmms.state.SaveableVm;
import dev.partita.vmms.state.VmDescription;
import dev.partita.vmms.worker.LinuxVmWorker;
import dev.partita.vmms.worker.VmBusDevices;
import dev.partita.vmms.worker.VmDefinition;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Boots a Linux kernel in a fresh partition built by {@link LinuxVmWorker}: ACPI tables, the kernel, initrd and
 * command line, the legacy devices ({@link LegacyDevices}: COM1 is the
 * console), and the debug devices of guests/README.md. The UART's output goes to {@code out}; host input
 * (raw mode on a terminal) goes to the UART; Ctrl-] then 'q' stops the guest. Returns the process exit
 * status: the guest's power-off is 0, a 0xF4 write its value, a guest reset 125, timeout 124, bad input 2.
 *
 * <p>PCI: one bus with only the host bridge at 00:00.0, reached through ports 0xCF8/0xCFC and the
 * ECAM window of the ACPI MCFG (every other device here is ISA/ACPI or VMBus). The DSDT has no PCI root
 * device, so Linux finds bus 0 by its legacy probe.
 *
 * @param kernel   kernel file (bzImage or PVH vmlinux)
 * @param initrd   initrd file or null
 * @param cmdline  kernel command line
 * @param memory   guest RAM in bytes
 * @param cpus     virtual processors
 * @param backend  the backend asked for
 * @param timeout  stop after this long (null: no limit)
 * @param vmbus    whether the VM gets VMBus: the Hyper-V interface, the VMBus server with the
 *                 integration components, and the DSDT's VMBus device (composed by {@link LinuxVmWorker})
 * @param disks    disk images (VHDX or raw) on a VMBus SCSI controller ({@code --disk PATH[,ro]}); they imply VMBus
 * @param enlightenments the optional Hyper-V enlightenments offered with VMBus ({@code --no-enlightenments}: none)
 */
public record LinuxGuestRun(Path kernel, Path initrd, String cmdline, long memory, int cpus, BackendChoice backend, Duration timeout,
                            boolean vmbus, List<DiskSpec> disks, Enlightenments enlightenments) {
    /** A run with every enlightenment. */
    public LinuxGuestRun(Path kernel, Path initrd, String cmdline, long memory, int cpus, BackendChoice backend, Duration timeout,
                         boolean vmbus, List<DiskSpec> disks) {
        this(kernel, initrd, cmdline, memory, cpus, backend, timeout, vmbus, disks, Enlightenments.ALL);
    }

    /** A run without disks. */
    public LinuxGuestRun(Path kernel, Path initrd, String cmdline, long memory, int cpus, BackendChoice backend, Duration timeout,
                         boolean vmbus) {
        this(kernel, initrd, cmdline, memory, cpus, backend, timeout, vmbus, List.of());
    }

    public LinuxGuestRun {
        disks = List.copyOf(disks);
        java.util.Objects.requireNonNull(enlightenments, "enlightenments");
    }

    public static final int EXIT_BAD_INPUT = RunOutcome.EXIT_BAD_INPUT;
    public static final int EXIT_TIMEOUT = RunOutcome.EXIT_TIMEOUT;
    public static final int EXIT_RESET = RunOutcome.EXIT_RESET;
    public static final int EXIT_INTERNAL = RunOutcome.EXIT_INTERNAL;
    /** The default memory of a Linux guest. */
    public static final long DEFAULT_MEMORY = 512L << 20;
    /** The default command line: the serial console, reboot (= stop) immediately on panic. */
    public static final String DEFAULT_CMDLINE = "console=ttyS0 earlyprintk=serial,ttyS0 panic=-1";
    private static final System.Logger LOG = System.getLogger(LinuxGuestRun.class.getName());

    /** Runs the guest; see the class comment. {@code in} feeds the console (null: no input). */
    public int run(PrintWriter out, PrintWriter err, InputStream in) {
        return run(out, err, in, null);
    }

    /**
     * As {@link #run(PrintWriter, PrintWriter, InputStream)}; with {@code saveOnSignal} (not null)
     * SIGUSR1 or SIGTERM save the VM there and the run exits 0 ({@link SaveOnSignal}).
     */
    public int run(PrintWriter out, PrintWriter err, InputStream in, Path saveOnSignal) {
        if (cpus < 1 || cpus > VmDefinition.MAX_CPUS) {
            return badInput(err, "--cpus must be 1-" + VmDefinition.MAX_CPUS + ", got " + cpus);
        }
        LinuxKernel k;
        byte[] initrdBytes = null;
        try {
            k = LinuxKernel.read(kernel);
            if (initrd != null) {
                initrdBytes = readInitrd(initrd, memory);
            }
        } catch (ImageLoadException e) {
            return badInput(err, e.getMessage());
        }
        LOG.log(System.Logger.Level.INFO, () -> "kernel " + kernel + ": " + k.describe());
        Hypervisor hv = Hypervisor.get();
        if (backend != BackendChoice.AUTO) {
            BackendAvailability a = hv.availability(backend.id());
            if (!a.usable()) {
                return badInput(err, "backend '" + backend + "' cannot run here: " + a.reason());
            }
        }
        ConsoleSink console = RunOutcome.consoleTo(out);
        LinuxVmWorker worker;
        try {
            // The composition lives in the vmms worker package (shared with partita demo and the tests).
            worker = LinuxVmWorker.build(new VmDefinition(name(), k, initrdBytes, cmdline, memory, cpus, backend,
                    vmbus || !disks.isEmpty() ? VmBusDevices.STANDARD : VmBusDevices.NONE, disks, enlightenments), console);
        } catch (ImageLoadException | IllegalArgumentException e) {
            return badInput(err, e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "partition creation failed", e);
            return RunOutcome.internal(err, "could not create the partition: " + e.getMessage());
        }
        Partition partition = worker.partition();
        SaveOnSignal saver = null;
        if (saveOnSignal != null) {
            LinuxDevices saved = LinuxDevices.of(vmbus || !disks.isEmpty() ? VmBusDevices.STANDARD : VmBusDevices.NONE,
                    disks, enlightenments);
            saver = SaveOnSignal.install(saveOnSignal, SaveableVm.controller(partition,
                    SaveableVm.describe(VmDescription.LINUX, partition, saved), worker.saveables()), partition, err);
        }
        ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "partita-console-flush");
            t.setDaemon(true);
            return t;
        });
        try (worker; TerminalMode tty = in == System.in ? TerminalMode.rawIfTerminal() : null) {
            BootedKernel booted = worker.booted();
            LOG.log(System.Logger.Level.INFO, () -> String.format("kernel at 0x%x, entry 0x%x, initrd at 0x%x (%d bytes), on backend %s",
                    booted.kernelStart(), booted.entry(), booted.initrdAddress(), booted.initrdSize(), partition.backendName()));
            LegacyDevices devices = worker.devices();
            flusher.scheduleAtFixedRate(() -> {
                synchronized (out) {
                    out.flush();
                }
            }, 50, 50, TimeUnit.MILLISECONDS);
            PartitionResult result;
            // The pump ends with the run: it reads no input meant for whatever the process does next.
            try (ConsoleInputPump pump = in == null ? null : ConsoleInputPump.start(in, devices.serial(), partition::stop)) {
                worker.start();
                result = partition.awaitExit(RunOutcome.waitFor(timeout));
            }
            synchronized (out) {
                out.flush();
            }
            if (tty != null && tty.raw()) {
                out.print("\r\n");
                out.flush();
            }
            int savedStatus = saver == null ? -1 : saver.outcome(err);
            if (savedStatus >= 0) {
                return savedStatus;
            }
            if (result instanceof PartitionResult.Exited e && worker.resetRequested() && e.exitStatus() == EXIT_RESET) {
                return RunOutcome.say(err, "the guest reset the machine (reboot or panic); stopped instead of rebooting",
                        EXIT_RESET);
            }
            return RunOutcome.exitStatus(err, result);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "run failed", e);
            return RunOutcome.internal(err, "internal error: " + e);
        } finally {
            flusher.shutdownNow();
            if (saver != null) {
                saver.close();
            }
        }
    }

    private String name() {
        Path n = kernel.getFileName();
        return n == null ? "linux" : n.toString();
    }

    /** Reads an initrd file, refusing one that is a folder or does not fit in {@code memory}. */
    public static byte[] readInitrd(Path file, long memory) throws ImageLoadException {
        try {
            if (Files.isDirectory(file)) {
                throw new ImageLoadException("initrd " + file + " is a directory");
            }
            long size = Files.size(file);
            if (size >= memory || size > Integer.MAX_VALUE - 8) {
                throw new ImageLoadException("initrd (" + ByteSizes.human(size) + ") does not fit in " + ByteSizes.human(memory)
                        + " of memory");
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ImageLoadException("initrd " + file + " does not exist", e);
        } catch (AccessDeniedException e) {
            throw new ImageLoadException("initrd " + file + " is not readable (permission denied)", e);
        } catch (IOException e) {
            throw new ImageLoadException("cannot read initrd " + file + ": " + e.getMessage(), e);
        }
    }

    private static int badInput(PrintWriter err, String message) {
        return RunOutcome.badInput(err, message);
    }
}

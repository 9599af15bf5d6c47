package dev.partita.vmms.state;

import dev.partita.hv.Hypervisor;
import dev.partita.hv.Partition;
import dev.partita.hv.PartitionConfig;
import dev.partita.hv.PartitionResult;
import dev.partita.hv.devices.debug.ConsoleSink;
import dev.partita.hv.devices.debug.DebugDevices;
import dev.partita.hv.spi.BackendAvailability;
import dev.partita.hv.state.Saveable;
import dev.partita.hv.state.StateFileException;
import dev.partita.hv.state.StateFileReader;
import dev.partita.hv.state.VmStateController;
import dev.partita.vmms.RunCommand;
import dev.partita.vmms.cli.RunOutcome;
import dev.partita.vmms.worker.LinuxVmWorker;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code partita restore FILE}: rebuilds the VM a state file was saved from (its {@code vm}
 * section says which kind and shape), loads the state and continues the guest where it stopped, in
 * this process. Exit status as {@code partita run}; a file that cannot be used is bad input (2)
 * with one line naming the problem.
 */
@Command(name = "restore",
        mixinStandardHelpOptions = true,
        description = "Continue a VM saved by 'partita run --save-on-signal FILE' (or a previous restore).",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "N:the guest's own exit status, as for 'partita run'",
            "0:the VM was saved again (--save-on-signal)",
            "2:the state file cannot be used (one-line message on stderr)",
            "124:--timeout passed",
            "126:internal error"
        },
        usageHelpAutoWidth = true)
public final class RestoreCommand implements Callable<Integer> {
    private static final System.Logger LOG = System.getLogger(RestoreCommand.class.getName());

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The state file.")
    Path file;

    @Option(names = "--backend", paramLabel = "NAME",
            description = "Run on this backend instead of the one the VM was saved on (processors, devices and memory "
                    + "carry over; the PIC, PIT and I/O APIC start from reset).")
    String backend;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = RunCommand.DurationConverter.class,
            description = "Stop the guest after this long and exit with 124 (default: none).")
    Duration timeout;

    @Option(names = "--save-on-signal", paramLabel = "FILE",
            description = "On SIGUSR1 or SIGTERM, save the VM state to FILE and exit 0.")
    Path saveOnSignal;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        VmDescription d;
        try (StateFileReader r = StateFileReader.open(file)) {
            d = VmDescription.fromJson(r.readLeadingSection(VmDescription.SECTION).payload());
        } catch (NoSuchFileException e) {
            return RunOutcome.badInput(err, "state file " + file + " does not exist");
        } catch (IOException e) {
            return RunOutcome.badInput(err, "cannot read state file " + file + ": " + e.getMessage());
        } catch (StateFileException e) {
            return RunOutcome.badInput(err, file + ": " + e.getMessage());
        }
        String backendName = backend != null ? backend.strip() : d.backend();
        BackendAvailability a = Hypervisor.get().availability(backendName);
        if (!a.usable()) {
            return RunOutcome.badInput(err, "backend '" + backendName + "' cannot run here: " + a.reason());
        }
        ConsoleSink console = RunOutcome.consoleTo(out);
        return switch (d.kind()) {
            case VmDescription.IMAGE -> restoreImage(d, backendName, console, out, err);
            default -> restoreLinux(d, backendName, console, out, err);
        };
    }

    private int restoreImage(VmDescription d, String backendName, ConsoleSink console, PrintWriter out, PrintWriter err) {
        try (Partition p = Hypervisor.get().createPartition(new PartitionConfig(d.name(), d.memoryBytes(), d.cpus(),
                backendName))) {
            List<Saveable> devices = DebugDevices.attach(p, console);
            return continueVm(p, SaveableVm.controller(p, SaveableVm.describe(VmDescription.IMAGE, p), devices), out, err);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "restore failed", e);
            return RunOutcome.internal(err, "internal error: " + e);
        }
    }

    private int restoreLinux(VmDescription d, String backendName, ConsoleSink console, PrintWriter out, PrintWriter err) {
        LinuxDevices devices = d.devices();
        LinuxVmWorker built;
        try {
            built = LinuxVmWorker.buildForRestore(d.name(), d.memoryBytes(), d.cpus(),
                    dev.partita.hv.BackendChoice.parse(backendName), devices.vmBusDevices(), devices.disks(),
                    devices.enlightenments(), console);
        } catch (IllegalArgumentException e) {
            return RunOutcome.badInput(err, file + ": the saved VM's devices cannot be built again: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "restore failed", e);
            return RunOutcome.internal(err, "internal error: " + e);
        }
        try (LinuxVmWorker worker = built) {
            Partition p = worker.partition();
            return continueVm(p, SaveableVm.controller(p, SaveableVm.describe(VmDescription.LINUX, p, devices),
                    worker.saveables()), out, err);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "restore failed", e);
            return RunOutcome.internal(err, "internal error: " + e);
        }
    }

    private int continueVm(Partition p, VmStateController controller, PrintWriter out, PrintWriter err) {
        long t0 = System.nanoTime();
        try {
            String leftOut = controller.restoreFromAnyBackend(file,
                    StateProgressDisplay.start(err, "restoring the VM state from " + file));
            if (leftOut != null) {
                err.println("partita: the VM was saved on another backend: its " + leftOut
                        + " state (PIC, PIT, I/O APIC) is not converted and starts from reset on " + p.backendName());
            }
        } catch (StateFileException e) {
            return RunOutcome.badInput(err, file + ": " + e.getMessage());
        } catch (IOException e) {
            return RunOutcome.badInput(err, "cannot read state file " + file + ": " + e.getMessage());
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        LOG.log(System.Logger.Level.INFO, () -> "restored " + file + " in " + ms + " ms on backend " + p.backendName());
        SaveOnSignal saver = saveOnSignal == null ? null : SaveOnSignal.install(saveOnSignal, controller, p, err);
        try {
            p.start();
            PartitionResult result = p.awaitExit(RunOutcome.waitFor(timeout));
            out.flush();
            int savedStatus = saver == null ? -1 : saver.outcome(err);
            return savedStatus >= 0 ? savedStatus : RunOutcome.exitStatus(err, result);
        } finally {
            if (saver != null) {
                saver.close();
            }
        }
    }
}

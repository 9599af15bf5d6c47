package dev.partita.vmms.worker;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.partita.devices.ic.HeartbeatStatus;
import dev.partita.hv.Partition;
import dev.partita.hv.PartitionResult;
import dev.partita.hv.loader.ImageLoadException;
import dev.partita.vmms.api.VmSpec;
import dev.partita.vmms.worker.control.ControlReply;
import dev.partita.vmms.worker.control.ControlRequest;
import dev.partita.vmms.worker.control.ControlServer;
import dev.partita.vmms.worker.control.WorkerExit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code partita worker --vm-dir DIR}: the worker process of one VM (Hyper-V's VMWP), started by the management
 * service. It builds the VM of the folder's {@code vm.json} ({@link GuestComposition}), serves the control
 * socket ({@link ControlServer}), writes the guest console to the folder's bounded console log, runs the VM
 * until its partition ends, leaves {@code exit.json} and exits. Exit status 0 when the VM ended (however the
 * guest ended), 2 when the definition could not be built, 1 on an internal error.
 *
 * <p><b>Threads.</b> The main thread builds, starts and awaits the partition; control requests arrive on the
 * control server's threads and act on the partition, whose pause/resume/stop are thread-safe.
 */
@Command(name = "worker", hidden = true, mixinStandardHelpOptions = true,
        description = "Run one VM of the management service's state directory (started by 'partita service').")
public final class WorkerCommand implements Callable<Integer> {
    /** Largest console log part, in bytes (two parts are kept). */
    static final long CONSOLE_LIMIT = 256 * 1024;
    /** A heartbeat older than this counts as lost. */
    public static final long HEARTBEAT_MAX_AGE_MILLIS = 10_000;
    private static final System.Logger LOG = System.getLogger(WorkerCommand.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--vm-dir", required = true, paramLabel = "DIR", description = "The VM's folder in the state directory.")
    Path vmDir;

    @Override
    public Integer call() throws IOException {
        VmFolder folder = new VmFolder(vmDir);
        Files.deleteIfExists(folder.exitFile());
        Files.writeString(folder.pidFile(), Long.toString(ProcessHandle.current().pid()));
        VmSpec spec;
        GuestComposition vm;
        BoundedConsoleLog console = new BoundedConsoleLog(folder.consoleLog(), folder.consoleLogPrevious(), CONSOLE_LIMIT);
        try {
            spec = JSON.readValue(folder.definition().toFile(), VmSpec.class);
            vm = GuestComposition.build(spec, console);
        } catch (IOException | ImageLoadException | IllegalArgumentException e) {
            console.close();
            return end(folder, new WorkerExit(true, "the VM could not be built: " + e.getMessage()), 2);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "building the VM failed", e);
            console.close();
            return end(folder, new WorkerExit(true, "the VM could not be built: " + e), 1);
        }
        Instant started = Instant.now();
        AtomicBoolean paused = new AtomicBoolean();
        Partition partition = vm.partition();
        WorkerExit exit;
        try (console; vm; ControlServer control = ControlServer.start(folder.controlSocket(),
                request -> handle(request, vm, started, paused))) {
            vm.partition().start();
            PartitionResult result = partition.awaitExit(Duration.ofDays(3650));
            exit = describe(result);
            control.close(); // no request reaches a closing VM
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "the VM failed", e);
            exit = new WorkerExit(true, "internal error in the worker: " + e);
        }
        return end(folder, exit, 0);
    }

    private static ControlReply handle(ControlRequest request, GuestComposition vm, Instant started, AtomicBoolean paused) {
        Partition p = vm.partition();
        switch (request) {
            case ControlRequest.Status s -> {
                // The answer reports the previous beat's answer; this one is judged at the next status request.
                String word = heartbeat(vm);
                vm.beat();
                return new ControlReply(true, null, paused.get() ? "paused" : "running", ProcessHandle.current().pid(),
                        started.toEpochMilli(), word);
            }
            case ControlRequest.Pause s -> {
                p.pause();
                paused.set(true);
            }
            case ControlRequest.Resume s -> {
                p.resume();
                paused.set(false);
            }
            case ControlRequest.Shutdown s -> {
                if (vm.shutdown().isEmpty()) {
                    return ControlReply.refused("the VM has no shutdown integration component");
                }
                try {
                    int status = vm.shutdown().get().requestShutdown("stopped by the Partita management service", false)
                            .get(10, TimeUnit.SECONDS);
                    if (status != 0) {
                        return ControlReply.refused("the guest refused to shut down (status 0x" + Integer.toHexString(status) + ")");
                    }
                } catch (java.util.concurrent.ExecutionException e) {
                    return ControlReply.refused("the guest cannot be asked to shut down: " + e.getCause().getMessage());
                } catch (java.util.concurrent.TimeoutException e) {
                    return ControlReply.refused("the guest did not answer the shutdown request within 10 s");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return ControlReply.refused("interrupted");
                }
            }
            case ControlRequest.ConsoleInput in -> {
                byte[] data = in.data() == null ? new byte[0] : in.data();
                int accepted = vm.consoleInput(data);
                if (accepted < data.length) {
                    return ControlReply.refused("the console took " + accepted + " of " + data.length
                            + " bytes (a test guest has no console input; a Linux guest's UART queue was full)");
                }
            }
            case ControlRequest.TurnOff s -> {
                // Ending the partition wakes the main thread, which writes exit.json and exits.
                Thread.ofVirtual().start(p::stop);
            }
        }
        return new ControlReply(true, null, paused.get() ? "paused" : "running", ProcessHandle.current().pid(),
                started.toEpochMilli(), heartbeat(vm));
    }

    private static String heartbeat(GuestComposition vm) {
        return vm.heartbeat().map(WorkerCommand::heartbeatWord).orElse("not-offered");
    }

    private static String heartbeatWord(HeartbeatStatus h) {
        if (h.lastSeen() == null) {
            return "no-contact";
        }
        return h.aliveAt(Instant.now(), HEARTBEAT_MAX_AGE_MILLIS) ? "ok" : "lost";
    }

    private static WorkerExit describe(PartitionResult result) {
        String report = result.report().lines().findFirst().orElse("");
        return switch (result) {
            case PartitionResult.Exited e -> new WorkerExit(false, "the guest ended (" + report + ")");
            case PartitionResult.Stopped s -> new WorkerExit(false, "turned off");
            case PartitionResult.TimedOut t -> new WorkerExit(false, report);
            case PartitionResult.TripleFault t -> new WorkerExit(true, report);
            case PartitionResult.Failed f -> new WorkerExit(true, report);
            case PartitionResult.GuestCrashed c -> new WorkerExit(true, "guest crash reported by vCPU " + c.vpIndex() + ": " + report);
        };
    }

    private static int end(VmFolder folder, WorkerExit exit, int status) throws IOException {
        Path tmp = folder.exitFile().resolveSibling("exit.json.tmp");
        JSON.writeValue(tmp.toFile(), exit);
        Files.move(tmp, folder.exitFile(), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Files.deleteIfExists(folder.pidFile());
        return status;
    }
}

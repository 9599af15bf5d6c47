package dev.partita.vmms.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.partita.vmms.api.VmSpec;
import dev.partita.vmms.api.VmView;
import dev.partita.vmms.worker.VmFolder;
import dev.partita.vmms.worker.VmSpecs;
import dev.partita.vmms.worker.control.ControlChannel;
import dev.partita.vmms.worker.control.ControlException;
import dev.partita.vmms.worker.control.ControlReply;
import dev.partita.vmms.worker.control.ControlRequest;
import dev.partita.vmms.worker.control.WorkerExit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The VMs of a state directory and their lifecycle with Hyper-V's verbs: create, start, stop (the guest's
 * shutdown integration component, then turn off after a timeout), turn off, pause, resume, change processors
 * or memory while off, remove. Each running VM is one worker process ({@link WorkerLauncher}); a worker that ends
 * without leaving its exit record puts its VM in {@link VmState#FAILED} with the reason, and no other VM is
 * touched. {@link #load()} re-attaches to workers still running from an earlier service.
 *
 * <p><b>Threads.</b> Thread-safe: each VM has its own lock ({@link ManagedVm}); waits for workers happen
 * outside it. Worker exits are noticed on the JDK's process-reaper threads.
 */
public final class VmManager {
    private static final System.Logger LOG = System.getLogger(VmManager.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long a started worker has to answer on its control socket. */
    static final Duration START_WAIT = Duration.ofSeconds(120);
    /** How long a turned-off worker has to exit before it is killed. */
    static final Duration TURN_OFF_WAIT = Duration.ofSeconds(20);

    private final Path vmsDir;
    private final WorkerLauncher launcher;
    private final EventHub events;
    private final Map<String, ManagedVm> vms = new ConcurrentHashMap<>();

    public VmManager(Path stateDir, WorkerLauncher launcher, EventHub events) {
        this.vmsDir = stateDir.toAbsolutePath().normalize().resolve("vms");
        this.launcher = launcher;
        this.events = events;
    }

    /** Reads every VM folder and re-attaches to the workers still running. Called once, before serving. */
    public void load() throws IOException {
        Files.createDirectories(vmsDir);
        try (Stream<Path> dirs = Files.list(vmsDir)) {
            for (Path dir : dirs.sorted().toList()) {
                VmFolder folder = new VmFolder(dir);
                if (!Files.isRegularFile(folder.definition())) {
                    continue;
                }
                VmSpec spec;
                try {
                    spec = JSON.readValue(folder.definition().toFile(), VmSpec.class);
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.WARNING, "skipping " + dir + ": unreadable definition: " + e.getMessage());
                    continue;
                }
                ManagedVm vm = new ManagedVm(spec.name(), folder, spec);
                vms.put(vm.name, vm);
                reattach(vm);
            }
        }
    }

    private void reattach(ManagedVm vm) {
        synchronized (vm) {
            // Only a live process whose command line names this folder is our worker (a pid may have been reused).
            Optional<ProcessHandle> worker = readPid(vm.folder).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive)
                    .filter(h -> isWorkerOf(h, vm.folder));
            if (worker.isEmpty()) {
                Optional<WorkerExit> exit = readExit(vm.folder);
                if (exit.isPresent()) {
                    vm.state = exit.get().failed() ? VmState.FAILED : VmState.OFF;
                    vm.reason = exit.get().reason();
                } else if (Files.exists(vm.folder.pidFile())) {
                    vm.state = VmState.FAILED;
                    vm.reason = "the worker process died while the service was not running";
                }
                return;
            }
            try {
                ControlReply r = ControlChannel.call(vm.folder.controlSocket(), new ControlRequest.Status());
                vm.worker = worker.get();
                vm.state = "paused".equals(r.state()) ? VmState.PAUSED : VmState.RUNNING;
                vm.startedAt = Instant.ofEpochMilli(r.startedAt());
                vm.heartbeat = r.heartbeat();
                vm.reason = "re-attached to worker " + r.pid();
                watch(vm, vm.worker);
            } catch (ControlException e) {
                worker.get().destroyForcibly();
                vm.state = VmState.FAILED;
                vm.reason = "the worker process " + worker.get().pid() + " did not answer on its control socket and was killed: "
                        + e.getMessage();
            }
        }
    }

    /** Defines a new VM (off). @throws ServiceException 409 when the name is taken, 400 when a file is missing */
    public VmView create(VmSpec spec) throws ServiceException {
        for (String f : files(spec)) {
            if (!Files.isRegularFile(Path.of(f))) {
                throw ServiceException.badRequest("file " + f + " does not exist or is not a regular file");
            }
        }
        ManagedVm vm = new ManagedVm(spec.name(), new VmFolder(vmsDir.resolve(spec.name())), spec);
        if (vms.putIfAbsent(spec.name(), vm) != null) {
            throw ServiceException.conflict("a VM named '" + spec.name() + "' exists already");
        }
        try {
            Files.createDirectories(vm.folder.dir());
            writeDefinition(vm.folder, spec);
        } catch (IOException e) {
            vms.remove(spec.name());
            throw new ServiceException(500, "cannot write the definition of " + spec.name() + ": " + e.getMessage(), e);
        }
        events.publish(vm.name, "state", VmState.OFF, "created");
        return view(vm);
    }

    private static List<String> files(VmSpec spec) {
        List<String> all = new ArrayList<>();
        Stream.of(spec.image(), spec.kernel(), spec.initrd()).filter(java.util.Objects::nonNull).forEach(all::add);
        spec.disks().forEach(d -> all.add(d.endsWith(",ro") ? d.substring(0, d.length() - 3) : d));
        return all;
    }

    /** Every VM, by name. */
    public List<VmView> list() {
        return vms.values().stream().sorted(Comparator.comparing(v -> v.name)).map(this::view).toList();
    }

    /** One VM. */
    public VmView show(String name) throws ServiceException {
        return view(get(name));
    }

    /** The definition of one VM. */
    public VmSpec definition(String name) throws ServiceException {
        ManagedVm vm = get(name);
        synchronized (vm) {
            return vm.spec;
        }
    }

    /** Replaces processors/memory of an off VM with {@code changed} (checked by the caller). */
    public VmView change(String name, VmSpec changed) throws ServiceException {
        ManagedVm vm = get(name);
        synchronized (vm) {
            requireState(vm, "change", VmState.OFF, VmState.FAILED);
            try {
                writeDefinition(vm.folder, changed);
            } catch (IOException e) {
                throw new ServiceException(500, "cannot write the definition of " + name + ": " + e.getMessage(), e);
            }
            vm.spec = changed;
        }
        return view(vm);
    }

    /** Starts the worker and returns once it serves its control socket (or has failed). */
    public VmView start(String name) throws ServiceException {
        ManagedVm vm = get(name);
        Process p;
        synchronized (vm) {
            requireState(vm, "start", VmState.OFF, VmState.FAILED);
            try {
                Files.deleteIfExists(vm.folder.exitFile());
                Files.deleteIfExists(vm.folder.controlSocket());
                p = launcher.start(vm.folder);
            } catch (IOException e) {
                throw new ServiceException(500, "cannot start the worker of " + name + ": " + e.getMessage(), e);
            }
            vm.worker = p.toHandle();
            vm.child = p;
            try {
                // The worker writes it too; written here as well so that a service restarting at once finds the worker.
                Files.writeString(vm.folder.pidFile(), Long.toString(p.pid()));
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, name + ": cannot write the worker's pid file: " + e.getMessage());
            }
            setState(vm, VmState.STARTING, "worker " + p.pid() + " started");
            watch(vm, vm.worker);
        }
        long deadline = System.nanoTime() + START_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            synchronized (vm) {
                if (vm.state != VmState.STARTING || !p.toHandle().equals(vm.worker)) {
                    break;
                }
                if (Files.exists(vm.folder.controlSocket())) {
                    try {
                        ControlReply r = ControlChannel.call(vm.folder.controlSocket(), new ControlRequest.Status());
                        vm.startedAt = Instant.ofEpochMilli(r.startedAt());
                        vm.heartbeat = r.heartbeat();
                        setState(vm, VmState.RUNNING, "started");
                        break;
                    } catch (ControlException e) {
                        LOG.log(System.Logger.Level.DEBUG, () -> "worker of " + name + " not ready: " + e.getMessage());
                    }
                }
            }
            sleep(100);
        }
        synchronized (vm) {
            if (vm.state == VmState.STARTING) {
                p.destroyForcibly();
                throw new ServiceException(500, "the worker of " + name + " did not answer within " + START_WAIT.toSeconds() + " s");
            }
            if (vm.state == VmState.FAILED) {
                throw new ServiceException(500, "VM " + name + " failed to start: " + vm.reason);
            }
        }
        return view(vm);
    }

    /** Pauses a running VM. */
    public VmView pause(String name) throws ServiceException {
        return control(name, "pause", new ControlRequest.Pause(), VmState.PAUSED, VmState.RUNNING);
    }

    /** Resumes a paused VM. */
    public VmView resume(String name) throws ServiceException {
        return control(name, "resume", new ControlRequest.Resume(), VmState.RUNNING, VmState.PAUSED);
    }

    private VmView control(String name, String verb, ControlRequest request, VmState after, VmState required) throws ServiceException {
        ManagedVm vm = get(name);
        synchronized (vm) {
            requireState(vm, verb, required);
            ControlReply r = call(vm, request);
            if (!r.ok()) {
                throw new ServiceException(500, "the worker of " + name + " could not " + verb + ": " + r.error());
            }
            if (after == VmState.RUNNING) {
                // The last answer predates the pause: judge the heartbeat afresh rather than report it lost.
                vm.heartbeat = "no-contact";
            }
            setState(vm, after, verb + "d");
        }
        return view(vm);
    }

    /**
     * Stops a VM gracefully: asks the guest to shut down through its shutdown integration component, waits up
     * to {@code timeout} for it to power off, then turns it off. A VM without the component is turned off at once.
     */
    public VmView stop(String name, Duration timeout) throws ServiceException {
        ManagedVm vm = get(name);
        ProcessHandle worker;
        boolean wasPaused;
        synchronized (vm) {
            requireState(vm, "stop", VmState.RUNNING, VmState.PAUSED);
            worker = vm.worker;
            wasPaused = vm.state == VmState.PAUSED;
            setState(vm, VmState.STOPPING, "stop requested");
        }
        try {
            if (wasPaused) {
                ControlChannel.call(vm.folder.controlSocket(), new ControlRequest.Resume());
            }
            ControlReply r = ControlChannel.call(vm.folder.controlSocket(), new ControlRequest.Shutdown());
            if (r.ok()) {
                awaitExit(worker, timeout);
            } else {
                LOG.log(System.Logger.Level.INFO, () -> name + ": no graceful shutdown (" + r.error() + "), turning off");
            }
        } catch (ControlException e) {
            LOG.log(System.Logger.Level.INFO, () -> name + ": shutdown request failed (" + e.getMessage() + "), turning off");
        }
        if (worker.isAlive()) {
            turnOffWorker(vm, worker);
        }
        awaitSettled(vm, worker);
        return view(vm);
    }

    /** Turns a VM off at once (its processors stop where they are). */
    public VmView turnOff(String name) throws ServiceException {
        ManagedVm vm = get(name);
        ProcessHandle worker;
        synchronized (vm) {
            requireState(vm, "turn off", VmState.STARTING, VmState.RUNNING, VmState.PAUSED, VmState.STOPPING);
            worker = vm.worker;
            if (vm.state != VmState.STOPPING) {
                setState(vm, VmState.STOPPING, "turn off requested");
            }
        }
        turnOffWorker(vm, worker);
        awaitSettled(vm, worker);
        return view(vm);
    }

    private void turnOffWorker(ManagedVm vm, ProcessHandle worker) {
        try {
            ControlChannel.call(vm.folder.controlSocket(), new ControlRequest.TurnOff());
            awaitExit(worker, TURN_OFF_WAIT);
        } catch (ControlException e) {
            LOG.log(System.Logger.Level.INFO, () -> vm.name + ": turn-off request failed: " + e.getMessage());
        }
        if (worker.isAlive()) {
            LOG.log(System.Logger.Level.WARNING, vm.name + ": worker " + worker.pid() + " did not exit; killing it");
            worker.destroyForcibly();
            awaitExit(worker, TURN_OFF_WAIT);
        }
    }

    /** Waits until the exit watcher has recorded the end of {@code worker}. */
    private static void awaitSettled(ManagedVm vm, ProcessHandle worker) {
        for (int i = 0; i < 200; i++) {
            synchronized (vm) {
                if (vm.worker == null || !vm.worker.equals(worker)) {
                    return;
                }
            }
            sleep(50);
        }
    }

    /** Deletes an off VM and its folder. */
    public void remove(String name) throws ServiceException {
        ManagedVm vm = get(name);
        synchronized (vm) {
            requireState(vm, "remove", VmState.OFF, VmState.FAILED);
            try (Stream<Path> files = Files.walk(vm.folder.dir())) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException | UncheckedIOException e) {
                throw new ServiceException(500, "cannot delete the folder of " + name + ": " + e.getMessage(), e);
            }
            vms.remove(name);
            events.publish(name, "state", VmState.OFF, "removed");
        }
    }

    /** The last {@code maxBytes} of the VM's console log (both parts). */
    public byte[] console(String name, int maxBytes) throws ServiceException {
        ManagedVm vm = get(name);
        try {
            byte[] prev = Files.exists(vm.folder.consoleLogPrevious()) ? Files.readAllBytes(vm.folder.consoleLogPrevious()) : new byte[0];
            byte[] cur = Files.exists(vm.folder.consoleLog()) ? Files.readAllBytes(vm.folder.consoleLog()) : new byte[0];
            byte[] all = new byte[prev.length + cur.length];
            System.arraycopy(prev, 0, all, 0, prev.length);
            System.arraycopy(cur, 0, all, prev.length, cur.length);
            int from = Math.max(0, all.length - maxBytes);
            return java.util.Arrays.copyOfRange(all, from, all.length);
        } catch (IOException e) {
            throw new ServiceException(500, "cannot read the console log of " + name + ": " + e.getMessage(), e);
        }
    }

    /** A stream of the console from {@code tail} bytes before its current end, for as long as the VM has a worker. */
    public Reply followConsole(String name, int tail) throws ServiceException {
        ManagedVm vm = get(name);
        long from;
        try {
            from = Math.max(0, (Files.exists(vm.folder.consoleLog()) ? Files.size(vm.folder.consoleLog()) : 0) - tail);
        } catch (IOException e) {
            throw new ServiceException(500, "cannot read the console log of " + name + ": " + e.getMessage(), e);
        }
        return new Reply.ConsoleStream(vm.folder, from, () -> {
            synchronized (vm) {
                return vm.state.hasWorker();
            }
        });
    }

    /** Types {@code data} (at most 4 KiB) on a running VM's console. */
    public VmView consoleInput(String name, byte[] data) throws ServiceException {
        if (data.length == 0 || data.length > 4096) {
            throw ServiceException.badRequest("console input must be 1-4096 bytes, got " + data.length);
        }
        ManagedVm vm = get(name);
        synchronized (vm) {
            requireState(vm, "type on the console of", VmState.RUNNING);
            ControlReply r = call(vm, new ControlRequest.ConsoleInput(data));
            if (!r.ok()) {
                throw ServiceException.conflict("VM " + name + ": " + r.error());
            }
        }
        return view(vm);
    }

    /** Asks every running worker for its heartbeat and publishes "heartbeat-lost" when it goes from ok to lost. */
    public void pollHeartbeats() {
        for (ManagedVm vm : vms.values()) {
            synchronized (vm) {
                if (vm.state != VmState.RUNNING) {
                    continue;
                }
                try {
                    ControlReply r = ControlChannel.call(vm.folder.controlSocket(), new ControlRequest.Status());
                    if ("ok".equals(vm.heartbeat) && "lost".equals(r.heartbeat())) {
                        events.publish(vm.name, "heartbeat-lost", vm.state, "no heartbeat from the guest for "
                                + dev.partita.vmms.worker.WorkerCommand.HEARTBEAT_MAX_AGE_MILLIS / 1000 + " s");
                    }
                    vm.heartbeat = r.heartbeat();
                } catch (ControlException e) {
                    LOG.log(System.Logger.Level.DEBUG, () -> vm.name + ": status failed: " + e.getMessage());
                }
            }
        }
    }

    /** The count of VMs in each state (for the metrics). */
    public Map<VmState, Long> countByState() {
        Map<VmState, Long> counts = new java.util.EnumMap<>(VmState.class);
        for (VmState s : VmState.values()) {
            counts.put(s, 0L);
        }
        for (ManagedVm vm : vms.values()) {
            synchronized (vm) {
                counts.merge(vm.state, 1L, Long::sum);
            }
        }
        return counts;
    }

    // ------------------------------------------------------------------ internals

    private void watch(ManagedVm vm, ProcessHandle worker) {
        worker.onExit().thenRun(() -> workerEnded(vm, worker));
    }

    private void workerEnded(ManagedVm vm, ProcessHandle worker) {
        synchronized (vm) {
            if (vm.worker == null || !vm.worker.equals(worker)) {
                return;
            }
            Optional<WorkerExit> exit = readExit(vm.folder);
            VmState next;
            String reason;
            if (exit.isPresent()) {
                next = exit.get().failed() ? VmState.FAILED : VmState.OFF;
                reason = exit.get().reason();
            } else {
                next = VmState.FAILED;
                reason = "the worker process " + worker.pid() + " died without a result" + exitStatus(vm.child);
                // Recorded where the worker would have, so that a restarted service still reports the failure.
                try {
                    JSON.writeValue(vm.folder.exitFile().toFile(), new WorkerExit(true, reason));
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.WARNING, vm.name + ": cannot record the failure: " + e.getMessage());
                }
            }
            vm.worker = null;
            vm.child = null;
            vm.startedAt = null;
            vm.heartbeat = "not-offered";
            try {
                Files.deleteIfExists(vm.folder.controlSocket());
                Files.deleteIfExists(vm.folder.pidFile());
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, vm.name + ": cannot clean up after the worker: " + e.getMessage());
            }
            setState(vm, next, reason);
        }
    }

    private static String exitStatus(Process child) {
        if (child == null) {
            return "";
        }
        try {
            child.waitFor(5, TimeUnit.SECONDS);
            int s = child.exitValue();
            return s > 128 ? " (killed by signal " + (s - 128) + ")" : " (exit status " + s + ")";
        } catch (InterruptedException | IllegalThreadStateException e) {
            return "";
        }
    }

    private void setState(ManagedVm vm, VmState state, String reason) {
        vm.state = state;
        vm.reason = reason;
        events.publish(vm.name, "state", state, reason);
    }

    private ControlReply call(ManagedVm vm, ControlRequest request) throws ServiceException {
        try {
            return ControlChannel.call(vm.folder.controlSocket(), request);
        } catch (ControlException e) {
            throw new ServiceException(500, "the worker of " + vm.name + " does not answer: " + e.getMessage(), e);
        }
    }

    private ManagedVm get(String name) throws ServiceException {
        VmNames.check(name);
        ManagedVm vm = vms.get(name);
        if (vm == null) {
            throw ServiceException.notFound("no VM named '" + name + "'");
        }
        return vm;
    }

    private static void requireState(ManagedVm vm, String verb, VmState... allowed) throws ServiceException {
        for (VmState s : allowed) {
            if (vm.state == s) {
                return;
            }
        }
        throw ServiceException.conflict("cannot " + verb + " VM '" + vm.name + "': it is " + vm.state.word());
    }

    private VmView view(ManagedVm vm) {
        synchronized (vm) {
            long uptime = vm.startedAt == null ? 0 : Math.max(0, Duration.between(vm.startedAt, Instant.now()).toSeconds());
            return new VmView(vm.name, vm.state.word(), vm.reason, uptime, vm.state.hasWorker() ? vm.heartbeat : "not-running",
                    VmSpecs.memory(vm.spec), VmSpecs.cpus(vm.spec), VmSpecs.backend(vm.spec).id(), vm.spec.disks(),
                    vm.worker == null ? 0 : vm.worker.pid());
        }
    }

    private static void writeDefinition(VmFolder folder, VmSpec spec) throws IOException {
        Path tmp = folder.dir().resolve("vm.json.tmp");
        JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), spec);
        Files.move(tmp, folder.definition(), java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** Whether process {@code h} runs {@code worker --vm-dir FOLDER} (its full argument list, from /proc). */
    static boolean isWorkerOf(ProcessHandle h, VmFolder folder) {
        try {
            String[] args = new String(Files.readAllBytes(Path.of("/proc", Long.toString(h.pid()), "cmdline")),
                    java.nio.charset.StandardCharsets.UTF_8).split("\0");
            for (int i = 0; i + 2 < args.length; i++) {
                if (args[i].equals("worker") && args[i + 1].equals("--vm-dir") && args[i + 2].equals(folder.dir().toString())) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    private static Optional<Long> readPid(VmFolder folder) {
        try {
            return Optional.of(Long.parseLong(Files.readString(folder.pidFile()).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Optional<WorkerExit> readExit(VmFolder folder) {
        try {
            return Files.exists(folder.exitFile()) ? Optional.of(JSON.readValue(folder.exitFile().toFile(), WorkerExit.class)) : Optional.empty();
        } catch (IOException e) {
            return Optional.of(new WorkerExit(true, "unreadable exit record: " + e.getMessage()));
        }
    }

    private static void awaitExit(ProcessHandle worker, Duration timeout) {
        try {
            worker.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            // still alive: the caller escalates
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

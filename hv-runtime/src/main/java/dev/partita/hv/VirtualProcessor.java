package dev.partita.hv;

import dev.partita.hv.cpuid.CpuidEntry;
import dev.partita.hv.exit.VcpuExit;
import dev.partita.hv.msr.MsrFault;
import dev.partita.hv.spi.BackendPartition;
import dev.partita.hv.spi.BackendVcpu;
import dev.partita.hv.vp.VpState;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One virtual processor: a platform thread that owns its backend vCPU and runs the exit loop.
 *
 * <p><b>Threads.</b> The processor's thread is the only one that touches the backend vCPU (apart
 * from {@link BackendVcpu#kick()}). Other threads steer it by messages: each public method puts a
 * command in the processor's queue (a {@link LinkedBlockingQueue}, which gives happens-before
 * from the sender to the processor thread) and kicks the vCPU out of guest mode; replies come back
 * through {@link CompletableFuture}s. There are no shared mutable fields apart from the volatile
 * {@link #status()} published for observers.
 *
 * <p><b>Lifecycle.</b> Created paused (the backend vCPU already exists); {@link #resume()} runs it;
 * {@link #pause()} returns once the processor has left guest mode; {@link #state()} and
 * {@link #setState} are answered between exits and are stable while paused. The partition stops
 * all processors when it ends.
 *
 * <p><b>Exit loop.</b> Port I/O and MMIO go to the partition's buses (completing reads in the
 * backend), MSR exits to its {@link dev.partita.hv.msr.MsrHandlerChain} (a fault becomes #GP),
 * hypercalls to its {@link HypercallHandler}; HLT parks the thread until a message or an
 * interrupt arrives; shutdown, entry failure and internal error end the partition with a report.
 * An exception from a device or the backend ends this partition only.
 */
public final class VirtualProcessor {
    /** Observable run status. */
    public enum Status { PAUSED, RUNNING, HALTED, STOPPED }

    private sealed interface Command {
        record Resume() implements Command { }
        record Pause(CompletableFuture<Void> done) implements Command { }
        record GetState(CompletableFuture<VpState> result) implements Command { }
        record SetState(VpState state, CompletableFuture<Void> done) implements Command { }
        record InstallCpuid(List<CpuidEntry> entries, CompletableFuture<Void> done) implements Command { }
        record Wake() implements Command { }
        record Stop() implements Command { }
    }

    /** The most exits one instruction may make while {@link #settle} finishes it (a REP string instruction makes many). */
    private static final int SETTLE_ROUNDS = 1 << 16;

    /** How long a waiting caller gives a kick before sending it again. */
    static final long REKICK_MILLIS = 50;

    private static final Command.Resume RESUME = new Command.Resume();
    private static final Command.Wake WAKE = new Command.Wake();
    private static final Command.Stop STOP = new Command.Stop();

    private final int index;
    private final Partition partition;
    private final LinkedBlockingQueue<Command> inbox = new LinkedBlockingQueue<>();
    private final CompletableFuture<BackendVcpu> created = new CompletableFuture<>();
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private final Thread thread;
    private volatile BackendVcpu kickTarget;
    private volatile Status status = Status.PAUSED;

    VirtualProcessor(Partition partition, BackendPartition backend, int index) {
        this.partition = partition;
        this.index = index;
        this.thread = Thread.ofPlatform().name("vp-" + partition.name() + "-" + index).daemon(true)
                .unstarted(() -> threadMain(backend));
    }

    /** Starts the thread and waits until the backend vCPU exists. */
    void create() {
        thread.start();
        try {
            created.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("vCPU " + index + " of " + partition.name() + " could not be created: "
                    + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating vCPU " + index, e);
        }
    }

    /** The 0-based index (0 = bootstrap processor). */
    public int index() {
        return index;
    }

    /** The current status as last published by the processor thread. */
    public Status status() {
        return status;
    }

    /** Lets the processor run guest code. Any thread; returns at once. */
    public void resume() {
        post(RESUME);
    }

    /** Stops running guest code; the future completes once the processor is out of guest mode. */
    public CompletableFuture<Void> pause() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        post(new Command.Pause(done));
        return done;
    }

    /**
     * The processor state, taken between two exits (stable while paused). Any thread; blocks up to
     * 10 s for the processor thread to answer. On the processor's own thread (a device, MSR or
     * hypercall handler serving this processor) it is read directly.
     */
    public VpState state() {
        if (Thread.currentThread() == thread) {
            return requireOwnVcpu().getState();
        }
        CompletableFuture<VpState> result = new CompletableFuture<>();
        post(new Command.GetState(result));
        return await(result, "get state");
    }

    /**
     * Replaces the processor state (null xsave/lapic keep theirs). Any thread; best while paused.
     * On the processor's own thread it is written directly; the backend first completes the exit
     * being handled, so a value supplied for that exit afterwards is dropped.
     */
    public void setState(VpState state) {
        if (Thread.currentThread() == thread) {
            requireOwnVcpu().setState(state);
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        post(new Command.SetState(state, done));
        await(done, "set state");
    }

    /** The backend vCPU, for calls made on this processor's own thread (a device or MSR handler). */
    private BackendVcpu requireOwnVcpu() {
        BackendVcpu vcpu = kickTarget;
        if (vcpu == null) {
            throw new IllegalStateException("vCPU " + index + " has no backend vCPU (stopped)");
        }
        return vcpu;
    }

    /** Installs the CPUID table this processor presents; before it first runs. */
    void installCpuid(List<CpuidEntry> entries) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        post(new Command.InstallCpuid(entries, done));
        await(done, "install CPUID");
    }

    /** Wakes the processor if it parked on HLT (an interrupt was raised). */
    void wake() {
        if (status == Status.HALTED) {
            post(WAKE);
        }
    }

    /**
     * Kicks the vCPU again without a new message: used while waiting for an answer, because a
     * kick can be lost on some hosts (seen under KVM PVM while the host emulates guest CPL0 code).
     */
    void rekick() {
        BackendVcpu target = kickTarget;
        if (target != null) {
            target.kick();
        }
    }

    /** Asks the thread to end; see {@link #awaitStopped}. */
    void stop() {
        post(STOP);
    }

    /** Waits until the thread has closed its vCPU and ended, kicking it again now and then. */
    boolean awaitStopped(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (true) {
            try {
                finished.get(Math.min(REKICK_MILLIS, millis), TimeUnit.MILLISECONDS);
                return true;
            } catch (TimeoutException e) {
                if (System.nanoTime() - deadline > 0) {
                    return false;
                }
                rekick();
            } catch (ExecutionException e) {
                return true;
            }
        }
    }

    private void post(Command command) {
        inbox.add(command);
        if (finished.isDone()) {
            failPending();
            return;
        }
        BackendVcpu target = kickTarget;
        if (target != null) {
            target.kick();
        }
    }

    private <T> T await(CompletableFuture<T> future, String what) {
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                try {
                    return future.get(REKICK_MILLIS, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    if (System.nanoTime() - deadline > 0) {
                        throw e;
                    }
                    rekick();
                }
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException(what + " on vCPU " + index + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(what + " on vCPU " + index + ": no answer within 10 s (processor stopped?)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + what, e);
        }
    }

    // ---------------------------------------------------------------- processor thread

    private void threadMain(BackendPartition backend) {
        BackendVcpu vcpu;
        try {
            vcpu = backend.createVcpu(index);
        } catch (Throwable t) {
            status = Status.STOPPED;
            created.completeExceptionally(t);
            finished.complete(null);
            return;
        }
        kickTarget = vcpu;
        created.complete(vcpu);
        try {
            loop(vcpu);
        } catch (Throwable t) {
            partition.end(new PartitionResult.Failed(PartitionResult.FailureKind.HOST_ERROR, index,
                    t.getClass().getSimpleName() + ": " + t.getMessage()), t);
        } finally {
            status = Status.STOPPED;
            kickTarget = null;
            try {
                vcpu.close();
            } finally {
                finished.complete(null);
                failPending(); // after finished: later posters drain the queue themselves
            }
        }
    }

    private void loop(BackendVcpu vcpu) throws InterruptedException {
        boolean running = false;
        boolean halted = false;
        while (true) {
            Command command = running && !halted ? inbox.poll() : inbox.take();
            if (command != null) {
                switch (command) {
                    case Command.Resume r -> {
                        running = true;
                        halted = false;
                    }
                    case Command.Wake w -> halted = false;
                    case Command.Pause p -> {
                        if (running) {
                            settle(vcpu);
                        }
                        running = false;
                        status = Status.PAUSED; // published before the pauser is released
                        p.done().complete(null);
                    }
                    case Command.GetState g -> answer(g.result(), vcpu::getState);
                    case Command.SetState s -> answer(s.done(), () -> {
                        vcpu.setState(s.state());
                        return null;
                    });
                    case Command.InstallCpuid c -> answer(c.done(), () -> {
                        vcpu.installCpuid(c.entries());
                        return null;
                    });
                    case Command.Stop s -> {
                        return;
                    }
                }
                status = !running ? Status.PAUSED : halted ? Status.HALTED : Status.RUNNING;
                continue;
            }
            if (dispatch(vcpu, vcpu.run())) {
                halted = true;
                status = Status.HALTED;
            }
        }
    }

    /**
     * Brings the processor to an instruction boundary before it pauses: a backend may finish the
     * instruction of the last exit only in its next {@link BackendVcpu#run()} (the emulator
     * re-executes it with the answer), so this kicks and runs until the backend reports the kick,
     * handling any exit the finishing instruction still makes. At most that one instruction runs.
     */
    private void settle(BackendVcpu vcpu) {
        for (int round = 0; round < SETTLE_ROUNDS; round++) {
            vcpu.kick();
            VcpuExit exit = vcpu.run();
            if (exit instanceof VcpuExit.Interrupted) {
                return;
            }
            dispatch(vcpu, exit);
            if (partition.hasEnded()) {
                return;
            }
        }
    }

    /** Handles one exit; returns true when the processor halted. */
    private boolean dispatch(BackendVcpu vcpu, VcpuExit exit) {
        switch (exit) {
            case VcpuExit.PortIo io -> {
                if (io.isWrite()) {
                    partition.ioBus().write(io.port(), io.size(), io.value());
                } else {
                    vcpu.completeRead(Integer.toUnsignedLong(partition.ioBus().read(io.port(), io.size())));
                }
            }
            case VcpuExit.Mmio m -> {
                if (m.isWrite()) {
                    partition.mmioBus().write(m.gpa(), m.size(), m.value());
                } else {
                    vcpu.completeRead(partition.mmioBus().read(m.gpa(), m.size()));
                }
            }
            case VcpuExit.MsrRead r -> {
                try {
                    vcpu.completeRead(partition.msrHandlers().read(index, r.index()));
                } catch (MsrFault f) {
                    vcpu.failMsrAccess();
                }
            }
            case VcpuExit.MsrWrite w -> {
                try {
                    partition.msrHandlers().write(index, w.index(), w.value());
                } catch (MsrFault f) {
                    vcpu.failMsrAccess();
                }
            }
            case VcpuExit.Hypercall h -> vcpu.completeRead(partition.hypercallHandler().call(index, h));
            case VcpuExit.Halt h -> {
                return true;
            }
            case VcpuExit.Interrupted i -> {
                // a message is waiting; the loop reads it
            }
            case VcpuExit.Shutdown s -> partition.end(new PartitionResult.TripleFault(index, s.detail(), registerReport(vcpu)), null);
            case VcpuExit.EntryFailure f -> partition.end(new PartitionResult.Failed(PartitionResult.FailureKind.ENTRY_FAILURE,
                    index, "reason 0x" + Long.toHexString(f.reason()) + ": " + f.description()), null);
            case VcpuExit.InternalError e -> partition.end(new PartitionResult.Failed(PartitionResult.FailureKind.INTERNAL_ERROR,
                    index, "suberror " + e.suberror() + ": " + e.description()), null);
            case VcpuExit.SystemEvent e -> partition.end(new PartitionResult.Stopped("guest requested " + e.type()), null);
        }
        return false;
    }

    private String registerReport(BackendVcpu vcpu) {
        try {
            return vcpu.getState().report();
        } catch (RuntimeException e) {
            return "(registers unavailable: " + e.getMessage() + ")";
        }
    }

    private interface StateCall<T> {
        T call();
    }

    private static <T> void answer(CompletableFuture<T> future, StateCall<T> call) {
        try {
            future.complete(call.call());
        } catch (RuntimeException e) {
            future.completeExceptionally(e);
        }
    }

    private void failPending() {
        for (Command c; (c = inbox.poll()) != null; ) {
            IllegalStateException gone = new IllegalStateException("vCPU " + index + " has stopped");
            switch (c) {
                case Command.Pause p -> p.done().complete(null);
                case Command.GetState g -> g.result().completeExceptionally(gone);
                case Command.SetState s -> s.done().completeExceptionally(gone);
                case Command.InstallCpuid i -> i.done().completeExceptionally(gone);
                case Command.Resume r -> { }
                case Command.Wake w -> { }
                case Command.Stop s -> { }
            }
        }
    }
}

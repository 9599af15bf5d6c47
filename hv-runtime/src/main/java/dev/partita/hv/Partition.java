package dev.partita.hv;

import dev.partita.hv.bus.IoBus;
import dev.partita.hv.bus.MmioBus;
import dev.partita.hv.cpuid.CpuidModel;
import dev.partita.hv.cpuid.CpuidProfile;
import dev.partita.hv.memory.GuestMemory;
import dev.partita.hv.msr.MsrHandlerChain;
import dev.partita.hv.spi.BackendPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A child partition: its RAM ({@link GuestMemory}), port and MMIO buses, MSR handler chain,
 * hypercall handler, interrupt lines and virtual processors, on one backend. Created by
 * {@link Hypervisor#createPartition}; created paused with every processor in the reset state of
 * {@link dev.partita.hv.vp.VpState#builder()} until a loader sets it.
 *
 * <p><b>Lifecycle.</b> {@link #start()} runs all processors; {@link #pause()}/{@link #resume()};
 * the partition <em>ends</em> exactly once, with the first of: the guest's debug exit
 * ({@link #exit(int)}), a triple fault, a backend failure, a host error in one of its threads,
 * {@link #stop()}, or the timeout of {@link #awaitExit}. Ending stops every processor; the
 * {@link PartitionResult} says why. {@link #close()} then frees the backend and RAM.
 *
 * <p><b>Isolation.</b> Each partition has its own threads, memory, buses and backend objects; an
 * exception in one of its devices or processors ends that partition only.
 *
 * <p><b>Threads.</b> All methods are thread-safe. Attach devices before {@link #start()} (the
 * buses accept later registrations too).
 */
public final class Partition implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Partition.class.getName());
    /** How long ending a partition waits for each processor thread. */
    private static final long STOP_WAIT_MILLIS = 10_000;

    private final PartitionConfig config;
    private final String backendName;
    private final GuestMemory memory;
    private final BackendPartition backend;
    private final IoBus ioBus = new IoBus();
    private final MmioBus mmioBus;
    private final MsrHandlerChain msrHandlers = new MsrHandlerChain();
    private final List<VirtualProcessor> processors;
    private final AtomicReference<PartitionResult> result = new AtomicReference<>();
    private final CompletableFuture<PartitionResult> ended = new CompletableFuture<>();
    private volatile HypercallHandler hypercallHandler = (vp, call) -> HypercallHandler.HV_STATUS_INVALID_HYPERCALL_CODE;
    private volatile boolean started;
    private volatile boolean closed;

    Partition(PartitionConfig config, String backendName, GuestMemory memory, BackendPartition backend) {
        this.config = config;
        this.backendName = backendName;
        this.memory = memory;
        this.backend = backend;
        this.mmioBus = new MmioBus(memory.regions().stream()
                .map(r -> new dev.partita.hv.bus.AddressRange(r.gpa(), r.size())).toList());
        memory.setDirtyLogSource(backend::harvestDirtyPages);
        List<VirtualProcessor> vps = new ArrayList<>();
        try {
            for (int i = 0; i < config.cpus(); i++) {
                VirtualProcessor vp = new VirtualProcessor(this, backend, i);
                vps.add(vp);
                vp.create();
            }
            this.processors = List.copyOf(vps);
            installCpuid(CpuidModel.builder(backend.cpuidProfile()).vcpus(config.cpus()).build());
        } catch (RuntimeException e) {
            for (VirtualProcessor vp : vps) {
                vp.stop();
            }
            try {
                for (VirtualProcessor vp : vps) {
                    vp.awaitStopped(STOP_WAIT_MILLIS); // their vCPUs must be closed before the caller closes the backend
                }
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            throw e;
        }
    }

    public String name() {
        return config.name();
    }

    public PartitionConfig config() {
        return config;
    }

    /** Name of the backend running this partition ("kvm", "emulator"). */
    public String backendName() {
        return backendName;
    }

    public GuestMemory memory() {
        return memory;
    }

    public IoBus ioBus() {
        return ioBus;
    }

    public MmioBus mmioBus() {
        return mmioBus;
    }

    public MsrHandlerChain msrHandlers() {
        return msrHandlers;
    }

    /** The CPUID leaves the backend can present (the base of any {@link CpuidModel} installed here). */
    public CpuidProfile cpuidProfile() {
        return backend.cpuidProfile();
    }

    /** The guest's TSC as the backend exposes it (for the Hyper-V reference TSC page), if it does. Any thread. */
    public java.util.Optional<dev.partita.hv.spi.GuestTsc> guestTsc() {
        return backend.guestTsc();
    }

    /** Remote TLB invalidation for the Hyper-V flush hypercalls, if the backend offers it. Any thread. */
    public java.util.Optional<dev.partita.hv.spi.RemoteTlbFlush> remoteTlbFlush() {
        return backend.remoteTlbFlush();
    }

    public HypercallHandler hypercallHandler() {
        return hypercallHandler;
    }

    /** Installs the hypercall handler (replaces the default, which answers HV_STATUS_INVALID_HYPERCALL_CODE). */
    public void setHypercallHandler(HypercallHandler handler) {
        this.hypercallHandler = Objects.requireNonNull(handler);
    }

    /** The virtual processors, index order. */
    public List<VirtualProcessor> processors() {
        return processors;
    }

    public VirtualProcessor processor(int index) {
        return processors.get(index);
    }

    /**
     * Installs a CPUID model: each processor gets {@code model.entries(index)}. The partition
     * installs the backend's profile with default topology at creation; call this before
     * {@link #start()} to present something else.
     */
    public void installCpuid(CpuidModel model) {
        if (model.vcpuCount() < processors.size()) {
            throw new IllegalArgumentException("CPUID model describes " + model.vcpuCount() + " vCPUs, partition has " + processors.size());
        }
        for (VirtualProcessor vp : processors) {
            vp.installCpuid(model.entries(vp.index()));
        }
    }

    // ---------------------------------------------------------------- interrupts

    /** Drives interrupt line {@code gsi} high (level-triggered sources stay high until {@link #lowerGsi}). */
    public void raiseGsi(int gsi) {
        backend.setGsiLevel(gsi, true);
        wakeHalted();
    }

    /** Drives interrupt line {@code gsi} low. */
    public void lowerGsi(int gsi) {
        backend.setGsiLevel(gsi, false);
    }

    /** Raises then lowers {@code gsi}: one edge. */
    public void pulseGsi(int gsi) {
        backend.setGsiLevel(gsi, true);
        backend.setGsiLevel(gsi, false);
        wakeHalted();
    }

    /** Delivers an MSI: a write of {@code data} to {@code address} (0xFEExxxxx). */
    public void signalMsi(long address, int data) {
        backend.signalMsi(address, data);
        wakeHalted();
    }

    /** Sends fixed interrupt {@code vector} (32-255) to the processor with APIC ID {@code apicId} (physical destination, edge). */
    public void sendInterrupt(int apicId, int vector) {
        if (apicId < 0 || apicId > 0xFF || vector < 16 || vector > 0xFF) {
            throw new IllegalArgumentException("bad interrupt target apic=" + apicId + " vector=" + vector);
        }
        signalMsi(0xFEE0_0000L | ((long) apicId << 12), vector);
    }

    private void wakeHalted() {
        for (VirtualProcessor vp : processors) {
            vp.wake();
        }
    }

    // ---------------------------------------------------------------- dirty pages

    /** Starts or stops dirty-page tracking (host writes through {@link GuestMemory} and guest writes). */
    public void setDirtyTracking(boolean on) {
        backend.setDirtyLogging(on);
        memory.setDirtyTracking(on);
    }

    // ---------------------------------------------------------------- saved state

    /**
     * The backend's platform state (interrupt controllers, timers, clock) as bytes in that
     * backend's format; see {@link BackendPartition#savePlatformState()}. Pause the partition first.
     */
    public byte[] savePlatformState() {
        return backend.savePlatformState();
    }

    /** Restores {@link #savePlatformState()} output of the same backend, paused or before {@link #start()}. */
    public void restorePlatformState(byte[] state) {
        backend.restorePlatformState(state);
    }

    /** Whether {@link #start()} has been called. */
    public boolean isStarted() {
        return started;
    }

    // ---------------------------------------------------------------- lifecycle

    /** Runs all processors. Once; later calls throw. */
    public synchronized void start() {
        if (started) {
            throw new IllegalStateException("partition " + name() + " already started");
        }
        requireNotEnded("start");
        started = true;
        for (VirtualProcessor vp : processors) {
            vp.resume();
        }
    }

    /** Takes every processor out of guest mode; returns once all are paused (or the partition ended). */
    public void pause() {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (VirtualProcessor vp : processors) {
            all.add(vp.pause());
        }
        CompletableFuture<Void> everyone = CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try {
            while (true) {
                try {
                    everyone.get(VirtualProcessor.REKICK_MILLIS, TimeUnit.MILLISECONDS);
                    break;
                } catch (TimeoutException e) {
                    if (System.nanoTime() - deadline > 0) {
                        throw e;
                    }
                    for (VirtualProcessor vp : processors) {
                        vp.rekick();
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while pausing " + name(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("pausing " + name() + " failed: " + e, e);
        }
    }

    /** Lets every processor run again after {@link #pause()}. */
    public void resume() {
        requireNotEnded("resume");
        for (VirtualProcessor vp : processors) {
            vp.resume();
        }
    }

    /** Ends the partition with exit code {@code code} (the debug-exit device calls this). Any thread. */
    public void exit(int code) {
        end(new PartitionResult.Exited(code), null);
    }

    /**
     * Ends the partition because the guest reported a crash (the Hyper-V crash MSRs), unless it
     * already ended. Any thread (the reporting processor's, typically).
     */
    public void guestCrashed(PartitionResult.GuestCrashed crash) {
        end(Objects.requireNonNull(crash, "crash"), null);
    }

    /** Ends the partition as {@link PartitionResult.Stopped} (if it has not ended) and waits for its processors. */
    public PartitionResult stop() {
        end(new PartitionResult.Stopped("stopped by host"), null);
        return awaitProcessors();
    }

    /** Whether the partition has ended. */
    public boolean hasEnded() {
        return ended.isDone();
    }

    /**
     * Waits until the partition ends. If it has not ended within {@code timeout}, ends it as
     * {@link PartitionResult.TimedOut}. Returns the result after all processors have stopped.
     */
    public PartitionResult awaitExit(Duration timeout) {
        try {
            ended.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            end(new PartitionResult.TimedOut(timeout), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            end(new PartitionResult.Stopped("interrupted while waiting"), null);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
        return awaitProcessors();
    }

    /** The result, or null while the partition runs. */
    public PartitionResult result() {
        return result.get();
    }

    /** Ends the partition with {@code why} unless it already ended; first caller wins. Any thread. */
    void end(PartitionResult why, Throwable cause) {
        if (!result.compareAndSet(null, why)) {
            return;
        }
        if (cause != null) {
            LOG.log(System.Logger.Level.WARNING, "partition " + name() + " failed: " + why.report(), cause);
        }
        for (VirtualProcessor vp : processors == null ? List.<VirtualProcessor>of() : processors) {
            vp.stop();
        }
        ended.complete(why);
    }

    private PartitionResult awaitProcessors() {
        try {
            for (VirtualProcessor vp : processors) {
                if (!vp.awaitStopped(STOP_WAIT_MILLIS)) {
                    LOG.log(System.Logger.Level.WARNING, "vCPU " + vp.index() + " of " + name() + " did not stop within "
                            + STOP_WAIT_MILLIS + " ms (stuck in the backend; its resources are released on close)");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return result.get();
    }

    private void requireNotEnded(String op) {
        if (ended.isDone()) {
            throw new IllegalStateException("cannot " + op + " partition " + name() + ": it has ended (" + result.get().report() + ")");
        }
    }

    /** Ends the partition if needed, then releases processors, backend and RAM. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stop();
        backend.close();
        memory.close();
    }
}

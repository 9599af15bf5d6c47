package dev.partita.hv.hyperv;

import dev.partita.hv.Partition;
import dev.partita.hv.cpuid.CpuidModel;
import dev.partita.hv.cpuid.CpuidTopology;
import dev.partita.hv.memory.GuestMemory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The Hyper-V guest interface of one partition, implemented once in user space for every
 * backend: CPUID leaves 0x40000000+ ({@link HyperVCpuidLeaves}), the synthetic MSRs, the
 * hypercall page ({@link HypercallPage}: KVM traps through a private port, the emulator executes
 * VMCALL) and the hypercall dispatcher (HvPostMessage, HvSignalEvent), and the SynIC
 * ({@link #synic()}); and the optional {@link Enlightenments}: partition reference time with the
 * reference TSC page ({@link ReferenceTscPage}, where the backend exposes its guest TSC), the
 * synthetic timers ({@link SyntheticTimers}), the crash MSRs ({@link CrashRegisters}, which end
 * the partition with {@link dev.partita.hv.PartitionResult.GuestCrashed}), and the TLB flush
 * ({@link TlbFlushHypercalls}, where the backend offers a remote TLB flush) and IPI
 * ({@link IpiHypercalls}) hypercalls.
 *
 * <p><b>Wiring.</b> {@link #attach(Partition)} installs the CPUID leaves on every processor, adds
 * the synthetic-MSR handler to the partition's {@link dev.partita.hv.msr.MsrHandlerChain} (KVM
 * routes MSRs 0x40000000-0x400001FF to user space with an MSR filter; the emulator asks the
 * chain for every MSR it does not own), and installs the dispatcher as the partition's
 * {@link dev.partita.hv.HypercallHandler} (the run loop passes a {@code VcpuExit.Hypercall} to
 * it and writes its result to RAX through {@code BackendVcpu.completeRead}). SINT interrupts go
 * out as fixed MSIs through {@link Partition#sendInterrupt}.
 *
 * <p><b>Threads.</b> All methods are thread-safe. Guest-side calls run on the processors'
 * threads; {@link #synic()} may be used from any host thread.
 */
public final class HyperV {
    private final Partition partition;
    private final GuestMemory memory;
    private final ConcurrentMap<Integer, SynicConnectionHandler> connections = new ConcurrentHashMap<>();
    private final SynIc synic;
    private final SyntheticMsrs msrs;
    private final ReferenceClock clock;
    private final HypercallDispatcher dispatcher;
    private final HyperVCpuidLeaves leaves;
    private final Enlightenments offered;
    /** The reference TSC page, or null when not offered. */
    private final ReferenceTscPage tscPage;
    /** The synthetic timers, or null when not offered. */
    private final SyntheticTimers timers;
    /** The crash MSRs, or null when not offered. */
    private final CrashRegisters crash;

    private HyperV(Partition partition, Enlightenments wanted) {
        this.partition = partition;
        this.memory = partition.memory();
        int vps = partition.processors().size();
        InterruptSink interrupts = (vp, vector) -> partition.sendInterrupt(CpuidTopology.apicId(vp), vector);
        this.synic = new SynIc(memory, vps, interrupts);
        this.clock = partition.guestTsc().map(ReferenceClock::fromTsc).orElseGet(ReferenceClock::hostClock);
        this.msrs = new SyntheticMsrs(memory, synic, HypercallPage.forBackend(partition.backendName()), clock);
        TlbFlushHypercalls flushes = wanted.tlbFlush()
                ? partition.remoteTlbFlush().map(f -> new TlbFlushHypercalls(memory, vps, f)).orElse(null) : null;
        IpiHypercalls ipis = wanted.ipi() ? new IpiHypercalls(memory, vps, interrupts) : null;
        this.dispatcher = new HypercallDispatcher(memory, connections, flushes, ipis);
        this.tscPage = wanted.referenceTime() && clock.tscBased() ? new ReferenceTscPage(memory, clock) : null;
        this.timers = wanted.syntheticTimers() ? new SyntheticTimers(vps, clock, TimerExpiry.through(synic, interrupts)) : null;
        this.crash = wanted.crashReports() ? new CrashRegisters(memory, partition::guestCrashed) : null;
        this.offered = new Enlightenments(tscPage != null, timers != null, crash != null, flushes != null, ipis != null);
        this.leaves = new HyperVCpuidLeaves(offered, tscPage != null);
    }

    /** {@link #attach(Partition, Enlightenments)} with every enlightenment the backend supports. */
    public static HyperV attach(Partition partition) {
        return attach(partition, Enlightenments.ALL);
    }

    /**
     * Makes {@code partition} a Hyper-V partition with the base interface and the
     * {@code enlightenments} the backend can provide ({@link #enlightenments()} says which):
     * installs a CPUID model of the backend's profile with the Hyper-V leaves on every processor,
     * adds the synthetic-MSR handlers to the MSR chain and installs the hypercall dispatcher. Call once, before {@link Partition#start()} (KVM
     * refuses CPUID changes after a processor ran). A later {@link Partition#installCpuid} must
     * include {@link #cpuidLeaves()} to keep the interface visible.
     *
     * @throws IllegalStateException if the interface is already attached to this partition
     */
    public static HyperV attach(Partition partition, Enlightenments enlightenments) {
        Objects.requireNonNull(partition, "partition");
        Objects.requireNonNull(enlightenments, "enlightenments");
        if (partition.hypercallHandler() instanceof HypercallDispatcher) {
            throw new IllegalStateException("partition " + partition.name() + " already has the Hyper-V interface attached");
        }
        HyperV hv = new HyperV(partition, enlightenments);
        partition.installCpuid(CpuidModel.builder(partition.cpuidProfile())
                .vcpus(partition.processors().size()).leafRange(hv.leaves).build());
        partition.msrHandlers().add(hv.msrs);
        if (hv.tscPage != null) {
            partition.msrHandlers().add(hv.tscPage);
        }
        if (hv.timers != null) {
            partition.msrHandlers().add(hv.timers);
        }
        if (hv.crash != null) {
            partition.msrHandlers().add(hv.crash);
        }
        partition.setHypercallHandler(hv.dispatcher);
        return hv;
    }

    /** The partition this interface belongs to. */
    public Partition partition() {
        return partition;
    }

    /** The enlightenments this partition offers (those asked for that the backend can provide). */
    public Enlightenments enlightenments() {
        return offered;
    }

    /** TLB flush hypercalls the guest made so far (0 when not offered). Any thread. */
    public long flushHypercalls() {
        return dispatcher.flushCalls();
    }

    /** IPI hypercalls the guest made so far (0 when not offered). Any thread. */
    public long ipiHypercalls() {
        return dispatcher.ipiCalls();
    }

    /**
     * Stops the synthetic timers (no expiry reaches the partition afterwards). Call before closing
     * the partition; idempotent, any thread.
     */
    public void close() {
        if (timers != null) {
            timers.close();
        }
    }

    /** The CPUID leaf range to add to any CPUID model installed on this partition later. */
    public HyperVCpuidLeaves cpuidLeaves() {
        return leaves;
    }

    /**
     * The partition reference time now: what the guest reads from TIME_REF_COUNT (100 ns units since
     * attach, continued across restore). Any thread; for VSPs that send reference times (time sync).
     */
    public long referenceTime() {
        return clock.now();
    }

    /** Host-to-guest delivery (messages and event flags). */
    public SynicDelivery synic() {
        return synic;
    }

    /** Which hypercall page this partition's guests get. */
    public HypercallPage hypercallPage() {
        return HypercallPage.forBackend(partition.backendName());
    }

    /**
     * Routes the guest's HvPostMessage and HvSignalEvent calls for {@code connectionId} to
     * {@code handler}. Any thread, also while the partition runs (the dispatcher reads a
     * concurrent map, so the registration is visible to every later call).
     *
     * @throws IllegalStateException if another handler is registered for that id
     */
    public void registerConnection(int connectionId, SynicConnectionHandler handler) {
        Objects.requireNonNull(handler, "handler");
        SynicConnectionHandler old = connections.putIfAbsent(connectionId, handler);
        if (old != null && old != handler) {
            throw new IllegalStateException("connection id " + connectionId + " already has a handler");
        }
    }

    /** Removes the handler of {@code connectionId}; later calls for it answer INVALID_CONNECTION_ID. Returns whether one was registered. */
    public boolean unregisterConnection(int connectionId) {
        return connections.remove(connectionId) != null;
    }

    // ---------------------------------------------------------------- checkpoints

    /** The guest-visible state now. Consistent when the partition is paused; any thread. */
    public HyperVState state() {
        List<HyperVState.Processor> ps = new ArrayList<>();
        for (int vp = 0; vp < synic.processorCount(); vp++) {
            ps.add(timers == null
                    ? new HyperVState.Processor(msrs.vpAssistPage(vp), synic.processor(vp).save())
                    : new HyperVState.Processor(msrs.vpAssistPage(vp), synic.processor(vp).save(), timers.save(vp)));
        }
        return new HyperVState(msrs.guestOsId(), msrs.hypercall(), msrs.tscInvariantControl(), clock.now(), ps,
                tscPage == null ? 0 : tscPage.msr(), crash == null ? new long[5] : crash.parameters());
    }

    /** {@link #state()} as a versioned, checksummed record ({@link HyperVStateCodec}). */
    public byte[] saveState() {
        return HyperVStateCodec.encode(state());
    }

    /**
     * Replaces the guest-visible state (while the partition is paused or not started). Guest
     * memory is restored separately; the hypercall page is not rewritten. Restore the processors'
     * states first: the reference time continues from the saved value, computed from the guest's
     * TSC as restored, and the reference TSC page is rewritten with the new offset. Armed synthetic
     * timers continue towards their saved deadlines. Registers of an enlightenment this partition
     * does not offer are ignored.
     *
     * @throws IllegalArgumentException if the record is damaged, of another version, for another processor count,
     *                                  or holds a value no MSR write could leave (a page outside RAM, a reserved
     *                                  bit, an unmasked SINT vector below 16); the state is then unchanged
     */
    public void restoreState(byte[] record) {
        restore(HyperVStateCodec.decode(record));
    }

    /** Like {@link #restoreState(byte[])} from a decoded state; checks every value before changing any. */
    public void restore(HyperVState state) {
        if (state.processors().size() != synic.processorCount()) {
            throw new IllegalArgumentException("Hyper-V state for " + state.processors().size() + " processors, partition has "
                    + synic.processorCount());
        }
        long[] assist = new long[state.processors().size()];
        for (int vp = 0; vp < assist.length; vp++) {
            assist[vp] = state.processors().get(vp).vpAssistPage();
            SynicProcessor.checkRestorable(vp, state.processors().get(vp).synic(), memory);
        }
        msrs.checkRestorable(state.hypercall(), state.tscInvariantControl(), assist);
        for (int vp = 0; vp < assist.length; vp++) {
            List<TimerSnapshot> saved = state.processors().get(vp).timers();
            for (int t = 0; t < saved.size(); t++) {
                TimerSnapshot timer = saved.get(t);
                long reserved = timer.config() & ~SyntheticTimer.WRITABLE;
                if (reserved != 0) {
                    throw new IllegalArgumentException("Hyper-V state: STIMER" + t + "_CONFIG of vCPU " + vp
                            + " has reserved bits 0x" + Long.toHexString(reserved));
                }
                boolean armable = (timer.config() & SyntheticTimer.ENABLE) != 0 && timer.count() != 0;
                if (timer.deadline() != TimerSnapshot.DISARMED && (!armable || timer.deadline() < 0)) {
                    throw new IllegalArgumentException("Hyper-V state: STIMER" + t + " of vCPU " + vp
                            + " has a deadline but is not armed");
                }
            }
        }
        for (int vp = 0; vp < assist.length; vp++) {
            synic.processor(vp).restore(state.processors().get(vp).synic());
        }
        msrs.restore(state.guestOsId(), state.hypercall(), state.tscInvariantControl(), assist);
        clock.resumeAt(state.referenceTime());
        if (tscPage != null) {
            tscPage.restore(state.referenceTsc());
            tscPage.refresh();
        }
        if (crash != null) {
            crash.restore(state.crashParameters());
        }
        if (timers != null) {
            for (int vp = 0; vp < assist.length; vp++) {
                timers.restore(vp, state.processors().get(vp).timers());
            }
        }
    }
}

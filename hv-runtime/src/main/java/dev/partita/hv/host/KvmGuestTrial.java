package dev.partita.hv.host;

import dev.partita.hv.kvm.sys.KvmVcpu;
import java.nio.file.Path;

/**
 * The functional test: one VM, one vCPU, the guests of {@link ProbeGuestImage}, run on a platform thread
 * of its own while the calling thread watches the clock. A KVM_RUN that does not return within
 * {@link #RUN_TIMEOUT_NANOS} is kicked ({@link KvmVcpu#kick()}) and its step reported as timed out; if
 * even that does not stop the vCPU thread, it is abandoned (a daemon thread) and the probe still returns.
 *
 * <p>Loop sizes adapt to the host: each counted loop is first run with small counts, growing until one
 * run lasts {@link #CALIBRATE_NANOS}, then once sized for {@link #MEASURE_NANOS}. On hardware
 * virtualization and on PVM alike the whole test takes about one to two seconds. The whole-test limit is
 * enforced twice: the watching thread kicks a KVM_RUN in progress, and the vCPU thread enters no KVM_RUN
 * once the limit has passed (so the cut holds even when the watching thread is not scheduled in time).
 *
 * <p>Thread-safe: each {@link #run(Path)} uses its own VM and threads.
 */
public final class KvmGuestTrial implements GuestTrial {

    static final System.Logger LOG = System.getLogger(KvmGuestTrial.class.getName());

    /** Longest a single KVM_RUN may take before it is kicked. */
    static final long RUN_TIMEOUT_NANOS = 3_000_000_000L;
    /** Longest the whole test may take before the vCPU thread is abandoned. */
    static final long TOTAL_TIMEOUT_NANOS = 20_000_000_000L;
    static final long CALIBRATE_NANOS = 20_000_000L;
    static final long MEASURE_NANOS = 250_000_000L;
    static final int OUT_WARMUP = 100;
    static final int OUT_SAMPLES = 2000;
    static final long OUT_BUDGET_NANOS = 1_000_000_000L;
    /** Where KVM may put its real-mode TSS on Intel hosts: three pages just below the BIOS area at 4 GiB. */
    static final long TSS_ADDR = 0xFFFB_D000L;
    /** ECX is 32 bits in the real-mode loop; the 64-bit loop is held to the same bound. */
    static final long MAX_ITERATIONS = 0xFFFF_FFFFL;

    /** How long a stopped vCPU thread may take to end after the final kick before it is abandoned. */
    static final long KICK_GRACE_NANOS = 1_000_000_000L;

    /**
     * The trial's limits.
     *
     * @param runTimeoutNanos   longest a single KVM_RUN may take before it is kicked
     * @param totalTimeoutNanos longest the whole test may take
     * @param kickGraceNanos    how long the vCPU thread may take to end after the final kick
     * @param loopIterations    iterations of each measured loop; 0 sizes them by calibration (tests fix a count
     *                          no host can finish quickly, to see the limits act)
     */
    record Limits(long runTimeoutNanos, long totalTimeoutNanos, long kickGraceNanos, long loopIterations) {
        static final Limits DEFAULT = new Limits(RUN_TIMEOUT_NANOS, TOTAL_TIMEOUT_NANOS, KICK_GRACE_NANOS, 0);
    }

    private final Limits limits;

    /** A trial with the default time limits. */
    public KvmGuestTrial() {
        this(Limits.DEFAULT);
    }

    /** A trial with other limits (tests). */
    KvmGuestTrial(Limits limits) {
        this.limits = limits;
    }

    @Override
    public GuestTrialResult run(Path device) {
        long start = System.nanoTime();
        GuestTrialSession progress = new GuestTrialSession(limits.runTimeoutNanos(), start + limits.totalTimeoutNanos(),
                limits.loopIterations());
        Thread worker = Thread.ofPlatform().daemon().name("partita-probe-vcpu").unstarted(() -> progress.runAll(device));
        worker.start();
        boolean abandoned = false;
        try {
            while (worker.isAlive()) {
                worker.join(20);
                long now = System.nanoTime();
                progress.kickIfOverdue(now);
                if (now - start > limits.totalTimeoutNanos() && worker.isAlive()) {
                    progress.forceKick();
                    worker.join(Math.max(1, limits.kickGraceNanos() / 1_000_000));
                    abandoned = worker.isAlive();
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            progress.forceKick();
            progress.problem("interrupted while waiting for the guest");
        }
        if (abandoned) {
            progress.problem("the vCPU thread did not stop after a kick; abandoned (its VM stays open until exit)");
        }
        return progress.result();
    }
}

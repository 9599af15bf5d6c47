package dev.partita.hv.host;

import dev.partita.hv.kvm.sys.Kvm;
import dev.partita.hv.kvm.sys.KvmException;
import dev.partita.hv.kvm.sys.KvmVcpu;
import dev.partita.hv.kvm.sys.KvmVm;
import dev.partita.hv.memory.GuestMemory;
import dev.partita.nativebindings.kvm.Kvm_h;
import dev.partita.nativebindings.kvm.kvm_regs;
import dev.partita.nativebindings.kvm.kvm_run;
import dev.partita.nativebindings.kvm.kvm_sregs;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One run of the functional test on the vCPU thread: opens the device, builds the VM and its memory,
 * runs the guests of {@link ProbeGuestImage} and records what it measured. The watching thread
 * ({@link KvmGuestTrial}) reads the KVM_RUN start time and may {@link #kickIfOverdue kick} or
 * {@link #forceKick cancel}; results are read with {@link #result()} (under this object's lock).
 */
final class GuestTrialSession {

    /** A measuring step: instructions per second, or why not. */
    @FunctionalInterface
    private interface Measurement {
        double run() throws StepFailed;
    }

    /** A step that cannot go on: its message becomes a problem line. */
    private static final class StepFailed extends Exception {
        StepFailed(String message) {
            super(message);
        }
    }

    // Shared with the watching thread: the vCPU, the KVM_RUN start time and the kick/cancel flags are
    // volatile; results are written and read under this object's lock.
    private final long runTimeoutNanos;
    private final long deadlineNanos;
    private final long loopIterations;
    private volatile KvmVcpu vcpu;
    private volatile long runStartedNanos; // 0 = not inside KVM_RUN
    private volatile boolean kickedForTimeout;
    private volatile boolean cancelled; // the whole test ran out of time: no further KVM_RUN

    private boolean vmCreated;
    private boolean guestReached;
    private OptionalDouble exitMicros = OptionalDouble.empty();
    private int exitSamples;
    private OptionalDouble cpl0Ips = OptionalDouble.empty();
    private OptionalDouble cpl0LongIps = OptionalDouble.empty();
    private OptionalDouble cpl3Ips = OptionalDouble.empty();
    private final List<String> problems = new ArrayList<>();

    /**
     * @param runTimeoutNanos longest one KVM_RUN may take before the watching thread kicks it
     * @param deadlineNanos   {@link System#nanoTime()} after which no KVM_RUN is entered
     * @param loopIterations  iterations of each measured loop, or 0 to size them by calibration
     */
    GuestTrialSession(long runTimeoutNanos, long deadlineNanos, long loopIterations) {
        this.runTimeoutNanos = runTimeoutNanos;
        this.deadlineNanos = deadlineNanos;
        this.loopIterations = loopIterations;
    }

    synchronized void problem(String line) {
        problems.add(line);
    }

    synchronized GuestTrialResult result() {
        return new GuestTrialResult(Optional.empty(), vmCreated, guestReached, exitMicros, exitSamples,
                cpl0Ips, cpl0LongIps, cpl3Ips, List.copyOf(problems));
    }

    /** Watching thread: kicks a KVM_RUN that started more than the run timeout before {@code now}. */
    void kickIfOverdue(long now) {
        long started = runStartedNanos;
        KvmVcpu v = vcpu;
        if (v != null && started != 0 && now - started > runTimeoutNanos && !kickedForTimeout) {
            kickedForTimeout = true;
            v.kick();
        }
    }

    /** Watching thread: stops the vCPU now, inside KVM_RUN or at its next entry (the step reports a timeout). */
    void forceKick() {
        KvmVcpu v = vcpu;
        cancelled = true;
        if (v != null) {
            kickedForTimeout = true;
            v.kick();
        }
    }

    /** vCPU thread: the whole test. */
    void runAll(Path device) {
        try (Kvm kvm = Kvm.open(device);
             GuestMemory ram = GuestMemory.allocate(ProbeGuestImage.RAM_SIZE);
             KvmVm vm = kvm.createVm()) {
            MemorySegment image = ram.segment(0, ProbeGuestImage.RAM_SIZE);
            ProbeGuestImage.install(image);
            vm.setUserMemoryRegion(0, 0, 0, ProbeGuestImage.RAM_SIZE, image);
            try {
                // Intel CPUs without "unrestricted guest" need three pages for real mode; elsewhere a no-op.
                vm.setTssAddr(KvmGuestTrial.TSS_ADDR);
            } catch (KvmException e) {
                KvmGuestTrial.LOG.log(System.Logger.Level.DEBUG, () -> "KVM_SET_TSS_ADDR refused (" + e.getMessage() + "); continuing");
            }
            try (KvmVcpu v = vm.createVcpu(0); Arena arena = Arena.ofConfined()) {
                synchronized (this) {
                    vmCreated = true;
                }
                vcpu = v;
                MemorySegment sregs = kvm_sregs.allocate(arena);
                MemorySegment regs = kvm_regs.allocate(arena);
                steps(v, sregs, regs);
            } finally {
                vcpu = null;
            }
        } catch (KvmException | IllegalArgumentException | IllegalStateException e) {
            problem(e.getMessage());
        } catch (RuntimeException e) {
            problem("unexpected " + e);
        }
    }

    private void steps(KvmVcpu v, MemorySegment sregs, MemorySegment regs) {
        v.getSregs(sregs);
        ProbeGuestStates.realMode(sregs);
        v.setSregs(sregs);
        try {
            measureOutExits(v, regs);
        } catch (StepFailed e) {
            problem("port-I/O guest: " + e.getMessage());
            return; // nothing else can work if this did not
        }
        OptionalDouble realCpl0 = step("CPL0 loop (real mode)", () ->
                measureLoop(v, regs, ProbeGuestImage.CPL0_LOOP_IP, ProbeGuestStates.RFLAGS_FIXED));
        OptionalDouble user = step("CPL3 loop (long mode)", () -> {
            v.getSregs(sregs);
            ProbeGuestStates.longModeUser(sregs);
            v.setSregs(sregs);
            return measureLoop(v, regs, ProbeGuestImage.LONG_MODE_LOOP_RIP,
                    ProbeGuestStates.RFLAGS_FIXED | ProbeGuestStates.RFLAGS_IOPL3);
        });
        OptionalDouble longCpl0 = step("CPL0 loop (long mode)", () -> {
            v.getSregs(sregs);
            ProbeGuestStates.longModeKernel(sregs);
            v.setSregs(sregs);
            return measureLoop(v, regs, ProbeGuestImage.LONG_MODE_LOOP_RIP, ProbeGuestStates.RFLAGS_FIXED);
        });
        synchronized (this) {
            cpl0Ips = realCpl0;
            cpl3Ips = user;
            cpl0LongIps = longCpl0;
        }
    }

    /** One measuring step; a failure becomes a problem line. Skipped once the test ran out of time. */
    private OptionalDouble step(String name, Measurement measurement) {
        if (cancelled) {
            // The whole test ran out of time between two steps: no step was cut short, so this one says why.
            problem(name + ": not run: the functional test ran out of time");
            return OptionalDouble.empty();
        }
        try {
            return OptionalDouble.of(measurement.run());
        } catch (StepFailed | KvmException e) {
            problem(name + ": " + e.getMessage());
            return OptionalDouble.empty();
        }
    }

    /** Real mode: the first OUT proves the guest ran; then the median of many OUT round trips. */
    private void measureOutExits(KvmVcpu v, MemorySegment regs) throws StepFailed {
        ProbeGuestStates.loopRegisters(regs, ProbeGuestImage.OUT_LOOP_IP, 0, ProbeGuestStates.RFLAGS_FIXED);
        v.setRegs(regs);
        expectOut(v, regs, timedRun(v), ProbeGuestImage.PORT_PING);
        synchronized (this) {
            guestReached = true;
        }
        long[] samples = new long[KvmGuestTrial.OUT_SAMPLES];
        int n = 0;
        long begin = System.nanoTime();
        for (int i = 0; i < KvmGuestTrial.OUT_WARMUP + KvmGuestTrial.OUT_SAMPLES; i++) {
            long t0 = System.nanoTime();
            int exit = timedRun(v);
            long t1 = System.nanoTime();
            expectOut(v, regs, exit, ProbeGuestImage.PORT_PING);
            if (i >= KvmGuestTrial.OUT_WARMUP) {
                samples[n++] = t1 - t0;
            }
            if (t1 - begin > KvmGuestTrial.OUT_BUDGET_NANOS && n >= 10) {
                break;
            }
        }
        long[] taken = Arrays.copyOf(samples, n);
        Arrays.sort(taken);
        double median = n == 0 ? 0 : (n % 2 == 1 ? taken[n / 2] : (taken[n / 2 - 1] + taken[n / 2]) / 2.0);
        synchronized (this) {
            exitMicros = n == 0 ? OptionalDouble.empty() : OptionalDouble.of(median / 1000.0);
            exitSamples = n;
        }
    }

    /** A counted dec/jnz loop at {@code rip}: calibrate, then one sized run; instructions per second. */
    private double measureLoop(KvmVcpu v, MemorySegment regs, long rip, long rflags) throws StepFailed {
        if (loopIterations > 0) {
            long fixed = Math.min(loopIterations, KvmGuestTrial.MAX_ITERATIONS);
            return ProbeGuestImage.INSTRUCTIONS_PER_ITERATION * (double) fixed / (timeLoop(v, regs, rip, rflags, fixed) / 1e9);
        }
        long iterations = 1000;
        long nanos = timeLoop(v, regs, rip, rflags, iterations);
        while (nanos < KvmGuestTrial.CALIBRATE_NANOS && iterations < KvmGuestTrial.MAX_ITERATIONS) {
            long factor = Math.clamp(2 * KvmGuestTrial.CALIBRATE_NANOS / Math.max(nanos, 1), 2, 1000);
            iterations = Math.min(KvmGuestTrial.MAX_ITERATIONS, iterations * factor);
            nanos = timeLoop(v, regs, rip, rflags, iterations);
        }
        long sized = (long) Math.min((double) KvmGuestTrial.MAX_ITERATIONS, Math.max(1.0, (double) iterations * KvmGuestTrial.MEASURE_NANOS / nanos));
        long measured = timeLoop(v, regs, rip, rflags, sized);
        KvmGuestTrial.LOG.log(System.Logger.Level.DEBUG, () -> String.format(Locale.ROOT, "loop at 0x%x: %d iterations in %.1f ms", rip, sized, measured / 1e6));
        return ProbeGuestImage.INSTRUCTIONS_PER_ITERATION * (double) sized / (measured / 1e9);
    }

    private long timeLoop(KvmVcpu v, MemorySegment regs, long rip, long rflags, long iterations) throws StepFailed {
        ProbeGuestStates.loopRegisters(regs, rip, iterations, rflags);
        v.setRegs(regs);
        long t0 = System.nanoTime();
        int exit = timedRun(v);
        long t1 = System.nanoTime();
        expectOut(v, regs, exit, ProbeGuestImage.PORT_DONE);
        return Math.max(1, t1 - t0);
    }

    /** KVM_RUN with the start time published for the watchdog; retries stray signals. */
    private int timedRun(KvmVcpu v) throws StepFailed {
        while (true) {
            if (cancelled || System.nanoTime() - deadlineNanos > 0) {
                cancelled = true;
                throw new StepFailed("not run: the functional test ran out of time");
            }
            runStartedNanos = System.nanoTime();
            int exit;
            try {
                exit = v.run();
            } finally {
                runStartedNanos = 0;
            }
            if (exit != KvmVcpu.RUN_INTERRUPTED) {
                return exit;
            }
            if (kickedForTimeout) {
                kickedForTimeout = false;
                throw new StepFailed(String.format(Locale.ROOT, "KVM_RUN did not return within %.3g s (stopped by a kick)",
                        runTimeoutNanos / 1e9));
            }
        }
    }

    private void expectOut(KvmVcpu v, MemorySegment regs, int exit, int port) throws StepFailed {
        MemorySegment run = v.kvmRun();
        if (exit == Kvm_h.KVM_EXIT_IO && kvm_run.io_direction(run) == Kvm_h.KVM_EXIT_IO_OUT
                && (kvm_run.io_port(run) & 0xFFFF) == port) {
            return;
        }
        String what = Kvm_h.exitReasonName(exit);
        if (exit == Kvm_h.KVM_EXIT_IO) {
            what += String.format(Locale.ROOT, " port 0x%x", kvm_run.io_port(run) & 0xFFFF);
        }
        String rip = "";
        try {
            v.getRegs(regs);
            rip = String.format(Locale.ROOT, " at rip 0x%x", kvm_regs.rip(regs));
        } catch (KvmException e) {
            // the exit itself is the news; the register read is a courtesy
        }
        throw new StepFailed(String.format(Locale.ROOT, "expected OUT to port 0x%x, got %s%s", port, what, rip));
    }
}
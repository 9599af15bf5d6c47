package dev.partita.hv.bench;

import dev.partita.hv.Hypervisor;
import dev.partita.hv.Partition;
import dev.partita.hv.PartitionConfig;
import dev.partita.hv.PartitionResult;
import dev.partita.hv.bus.PortIoDevice;
import dev.partita.hv.devices.debug.ConsoleSink;
import dev.partita.hv.devices.debug.DebugDevices;
import dev.partita.hv.loader.ImageSniffer;
import dev.partita.hv.loader.LoadedImage;
import dev.partita.hv.spi.BackendAvailability;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Whole-run benchmark behind {@code ci/bench cpl3}: a CPU-bound loop ({@link CountingLoopCode})
 * run in a one-vCPU KVM partition at CPL3 in 64-bit mode, against the byte-identical loop run
 * natively on an executable host page called through FFM, alternating, in one process. Guest time
 * is measured between the guest's start and done port exits; native time around the call. The
 * headline ratio is the median over rounds of (native time / guest time) of that round's two runs;
 * the ratio of the medians and the same ratio over thread CPU time (the vCPU thread's CPU time
 * includes the time the guest ran) are reported beside it.
 *
 * <p>Optionally also a whole guest program: {@code --workload-image ELF --workload-native BINARY} runs
 * guests/build/cpl3-bench.elf (CPL0 set-up, then a C workload at CPL3) and the same C workload compiled
 * for the host (guests/build/host/workload-ref), alternating, and reports their wall-time ratio as
 * secondary figures. That ratio includes the guest's CPL0 set-up (emulated on PVM hosts) and
 * process start-up, and the two sides are the same source, not the same machine code; the headline
 * {@code ratio} is the byte-identical loop.
 *
 * <p>usage: Cpl3GuestVsNative [--iterations N] [--rounds N] [--workload-image ELF --workload-native BINARY]
 */
public final class Cpl3GuestVsNative {

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Exception | LinkageError e) {
            e.printStackTrace();
            Medians.fail("cpl3", e);
        }
    }

    private static void run(String[] args) throws Exception {
        long iterations = 2_000_000_000L;
        int rounds = 7;
        Path workloadImage = null;
        Path workloadNative = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--workload-image" -> workloadImage = Path.of(args[++i]);
                case "--workload-native" -> workloadNative = Path.of(args[++i]);
                case "--iterations" -> iterations = Long.parseLong(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        BackendAvailability kvm = Hypervisor.get().availability("kvm");
        if (!kvm.usable()) {
            System.out.println("cpl3: SKIPPED: KVM backend unusable: " + kvm.reason());
            System.out.println("{\"bench\":\"cpl3\",\"skipped\":" + Medians.jsonString("KVM backend unusable: " + kvm.reason()) + "}");
            return;
        }
        System.out.println("cpl3: loop 'dec rcx; jnz' x " + iterations + " at page offset 0x"
                + Integer.toHexString(CountingLoopCode.LOOP_OFFSET) + ", guest at CPL3 in 64-bit mode on KVM vs host via FFM");
        List<Double> guest = new ArrayList<>();
        List<Double> nat = new ArrayList<>();
        List<Double> paired = new ArrayList<>();
        List<Double> guestCpu = new ArrayList<>();
        List<Double> natCpu = new ArrayList<>();
        try (NativeCodePage page = new NativeCodePage(CountingLoopCode.host())) {
            // Warm-up: one short round of each (JIT of the call path, page faults of fresh mappings).
            runGuest(iterations / 20);
            runNative(page, iterations / 20);
            for (int r = 0; r < rounds; r++) {
                Timing g, n;
                if (r % 2 == 0) {
                    g = runGuest(iterations);
                    n = runNative(page, iterations);
                } else {
                    n = runNative(page, iterations);
                    g = runGuest(iterations);
                }
                guest.add(g.wallMs());
                nat.add(n.wallMs());
                paired.add(n.wallMs() / g.wallMs());
                guestCpu.add(g.cpuMs());
                natCpu.add(n.cpuMs());
                System.out.println("cpl3: round " + (r + 1) + ": guest " + Medians.fmt(g.wallMs()) + " ms, native "
                        + Medians.fmt(n.wallMs()) + " ms, ratio " + Medians.fmt3(n.wallMs() / g.wallMs()) + "; CPU time guest "
                        + Medians.fmt(g.cpuMs()) + " ms, native " + Medians.fmt(n.cpuMs()) + " ms");
            }
        }
        double gm = Medians.median(guest);
        double nm = Medians.median(nat);
        double ratio = Medians.median(paired);
        double cpuRatio = Medians.median(natCpu) / Medians.median(guestCpu);
        String workloadJson = "";
        if (workloadImage != null && workloadNative != null) {
            List<Double> wg = new ArrayList<>();
            List<Double> wn = new ArrayList<>();
            for (int r = 0; r < Math.max(5, rounds / 2); r++) {
                double g, n;
                if (r % 2 == 0) {
                    g = runWorkloadGuest(workloadImage);
                    n = runWorkloadNative(workloadNative);
                } else {
                    n = runWorkloadNative(workloadNative);
                    g = runWorkloadGuest(workloadImage);
                }
                wg.add(g);
                wn.add(n);
                System.out.println("cpl3: workload round " + (r + 1) + ": guest " + Medians.fmt(g) + " ms, native "
                        + Medians.fmt(n) + " ms, ratio " + Medians.fmt3(n / g));
            }
            double wgm = Medians.median(wg);
            double wnm = Medians.median(wn);
            System.out.println("cpl3: workload (" + workloadImage.getFileName() + " vs " + workloadNative.getFileName()
                    + ", whole runs): median guest " + Medians.fmt(wgm) + " ms, native " + Medians.fmt(wnm) + " ms, ratio "
                    + Medians.fmt3(wnm / wgm));
            workloadJson = ",\"workload_guest_ms\":" + Medians.fmt(wgm) + ",\"workload_native_ms\":" + Medians.fmt(wnm)
                    + ",\"workload_ratio\":" + Medians.fmt3(wnm / wgm);
        }
        System.out.println("cpl3: ratio (median of the per-round native/guest ratios) " + Medians.fmt3(ratio)
                + " (target >= 0.90, goal 0.97); median guest " + Medians.fmt(gm) + " ms, native " + Medians.fmt(nm)
                + " ms (ratio of medians " + Medians.fmt3(nm / gm) + "); CPU time guest " + Medians.fmt(Medians.median(guestCpu))
                + " ms, native " + Medians.fmt(Medians.median(natCpu)) + " ms, ratio " + Medians.fmt3(cpuRatio));
        System.out.println("{\"bench\":\"cpl3\",\"guest_ms\":" + Medians.fmt(gm) + ",\"native_ms\":" + Medians.fmt(nm)
                + ",\"ratio\":" + Medians.fmt3(ratio) + ",\"ratio_of_medians\":" + Medians.fmt3(nm / gm)
                + ",\"guest_cpu_ms\":" + Medians.fmt(Medians.median(guestCpu)) + ",\"native_cpu_ms\":"
                + Medians.fmt(Medians.median(natCpu)) + ",\"cpu_ratio\":" + Medians.fmt3(cpuRatio) + ",\"rounds\":" + rounds + ",\"iterations\":" + iterations
                + ",\"guest_samples\":" + Medians.jsonList(guest) + ",\"native_samples\":" + Medians.jsonList(nat)
                + workloadJson + ",\"target\":0.90,\"goal\":0.97}");
    }

    /** Wall and CPU milliseconds of one side of a round. */
    record Timing(double wallMs, double cpuMs) {}

    /** Milliseconds between the guest's start and done exits (wall, and CPU time of the vCPU thread). */
    static Timing runGuest(long iterations) {
        PartitionConfig config = new PartitionConfig("bench-cpl3", PartitionConfig.DEFAULT_MEMORY, 1, "kvm");
        try (Partition p = Hypervisor.get().createPartition(config)) {
            p.processor(0).setState(Cpl3LongModeGuest.install(p.memory(), iterations));
            long[] stamps = new long[4];
            p.ioBus().register(CountingLoopCode.PORT_START, 1, marker(stamps, 0, null), "bench-start");
            p.ioBus().register(CountingLoopCode.PORT_DONE, 1, marker(stamps, 1, p), "bench-done");
            p.start();
            PartitionResult result = p.awaitExit(Duration.ofSeconds(120));
            if (!(result instanceof PartitionResult.Exited e) || e.code() != 0 || stamps[0] == 0 || stamps[1] == 0) {
                throw new IllegalStateException("CPL3 guest did not finish cleanly: " + result.report());
            }
            return new Timing((stamps[1] - stamps[0]) / 1e6, (stamps[3] - stamps[2]) / 1e6);
        }
    }

    /** A port device storing the time of its access, and ending the partition when it is the done marker. */
    private static PortIoDevice marker(long[] stamps, int slot, Partition end) {
        return new PortIoDevice() {
            public int read(int offset, int size) {
                return -1;
            }

            public void write(int offset, int size, int value) {
                stamps[slot] = System.nanoTime();
                stamps[slot + 2] = ThreadCpuClock.nanos(); // on the vCPU thread, whose CPU time includes guest time
                if (end != null) {
                    end.exit(0);
                }
            }
        };
    }

    /** Milliseconds from start to the guest's exit (code 0 required), whole guest program. */
    static double runWorkloadGuest(Path image) throws Exception {
        PartitionConfig config = new PartitionConfig("bench-cpl3-workload", PartitionConfig.DEFAULT_MEMORY, 1, "kvm");
        try (Partition p = Hypervisor.get().createPartition(config)) {
            LoadedImage loaded = ImageSniffer.read(image).loadInto(p.memory());
            p.processor(0).setState(loaded.bootState());
            DebugDevices.attach(p, ConsoleSink.discard());
            long t0 = System.nanoTime();
            p.start();
            PartitionResult result = p.awaitExit(Duration.ofSeconds(300));
            long t1 = System.nanoTime();
            if (!(result instanceof PartitionResult.Exited e) || e.code() != 0) {
                throw new IllegalStateException(image + " did not exit with 0: " + result.report());
            }
            return (t1 - t0) / 1e6;
        }
    }

    /** Milliseconds from spawn to exit of the native workload program (exit status 0 required). */
    static double runWorkloadNative(Path binary) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(binary.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        long t0 = System.nanoTime();
        Process proc = pb.start();
        int status = proc.waitFor();
        long t1 = System.nanoTime();
        if (status != 0) {
            throw new IllegalStateException(binary + " exited with " + status);
        }
        return (t1 - t0) / 1e6;
    }

    /** Milliseconds for the native call (wall, and CPU time of the calling thread). */
    static Timing runNative(NativeCodePage page, long iterations) {
        long c0 = ThreadCpuClock.nanos();
        long t0 = System.nanoTime();
        long left = page.call(iterations);
        long t1 = System.nanoTime();
        long c1 = ThreadCpuClock.nanos();
        if (left != 0) {
            throw new IllegalStateException("native loop returned " + left);
        }
        return new Timing((t1 - t0) / 1e6, (c1 - c0) / 1e6);
    }
}

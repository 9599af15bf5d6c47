package dev.partita.hv.bench;

import dev.partita.hv.Hypervisor;
import dev.partita.hv.Partition;
import dev.partita.hv.PartitionConfig;
import dev.partita.hv.PartitionResult;
import dev.partita.hv.devices.debug.ConsoleSink;
import dev.partita.hv.devices.debug.DebugDevices;
import dev.partita.hv.loader.ImageSniffer;
import dev.partita.hv.loader.LoadedImage;
import dev.partita.hv.spi.BackendAvailability;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whole-run benchmark behind {@code ci/bench exits}: one guest, one vCPU, a loop of port-I/O OUTs,
 * run through the full Java path (KVM backend, VirtualProcessor run loop, IoBus, a device) against
 * a C program doing the same KVM_RUN/OUT cycle on the same image. Rounds alternate Java and C
 * (which side goes first alternates too). The headline ratio is the median over rounds of
 * (Java ns/exit / C ns/exit) of the two runs of that round, which stays meaningful when the load of
 * a shared machine changes during the benchmark; the ratio of the two medians and the same ratio
 * over the vCPU thread's CPU time are reported beside it.
 *
 * <p>usage: PortIoExitRoundTrip --c-ref BINARY [--image FILE --port N] [--iterations N] [--rounds N] [--layers]
 * ({@code --layers} adds a diagnostic third side, {@link BackendOnlyExitLoop}).
 * Without --image, a real-mode loop guest is generated (see {@link OutLoopGuest}); an image with
 * the "NITR" iteration field (guests/build/exit-loop.bin) is run from a copy patched to --iterations.
 */
public final class PortIoExitRoundTrip {

    private static final Pattern C_LINE = Pattern.compile("exits=(\\d+) ns_per_exit=([0-9.]+) cpu_ns_per_exit=([0-9.]+) .*exit_code=(-?\\d+)");

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Exception | LinkageError e) {
            e.printStackTrace();
            Medians.fail("exits", e);
        }
    }

    private static void run(String[] args) throws Exception {
        Path cRef = null;
        Path image = null;
        int port = OutLoopGuest.DEFAULT_PORT;
        int iterations = 20_000;
        int rounds = 11;
        int warmups = 2;
        boolean layers = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--c-ref" -> cRef = Path.of(args[++i]);
                case "--image" -> image = Path.of(args[++i]);
                case "--port" -> port = Integer.decode(args[++i]);
                case "--iterations" -> iterations = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--warmups" -> warmups = Integer.parseInt(args[++i]);
                case "--layers" -> layers = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (cRef == null) {
            throw new IllegalArgumentException("--c-ref BINARY is required");
        }
        BackendAvailability kvm = Hypervisor.get().availability("kvm");
        if (!kvm.usable()) {
            skip("KVM backend unusable: " + kvm.reason());
            return;
        }
        String guestDescription;
        if (image == null) {
            image = Files.createTempFile("partita-exit-loop", ".bin");
            image.toFile().deleteOnExit();
            Files.write(image, OutLoopGuest.realMode(port, iterations));
            guestDescription = "generated real-mode OUT loop, port 0x" + Integer.toHexString(port) + ", " + iterations + " iterations";
        } else {
            Path patched = OutLoopGuest.withIterations(image, iterations);
            guestDescription = image + (patched.equals(image) ? "" : " (patched: " + iterations + " iterations)")
                    + ", port 0x" + Integer.toHexString(port);
            image = patched;
        }
        System.out.println("exits: guest = " + guestDescription);
        for (int w = 0; w < warmups; w++) {
            Sample s = runJava(image, port, iterations);
            System.out.println("exits: warm-up java " + Medians.fmt(s.nsPerExit()) + " ns/exit (" + s.exits() + " exits)");
        }
        List<Double> java = new ArrayList<>();
        List<Double> c = new ArrayList<>();
        List<Double> paired = new ArrayList<>();
        List<Double> javaCpu = new ArrayList<>();
        List<Double> cCpu = new ArrayList<>();
        List<Double> spiCpu = new ArrayList<>();
        long exits = 0;
        for (int r = 0; r < rounds; r++) {
            // Alternate which side goes first so slow drifts of the machine's load cancel out.
            Sample j, n;
            if (r % 2 == 0) {
                j = runJava(image, port, iterations);
                n = runC(cRef, image, iterations);
            } else {
                n = runC(cRef, image, iterations);
                j = runJava(image, port, iterations);
            }
            if (j.exits() != n.exits()) {
                throw new IllegalStateException("Java saw " + j.exits() + " exits but C saw " + n.exits());
            }
            exits = j.exits();
            java.add(j.nsPerExit());
            c.add(n.nsPerExit());
            paired.add(j.nsPerExit() / n.nsPerExit());
            javaCpu.add(j.cpuNsPerExit());
            cCpu.add(n.cpuNsPerExit());
            if (layers) {
                Sample b = BackendOnlyExitLoop.run(image, port, iterations);
                spiCpu.add(b.cpuNsPerExit());
                System.out.println("exits: round " + (r + 1) + ": backend SPI only (no Partition/VirtualProcessor/IoBus): "
                        + Medians.fmt(b.nsPerExit()) + " ns/exit, CPU " + Medians.fmt(b.cpuNsPerExit()) + " ns/exit");
            }
            System.out.println("exits: round " + (r + 1) + ": java " + Medians.fmt(j.nsPerExit()) + " ns/exit, c "
                    + Medians.fmt(n.nsPerExit()) + " ns/exit (" + exits + " exits each); vCPU thread CPU time java "
                    + Medians.fmt(j.cpuNsPerExit()) + ", c " + Medians.fmt(n.cpuNsPerExit()) + " ns/exit");
        }
        double jm = Medians.median(java);
        double cm = Medians.median(c);
        double ratioOfMedians = jm / cm;
        double ratio = Medians.median(paired);
        double cpuRatio = Medians.median(javaCpu) / Medians.median(cCpu);
        if (layers) {
            System.out.println("exits: CPU ns/exit medians: c " + Medians.fmt(Medians.median(cCpu)) + ", java backend SPI only "
                    + Medians.fmt(Medians.median(spiCpu)) + ", java full path " + Medians.fmt(Medians.median(javaCpu)));
        }
        System.out.println("exits: ratio (median of the per-round java/c ratios) " + Medians.fmt3(ratio)
                + " (target <= 1.10, goal 1.02); median java " + Medians.fmt(jm) + " ns/exit, c " + Medians.fmt(cm)
                + " ns/exit (ratio of medians " + Medians.fmt3(ratioOfMedians) + ")"
                + "; CPU time java " + Medians.fmt(Medians.median(javaCpu)) + ", c " + Medians.fmt(Medians.median(cCpu))
                + " ns/exit, ratio " + Medians.fmt3(cpuRatio));
        System.out.println("{\"bench\":\"exits\",\"java_ns_per_exit\":" + Medians.fmt(jm) + ",\"c_ns_per_exit\":" + Medians.fmt(cm)
                + ",\"ratio\":" + Medians.fmt3(ratio) + ",\"ratio_of_medians\":" + Medians.fmt3(ratioOfMedians)
                + ",\"java_cpu_ns_per_exit\":" + Medians.fmt(Medians.median(javaCpu)) + ",\"c_cpu_ns_per_exit\":"
                + Medians.fmt(Medians.median(cCpu)) + ",\"cpu_ratio\":" + Medians.fmt3(cpuRatio)
                + ",\"rounds\":" + rounds + ",\"exits_per_round\":" + exits
                + ",\"java_samples\":" + Medians.jsonList(java) + ",\"c_samples\":" + Medians.jsonList(c)
                + ",\"target\":1.10,\"goal\":1.02,\"guest\":" + Medians.jsonString(guestDescription) + "}");
    }

    record Sample(long exits, double nsPerExit, double cpuNsPerExit) {}

    static Sample runJava(Path image, int port, long expected) throws Exception {
        PartitionConfig config = new PartitionConfig("bench-exits", PartitionConfig.DEFAULT_MEMORY, 1, "kvm");
        try (Partition p = Hypervisor.get().createPartition(config)) {
            LoadedImage loaded = ImageSniffer.read(image).loadInto(p.memory());
            p.processor(0).setState(loaded.bootState());
            DebugDevices.attach(p, ConsoleSink.discard());
            TimestampingPort counter = new TimestampingPort(expected);
            p.ioBus().register(port, 1, counter, "bench-counter");
            p.start();
            PartitionResult result = p.awaitExit(Duration.ofSeconds(120));
            if (!(result instanceof PartitionResult.Exited e) || e.code() != 0) {
                throw new IllegalStateException("Java run did not exit cleanly: " + result.report());
            }
            return new Sample(counter.count(), counter.nsPerExit(), counter.cpuNsPerExit());
        }
    }

    static Sample runC(Path cRef, Path image, long expected) throws IOException, InterruptedException {
        Process proc = new ProcessBuilder(cRef.toString(), image.toString(), Long.toString(expected)).redirectErrorStream(true).start();
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        int status = proc.waitFor();
        Matcher m = C_LINE.matcher(out);
        if (status != 0 || !m.find() || !m.group(4).equals("0")) {
            throw new IllegalStateException("C reference failed (status " + status + "): " + out.strip());
        }
        return new Sample(Long.parseLong(m.group(1)), Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3)));
    }

    static void skip(String reason) {
        System.out.println("exits: SKIPPED: " + reason);
        System.out.println("{\"bench\":\"exits\",\"skipped\":" + Medians.jsonString(reason) + "}");
    }
}

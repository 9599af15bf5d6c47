package dev.partita.emulator.bench;

import dev.partita.hv.Hypervisor;
import dev.partita.hv.Partition;
import dev.partita.hv.PartitionConfig;
import dev.partita.hv.PartitionResult;
import dev.partita.hv.devices.debug.DebugDevices;
import dev.partita.hv.loader.ImageSniffer;
import dev.partita.hv.loader.LoadedImage;
import dev.partita.hv.spi.BackendAvailability;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Whole-run benchmark behind {@code ci/bench emulator}: the CPU-bound long-mode guest
 * {@code benchmarks/src/main/c/bench_guest.S} run by Partita's emulator backend (in this process) and by
 * QEMU's TCG ({@code qemu-system-x86_64 -accel tcg}, a child process), alternating, in one
 * invocation. Each side runs the guest twice per round: built with the workload's pass count and
 * with 0 passes; the workload time is median(work) - median(empty), which removes start-up (JVM-side
 * partition start, QEMU process start and firmware) from both. Both sides must print the same
 * checksum. Prints per-round lines and, last, one JSON line with {@code mips} (guest instructions per
 * second of the emulator, millions) and {@code ratio} (emulator workload time / QEMU workload time).
 *
 * <p>usage: EmulatorVsQemu --work ELF --empty ELF --instructions N --qemu BINARY --rom BIOS [--rounds N]
 */
public final class EmulatorVsQemu {

    private record Run(double ms, String checksum) {
    }

    public static void main(String[] args) throws Exception {
        Path work = null;
        Path empty = null;
        Path rom = null;
        String qemu = "qemu-system-x86_64";
        long instructions = 0;
        int rounds = 5;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--work" -> work = Path.of(args[++i]);
                case "--empty" -> empty = Path.of(args[++i]);
                case "--rom" -> rom = Path.of(args[++i]);
                case "--qemu" -> qemu = args[++i];
                case "--instructions" -> instructions = Long.parseLong(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (work == null || empty == null || rom == null || instructions <= 0 || rounds < 1) {
            throw new IllegalArgumentException(
                    "usage: EmulatorVsQemu --work ELF --empty ELF --instructions N --qemu BINARY --rom BIOS [--rounds N]");
        }
        BackendAvailability emu = Hypervisor.get().availability("emulator");
        if (!emu.usable()) {
            System.out.println("emulator: SKIPPED: emulator backend unusable: " + emu.reason());
            System.out.println("{\"bench\":\"emulator\",\"skipped\":\"emulator backend unusable\"}");
            return;
        }
        // Warm-up (JIT of the interpreter) on the work image; not measured.
        runEmulator(work);
        List<Double> ew = new ArrayList<>();
        List<Double> ee = new ArrayList<>();
        List<Double> qw = new ArrayList<>();
        List<Double> qe = new ArrayList<>();
        String sum = null;
        for (int r = 0; r < rounds; r++) {
            Run a;
            Run b;
            Run c;
            Run d;
            if (r % 2 == 0) {
                a = runEmulator(work);
                b = runEmulator(empty);
                c = runQemu(qemu, rom, work);
                d = runQemu(qemu, rom, empty);
            } else {
                c = runQemu(qemu, rom, work);
                d = runQemu(qemu, rom, empty);
                a = runEmulator(work);
                b = runEmulator(empty);
            }
            if (sum == null) {
                sum = a.checksum();
            }
            if (!sum.equals(a.checksum()) || !sum.equals(c.checksum())) {
                throw new IllegalStateException("checksums differ: emulator " + a.checksum() + ", QEMU " + c.checksum()
                        + ", first " + sum);
            }
            ew.add(a.ms());
            ee.add(b.ms());
            qw.add(c.ms());
            qe.add(d.ms());
            System.out.printf(Locale.ROOT, "emulator: round %d: emulator %.1f ms (empty %.1f), QEMU TCG %.1f ms (empty %.1f)%n",
                    r + 1, a.ms(), b.ms(), c.ms(), d.ms());
        }
        double emuMs = Math.max(1e-3, median(ew) - median(ee));
        double qemuMs = Math.max(1e-3, median(qw) - median(qe));
        double mips = instructions / (emuMs * 1e3);
        double qemuMips = instructions / (qemuMs * 1e3);
        double ratio = emuMs / qemuMs;
        System.out.printf(Locale.ROOT, "emulator: workload %d guest instructions, checksum %s; emulator %.1f ms = %.1f MIPS, "
                + "QEMU TCG %.1f ms = %.1f MIPS; ratio (our time / QEMU's) %.2f%n", instructions, sum, emuMs, mips, qemuMs,
                qemuMips, ratio);
        System.out.printf(Locale.ROOT, "{\"bench\":\"emulator\",\"mips\":%.1f,\"ratio\":%.3f,\"emulator_ms\":%.1f,\"qemu_ms\":%.1f,"
                + "\"qemu_mips\":%.1f,\"instructions\":%d,\"rounds\":%d,\"emulator_samples\":%s,\"emulator_empty_samples\":%s,"
                + "\"qemu_samples\":%s,\"qemu_empty_samples\":%s}%n", mips, ratio, emuMs, qemuMs, qemuMips, instructions, rounds,
                list(ew), list(ee), list(qw), list(qe));
    }

    /** Milliseconds from start to exit of the guest on the emulator backend (exit code 0 required). */
    private static Run runEmulator(Path image) throws Exception {
        PartitionConfig config = new PartitionConfig("bench-emulator", PartitionConfig.DEFAULT_MEMORY, 1, "emulator");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        try (Partition p = Hypervisor.get().createPartition(config)) {
            LoadedImage loaded = ImageSniffer.read(image).loadInto(p.memory());
            p.processor(0).setState(loaded.bootState());
            DebugDevices.attach(p, b -> {
                synchronized (console) {
                    console.write(b);
                }
            });
            long t0 = System.nanoTime();
            p.start();
            PartitionResult result = p.awaitExit(Duration.ofSeconds(600));
            long t1 = System.nanoTime();
            if (!(result instanceof PartitionResult.Exited e) || e.code() != 0) {
                throw new IllegalStateException(image + " did not exit with 0 on the emulator: " + result.report());
            }
            String out;
            synchronized (console) {
                out = console.toString(StandardCharsets.US_ASCII);
            }
            return new Run((t1 - t0) / 1e6, checksum(out, "emulator"));
        }
    }

    /** Milliseconds of the whole QEMU process (firmware ROM, guest, isa-debug-exit). */
    private static Run runQemu(String qemu, Path rom, Path image) throws IOException, InterruptedException {
        Path log = Files.createTempFile("bench-qemu", ".log");
        try {
            List<String> cmd = List.of(qemu, "-M", "pc", "-accel", "tcg", "-cpu", "max", "-m", "32M", "-nodefaults",
                    "-display", "none", "-no-reboot", "-bios", rom.toString(),
                    "-device", "loader,file=" + image + ",addr=0x1800000,force-raw=on",
                    "-chardev", "file,id=con,path=" + log, "-device", "isa-debugcon,iobase=0xe9,chardev=con",
                    "-device", "isa-debug-exit,iobase=0xf4,iosize=4");
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(600, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("QEMU did not finish in 600 s");
            }
            long t1 = System.nanoTime();
            // isa-debug-exit: status = (value << 1) | 1, so guest exit code 0 gives 1.
            if (p.exitValue() != 1) {
                throw new IllegalStateException("QEMU exited with " + p.exitValue() + " (want 1 = guest exit 0): " + out);
            }
            return new Run((t1 - t0) / 1e6, checksum(Files.readString(log, StandardCharsets.US_ASCII), "QEMU"));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static String checksum(String console, String who) {
        int at = console.indexOf("sum=");
        if (at < 0 || at + 12 > console.length()) {
            throw new IllegalStateException(who + " printed no checksum: '" + console + "'");
        }
        return console.substring(at + 4, at + 12);
    }

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    private static String list(List<Double> xs) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < xs.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.1f", xs.get(i)));
        }
        return sb.append(']').toString();
    }
}

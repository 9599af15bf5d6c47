package dev.partita.vmms.state;

import dev.partita.hv.hyperv.Enlightenments;
import dev.partita.hv.BackendChoice;
import dev.partita.hv.boot.LinuxKernel;
import dev.partita.hv.devices.debug.ConsoleSink;
import dev.partita.hv.memory.RamRegion;
import dev.partita.hv.state.StateProgress;
import dev.partita.hv.state.VmStateController;
import dev.partita.vmms.images.BuildProgress;
import dev.partita.vmms.images.DebianGuestImages;
import dev.partita.vmms.images.ImageBuildException;
import dev.partita.vmms.worker.LinuxVmWorker;
import dev.partita.vmms.worker.VmBusDevices;
import dev.partita.vmms.worker.VmDefinition;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * {@code ci/bench state}: save and restore of an idle Debian guest with 512 MiB on the emulator
 * (booted to its shell, legacy devices only), against copying the same guest memory to a file with
 * plain sequential writes (1 MiB FileChannel writes, then fsync), alternating rounds in one run.
 * Restore time is "to running": creating the VM is excluded, loading the file and starting the
 * processors included; each restored guest is then checked to answer a command on its console.
 * Prints medians; last line JSON with "ratio" = save time / copy time (lower is better) and the
 * restore time against the 100 ms goal. Options: --rounds N (default 3), --dir DIR (default: a
 * temporary folder; the files are deleted).
 */
public final class SaveRestoreBench {
    private static final long MEMORY = 512L << 20;
    private static final long CHUNK = 1L << 20;

    /** The guest's console text, thread-safe. */
    private static final class Console implements ConsoleSink {
        private final StringBuilder text = new StringBuilder();

        @Override
        public synchronized void write(int b) {
            text.append((char) b);
        }

        synchronized boolean contains(String s) {
            return text.indexOf(s) >= 0;
        }
    }

    public static void main(String[] args) throws Exception {
        int rounds = 3;
        Path dir = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--dir" -> dir = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: ci/bench state [--rounds N] [--dir DIR]");
                    System.exit(2);
                }
            }
        }
        DebianGuestImages.GuestFiles guest;
        try {
            guest = new DebianGuestImages(DebianGuestImages.defaultCacheRoot()).defaultGuest(BuildProgress.silent());
        } catch (ImageBuildException e) {
            System.out.println("state: SKIPPED: the Debian guest image cannot be built here: " + e.getMessage());
            System.out.println("{\"bench\":\"state\",\"skipped\":\"no Debian guest image\"}");
            return;
        }
        Path work = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("partita-state-bench");
        VmDefinition d = new VmDefinition("bench-512m", LinuxKernel.read(guest.kernel()), Files.readAllBytes(guest.initramfs()),
                "console=ttyS0 panic=-1", MEMORY, 1, BackendChoice.EMULATOR, VmBusDevices.NONE);
        Console console = new Console();
        List<Double> save = new ArrayList<>();
        List<Double> copy = new ArrayList<>();
        List<Double> restore = new ArrayList<>();
        long fileBytes = 0;
        long stored = 0;
        try (LinuxVmWorker worker = LinuxVmWorker.build(d, console)) {
            long boot = System.nanoTime();
            worker.start();
            await(() -> console.contains("shell on the console"), 900, "the guest's shell");
            System.out.printf(Locale.ROOT, "state: guest booted to its shell in %.1f s (emulator, 512 MiB)%n",
                    (System.nanoTime() - boot) / 1e9);
            Thread.sleep(2000); // let the shell settle at its prompt: an idle guest
            VmStateController controller = SaveableVm.controller(worker.partition(),
                    SaveableVm.describe(VmDescription.LINUX, worker.partition()), worker.saveables());
            for (int r = 0; r < rounds; r++) {
                Path file = work.resolve("vm-" + r + ".state");
                Path raw = work.resolve("copy-" + r + ".bin");
                boolean copyFirst = r % 2 == 1;
                if (copyFirst) {
                    copy.add(copyMemory(worker, raw));
                }
                long t0 = System.nanoTime();
                VmStateController.SaveSummary s = controller.save(file, StateProgress.NONE);
                save.add((System.nanoTime() - t0) / 1e6);
                if (!copyFirst) {
                    copy.add(copyMemory(worker, raw));
                }
                fileBytes = s.fileBytes();
                stored = s.memoryBytesStored();
                Files.deleteIfExists(raw);
                System.out.printf(Locale.ROOT, "state: round %d save %.1f ms, sequential copy %.1f ms%n", r + 1,
                        save.get(r), copy.get(r));
            }
        }
        for (int r = 0; r < rounds; r++) {
            Path file = work.resolve("vm-" + r + ".state");
            Console after = new Console();
            try (LinuxVmWorker restored = LinuxVmWorker.buildForRestore("bench-512m", MEMORY, 1, BackendChoice.EMULATOR, VmBusDevices.NONE,
                    List.of(), Enlightenments.ALL, after)) {
                VmStateController controller = SaveableVm.controller(restored.partition(),
                        SaveableVm.describe(VmDescription.LINUX, restored.partition()), restored.saveables());
                long t0 = System.nanoTime();
                controller.restore(file, StateProgress.NONE);
                restored.start();
                restore.add((System.nanoTime() - t0) / 1e6);
                String token = "restored-" + r + "-ok";
                byte[] typed = ("echo " + token + "\n").getBytes(StandardCharsets.US_ASCII);
                restored.devices().serial().receive(typed, 0, typed.length);
                await(() -> after.contains(token + "\r\n") || after.contains(token + "\n"), 300, "the restored guest's answer");
            }
            Files.deleteIfExists(file);
            System.out.printf(Locale.ROOT, "state: round %d restore to running %.1f ms (then answered on its console)%n", r + 1,
                    restore.get(r));
        }
        if (dir == null) {
            Files.deleteIfExists(work);
        }
        double saveMs = median(save);
        double copyMs = median(copy);
        double restoreMs = median(restore);
        System.out.printf(Locale.ROOT, "state: median save %.1f ms, sequential copy of the 512 MiB %.1f ms, ratio %.2f;"
                        + " restore to running %.1f ms (goal 100 ms); file %.1f MiB (%.1f MiB of memory stored)%n",
                saveMs, copyMs, saveMs / copyMs, restoreMs, fileBytes / 1048576.0, stored / 1048576.0);
        System.out.printf(Locale.ROOT, "{\"bench\":\"state\",\"memory_mib\":512,\"rounds\":%d,\"save_ms\":%.1f,\"copy_ms\":%.1f,"
                        + "\"ratio\":%.3f,\"restore_ms\":%.1f,\"restore_goal_ms\":100,\"file_bytes\":%d,\"memory_stored_bytes\":%d,"
                        + "\"save_runs_ms\":%s,\"copy_runs_ms\":%s,\"restore_runs_ms\":%s}%n",
                rounds, saveMs, copyMs, saveMs / copyMs, restoreMs, fileBytes, stored, list(save), list(copy), list(restore));
    }

    /** Writes all guest RAM to {@code file} with plain sequential writes and fsync; returns milliseconds. */
    private static double copyMemory(LinuxVmWorker worker, Path file) throws IOException {
        long t0 = System.nanoTime();
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            for (RamRegion r : worker.partition().memory().regions()) {
                for (long off = 0; off < r.size(); off += CHUNK) {
                    ByteBuffer b = r.segment().asSlice(off, Math.min(CHUNK, r.size() - off)).asByteBuffer();
                    while (b.hasRemaining()) {
                        out.write(b);
                    }
                }
            }
            out.force(true);
        }
        return (System.nanoTime() - t0) / 1e6;
    }

    private static void await(BooleanSupplier condition, long seconds, String what) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("state bench: no " + what + " within " + seconds + " s");
            }
            Thread.sleep(20);
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String list(List<Double> values) {
        return values.stream().map(v -> String.format(Locale.ROOT, "%.1f", v)).toList().toString();
    }
}

package dev.partita.vmms.state;

import dev.partita.hv.BackendChoice;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.partita.hv.Hypervisor;
import dev.partita.hv.boot.LinuxKernel;
import dev.partita.hv.state.StateProgress;
import dev.partita.hv.state.VmStateController;
import dev.partita.vmms.Main;
import dev.partita.vmms.images.BuildProgress;
import dev.partita.vmms.images.DebianGuestImages;
import dev.partita.vmms.images.ImageBuildException;
import dev.partita.vmms.worker.LinuxVmWorker;
import dev.partita.vmms.worker.VmBusDevices;
import dev.partita.vmms.worker.VmDefinition;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Debian guest (Partita's busybox image) on the emulator, saved in the middle of a shell workload
 * and continued by {@code partita restore} in a new process, finishes the workload with the result
 * an uninterrupted run computes, and its monotonic clock (/proc/uptime) does not go back. The VM has
 * the legacy PC devices only (SavedDiskGuestTest covers a VM with VMBus and a disk). Skips (with the reason printed) where the emulator or the Debian image is unavailable.
 */
class LinuxGuestSaveRestoreTest {
    private static final int STEPS = 1600;
    private static final int EVERY = 400;
    private static final String WORKLOAD = "cut -d. -f1 /proc/uptime > /tmp/up0; s=1; i=0; while [ $i -lt " + STEPS
            + " ]; do s=$(((s*1103515245+12345)%2147483648)); i=$((i+1)); if [ $((i%" + EVERY + ")) -eq 0 ];"
            + " then echo step $i $s; fi; done; echo result $s; echo uptime $(cat /tmp/up0) $(cut -d. -f1 /proc/uptime)";

    @TempDir
    Path dir;

    @Test
    void workloadSavedMidwayCompletesInANewProcessWithTheSameResult() throws Exception {
        DebianGuestImages.GuestFiles guest = guestOrSkip();
        String cmdline = "console=ttyS0 panic=-1 partita.poweroff partita.run=\"" + WORKLOAD + "\"";
        VmDefinition d = new VmDefinition("debian-state", LinuxKernel.read(guest.kernel()), Files.readAllBytes(guest.initramfs()),
                cmdline, 256L << 20, 1, BackendChoice.EMULATOR, VmBusDevices.NONE);
        Path file = dir.resolve("debian.state");
        HeldConsole console = new HeldConsole("step " + EVERY + " ");
        String before;
        try (LinuxVmWorker worker = LinuxVmWorker.build(d, console)) {
            VmStateController controller = SaveableVm.controller(worker.partition(),
                    SaveableVm.describe(VmDescription.LINUX, worker.partition()), worker.saveables());
            worker.start();
            try {
                if (!console.awaitMarker(600)) {
                    Assertions.fail("no 'step " + EVERY + "' line within 600 s: " + worker.partition().result() + "\n"
                            + tail(console.text()));
                }
                CompletableFuture<Void> paused = worker.partition().processor(0).pause();
                console.release();
                paused.get(60, TimeUnit.SECONDS);
            } finally {
                console.release();
            }
            assertFalse(worker.partition().hasEnded(), "the guest ended before the save: " + worker.partition().result());
            VmStateController.SaveSummary s = controller.save(file, StateProgress.NONE);
            System.out.println("LinuxGuestSaveRestoreTest: saved after 'step " + EVERY + "': " + s.fileBytes() + " bytes, "
                    + s.memoryBytesStored() + " of " + s.memoryBytes() + " memory bytes stored");
            before = console.text();
        }
        assertTrue(before.contains("step " + EVERY + " " + expected(EVERY)), tail(before));
        assertFalse(before.contains("\nresult "), tail(before));

        Process p = partita(List.of("restore", file.toString(), "--timeout", "600s"), dir.resolve("restore.out"));
        assertTrue(p.waitFor(700, TimeUnit.SECONDS), "partita restore did not end");
        String after = Files.readString(dir.resolve("restore.out"), StandardCharsets.ISO_8859_1).replace("\r", "");
        String err = Files.readString(dir.resolve("restore.out.err"), StandardCharsets.ISO_8859_1);
        assertEquals(0, p.exitValue(), "restore: " + err + "\n" + tail(after));
        for (int step = 2 * EVERY; step <= STEPS; step += EVERY) {
            assertTrue(after.contains("step " + step + " " + expected(step)), "step " + step + " after the restore\n" + tail(after));
        }
        assertFalse(after.contains("step " + EVERY + " "), "the restored guest repeated output from before the save");
        assertTrue(after.contains("\nresult " + expected(STEPS) + "\n"), tail(after));
        Matcher up = Pattern.compile("uptime (\\d+) (\\d+)").matcher(after);
        assertTrue(up.find(), tail(after));
        assertTrue(Long.parseLong(up.group(2)) >= Long.parseLong(up.group(1)), "guest monotonic clock went back: " + up.group());
        System.out.println("LinuxGuestSaveRestoreTest: result " + expected(STEPS) + " after the restore; " + up.group());
    }

    /** The workload's s after {@code steps} iterations, computed here as an uninterrupted run would. */
    private static long expected(int steps) {
        long s = 1;
        for (int i = 0; i < steps; i++) {
            s = (s * 1103515245L + 12345) % 2147483648L;
        }
        return s;
    }

    private static String tail(String text) {
        return text.length() <= 3000 ? text : "..." + text.substring(text.length() - 3000);
    }

    private static Process partita(List<String> args, Path out) throws Exception {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(args);
        return new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(new File(out + ".err"))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    }

    private static DebianGuestImages.GuestFiles guestOrSkip() {
        var emulator = Hypervisor.get().availability("emulator");
        if (!emulator.usable()) {
            System.out.println("SKIP LinuxGuestSaveRestoreTest: " + emulator.reason());
        }
        Assumptions.assumeTrue(emulator.usable(), emulator.reason());
        try {
            return new DebianGuestImages(DebianGuestImages.defaultCacheRoot()).defaultGuest(BuildProgress.silent());
        } catch (ImageBuildException e) {
            String reason = "the Debian guest image cannot be built here: " + e.getMessage();
            System.out.println("SKIP LinuxGuestSaveRestoreTest: " + reason);
            Assumptions.abort(reason);
            throw new AssertionError("unreachable");
        }
    }
}

package dev.partita.guests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.partita.hv.Hypervisor;
import dev.partita.hv.Partition;
import dev.partita.hv.PartitionConfig;
import dev.partita.hv.PartitionResult;
import dev.partita.hv.devices.debug.CapturingConsoleSink;
import dev.partita.hv.devices.debug.DebugDevices;
import dev.partita.hv.loader.ImageSniffer;
import dev.partita.hv.loader.LoadedImage;
import dev.partita.hv.state.Saveable;
import dev.partita.hv.state.StateProgress;
import dev.partita.hv.state.VmStateController;
import dev.partita.vmms.Main;
import dev.partita.vmms.state.SaveableVm;
import dev.partita.vmms.state.VmDescription;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Guests saved mid-run and restored in a new partition finish exactly like an uninterrupted run, on
 * the same backend and across backends (saved on the emulator, continued on KVM and the other way;
 * KVM rows skip with the reason where /dev/kvm cannot run the guest, and where a PVM host's KVM
 * fails the guest for reasons outside Partita, {@link PvmKnownFailures}):
 * the console text before the save plus the text after the restore equals the reference run's, and
 * the exit code is the same. The moment is fixed by the guest's own output ({@link PausingConsole}:
 * right after the OUT that ends line N), so the test does not depend on the host's speed.
 */
class SavedGuestsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} saved after line {1} on {2}, continued on {3}")
    @CsvSource({
        "long64.elf, 1, emulator, emulator",
        "long64.elf, 3, emulator, emulator",
        "long64.elf, 6, emulator, emulator",
        "cpl3.elf, 1, emulator, emulator",
        "cpl3.elf, 2, emulator, emulator",
        "pm32.elf, 2, emulator, emulator",
        "real-mode.bin, 1, emulator, emulator",
        "long64.elf, 3, emulator, kvm",
        "cpl3.elf, 1, emulator, kvm",
        "long64.elf, 3, kvm, emulator",
        "cpl3.elf, 1, kvm, emulator",
        "long64.elf, 2, kvm, kvm",
    })
    void continuesToTheSameOutput(String guest, int line, String saveOn, String restoreOn) throws Exception {
        new BackendUnderTest(saveOn).assumeUsable();
        new BackendUnderTest(restoreOn).assumeUsable();
        GuestOutcome savedSide = reference(guest, saveOn);
        GuestOutcome restoredSide = saveOn.equals(restoreOn) ? savedSide : reference(guest, restoreOn);
        assertTrue(savedSide.console().lines().count() > line, "the guest prints only "
                + savedSide.console().lines().count() + " lines; pick an earlier moment\n" + savedSide.describe());
        // Up to the save the guest ran on saveOn, afterwards on restoreOn: what each backend prints there.
        String expected = firstLines(savedSide.console(), line) + afterLines(restoredSide.console(), line);

        Path file = dir.resolve(guest + ".state");
        String before = saveAfterLine(guest, line, saveOn, file);
        assertEquals(firstLines(savedSide.console(), line), before, "output before the save");
        System.out.println(guest + " saved after line " + line + " on " + saveOn + ": " + Files.size(file) + " bytes");

        CapturingConsoleSink after = new CapturingConsoleSink(64 * 1024);
        PartitionResult result;
        long t0 = System.nanoTime();
        try (Partition p = Hypervisor.get().createPartition(config(guest, restoreOn))) {
            List<Saveable> devices = DebugDevices.attach(p, after);
            String leftOut = SaveableVm.controller(p, SaveableVm.describe(VmDescription.IMAGE, p), devices)
                    .restoreFromAnyBackend(file, StateProgress.NONE);
            assertEquals(saveOn.equals(restoreOn), leftOut == null, "platform section left out: " + leftOut);
            p.start();
            result = p.awaitExit(TIMEOUT);
        }
        GuestOutcome continued = new GuestOutcome(guest, restoreOn, result, before + after.text(), 0);
        if (PvmKnownFailures.explain(restoredSide).isPresent()) {
            String reason = PvmKnownFailures.explain(continued).orElseThrow(() -> new AssertionError(
                    "an uninterrupted run on " + restoreOn + " ends in a known PVM failure, the continued run elsewhere:\n"
                            + continued.describe()));
            System.out.println(guest + " continued on " + restoreOn + " ends where an uninterrupted run there ends: " + reason);
        } else {
            assertEquals(restoredSide.result(), result, "restored run: " + result.report() + "\n" + before + after.text());
        }
        assertEquals(expected, before + after.text(), "console of the saved-and-restored run");
    }

    /** An uninterrupted run on {@code backend}: exit 0, or a known PVM failure (its output up to there still counts). */
    private static GuestOutcome reference(String guest, String backend) {
        GuestOutcome r = GuestRunner.run(guest, new BackendUnderTest(backend), TIMEOUT);
        if (PvmKnownFailures.explain(r).isEmpty()) {
            assertEquals(new PartitionResult.Exited(0), r.result(), r.describe());
        }
        return r;
    }

    private static String firstLines(String text, int n) {
        int at = 0;
        for (int i = 0; i < n; i++) {
            at = text.indexOf('\n', at) + 1;
        }
        return text.substring(0, at);
    }

    private static String afterLines(String text, int n) {
        return text.substring(firstLines(text, n).length());
    }

    @ParameterizedTest(name = "{0} saved after line {1}, continued by 'partita restore' in a new process")
    @CsvSource({"long64.elf, 2", "cpl3.elf, 1"})
    void continuesInANewProcess(String guest, int line) throws Exception {
        BackendUnderTest emulator = new BackendUnderTest("emulator");
        emulator.assumeUsable();
        GuestOutcome reference = GuestRunner.run(guest, emulator, TIMEOUT);
        Path file = dir.resolve(guest + ".state");
        String before = saveAfterLine(guest, line, "emulator", file);
        ChildRun restored = partita(List.of("restore", file.toString(), "--timeout", "120s"), dir.resolve("restore.out"));
        assertEquals(0, restored.status(), restored.err());
        assertEquals(reference.console(), before + restored.out(), "console of the run continued in a new process");
        assertTrue(restored.err().contains("partita: restoring the VM state from"), restored.err());
    }

    @org.junit.jupiter.api.Test
    void sigusr1SavesARunningGuestAndRestoreContinuesIt() throws Exception {
        BackendUnderTest emulator = new BackendUnderTest("emulator");
        emulator.assumeUsable();
        Path file = dir.resolve("spin.state");
        Path out = dir.resolve("run.out");
        Process p = start(List.of("run", "--image", GuestImages.image("loop-forever.bin").toString(), "--backend", "emulator",
                "--save-on-signal", file.toString(), "--timeout", "120s"), out);
        try {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!Files.readString(out, StandardCharsets.ISO_8859_1).contains("\n") && p.isAlive()
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(p.isAlive(), "the spinning guest ended by itself: " + Files.readString(out));
            new ProcessBuilder("kill", "-USR1", Long.toString(p.pid())).start().waitFor();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the run did not end after SIGUSR1");
        } finally {
            p.destroyForcibly();
        }
        String err = Files.readString(dir.resolve("run.out.err"));
        assertEquals(0, p.exitValue(), err);
        assertTrue(err.contains("partita: saved in "), err);
        assertEquals("loop-forever guest: cli; jmp $\n", Files.readString(out));
        ChildRun restored = partita(List.of("restore", file.toString(), "--timeout", "2s"), dir.resolve("restore.out"));
        assertEquals(124, restored.status(), "the restored guest spins on until the timeout: " + restored.err());
        assertEquals("", restored.out(), "the restored guest goes on spinning without printing its banner again");
    }

    /** What a child {@code partita} printed and its exit status. */
    private record ChildRun(int status, String out, String err) {
    }

    private static ChildRun partita(List<String> args, Path out) throws Exception {
        Process p = start(args, out);
        if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            Assertions.fail("partita " + args + " did not end");
        }
        return new ChildRun(p.exitValue(), Files.readString(out, StandardCharsets.ISO_8859_1),
                Files.readString(Path.of(out + ".err"), StandardCharsets.ISO_8859_1));
    }

    /** Starts {@code partita ARGS} as a new JVM, stdout to {@code out}, stderr to {@code out.err}. */
    private static Process start(List<String> args, Path out) throws Exception {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new java.util.ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(args);
        return new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(new File(out + ".err"))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    }

    private static PartitionConfig config(String guest, String backend) {
        return PartitionConfig.defaults("saved-" + guest).withBackend(backend);
    }

    /** Runs {@code guest} until it has printed line {@code line}, saves it to {@code file}; returns its console so far. */
    private static String saveAfterLine(String guest, int line, String backend, Path file) throws Exception {
        PausingConsole console = new PausingConsole(line);
        try (Partition p = Hypervisor.get().createPartition(config(guest, backend))) {
            List<Saveable> devices = DebugDevices.attach(p, console);
            LoadedImage loaded = ImageSniffer.read(GuestImages.image(guest)).loadInto(p.memory());
            p.processor(0).setState(loaded.bootState());
            VmStateController controller = SaveableVm.controller(p, SaveableVm.describe(VmDescription.IMAGE, p), devices);
            p.start();
            try {
                if (!console.awaitLine(TIMEOUT.toSeconds())) {
                    Assertions.fail("the guest did not print line " + line + ": " + p.result() + "\n" + console.text());
                }
                CompletableFuture<Void> paused = p.processor(0).pause();
                console.release();
                paused.get(30, TimeUnit.SECONDS);
            } finally {
                console.release();
            }
            assertFalse(p.hasEnded(), "the guest ended before the save: " + p.result());
            controller.save(file, StateProgress.NONE);
            return console.text();
        }
    }
}

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
 * Guests saved mid-run and restored in a new partition finish exactly like an uninterrupted run:
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
    })
    void continuesToTheSameOutput(String guest, int line, String saveOn, String restoreOn) throws Exception {
        new BackendUnderTest(saveOn).assumeUsable();
        new BackendUnderTest(restoreOn).assumeUsable();
        GuestOutcome reference = GuestRunner.run(guest, new BackendUnderTest(saveOn), TIMEOUT);
        assertEquals(new PartitionResult.Exited(0), reference.result(), reference.describe());
        assertTrue(reference.console().lines().count() > line, "the guest prints only "
                + reference.console().lines().count() + " lines; pick an earlier moment\n" + reference.describe());

        Path file = dir.resolve(guest + ".state");
        String before = saveAfterLine(guest, line, saveOn, file);
        assertTrue(reference.console().startsWith(before), "output before the save differs\n" + before);
        System.out.println(guest + " saved after line " + line + " on " + saveOn + ": " + Files.size(file) + " bytes");

        CapturingConsoleSink after = new CapturingConsoleSink(64 * 1024);
        PartitionResult result;
        try (Partition p = Hypervisor.get().createPartition(config(guest, restoreOn))) {
            List<Saveable> devices = DebugDevices.attach(p, after);
            new VmStateController(p, devices).restore(file, StateProgress.NONE);
            p.start();
            result = p.awaitExit(TIMEOUT);
        }
        assertEquals(reference.result(), result, "restored run: " + result.report() + "\n" + before + after.text());
        assertEquals(reference.console(), before + after.text(), "console of the saved-and-restored run");
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
            VmStateController controller = new VmStateController(p, devices);
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

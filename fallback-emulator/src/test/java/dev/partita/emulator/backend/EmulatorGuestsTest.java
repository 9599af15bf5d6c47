package dev.partita.emulator.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.partita.hv.Hypervisor;
import dev.partita.hv.Partition;
import dev.partita.hv.PartitionConfig;
import dev.partita.hv.PartitionResult;
import dev.partita.hv.devices.debug.CapturingConsoleSink;
import dev.partita.hv.devices.debug.DebugDevices;
import dev.partita.hv.loader.ImageSniffer;
import dev.partita.hv.loader.LoadedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The guests of {@code guests/build} (guests/README.md) run on the emulator backend through the
 * public hv-runtime API, found by {@link java.util.ServiceLoader} under the name "emulator", with
 * the expected outcome of each. Skipped (reason printed) when the images are not built.
 */
class EmulatorGuestsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    static Path guestsBuild() {
        String dir = System.getProperty("partita.guests.dir");
        Path start = dir != null ? Path.of(dir) : Path.of("").toAbsolutePath();
        for (Path p = start; p != null; p = p.getParent()) {
            Path b = dir != null ? p.resolve("build") : p.resolve("guests").resolve("build");
            if (Files.isDirectory(b)) {
                return b;
            }
        }
        return null;
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "real-mode.bin, exit:0",
        "pm32.elf, exit:0",
        "long64.elf, exit:0",
        "cpl3.elf, exit:0",
        "triple-fault.elf, shutdown",
        "unmapped-memory.elf, exit:0",
        "exit-loop.bin, exit:0",
    })
    void guestEndsAsExpected(String guest, String expected) throws Exception {
        Path build = guestsBuild();
        Path image = build == null ? null : build.resolve(guest);
        if (image == null || !Files.isRegularFile(image)) {
            String reason = "guest image " + guest + " not built (make -C guests)";
            System.out.println("SKIP " + reason);
            Assumptions.abort(reason);
        }
        PartitionConfig config = PartitionConfig.defaults("emu-" + guest).withBackend(EmulatorBackend.NAME);
        CapturingConsoleSink console = new CapturingConsoleSink(64 * 1024);
        try (Partition p = Hypervisor.get().createPartition(config)) {
            DebugDevices.attach(p, console);
            LoadedImage loaded = ImageSniffer.read(image).loadInto(p.memory());
            p.processor(0).setState(loaded.bootState());
            long t0 = System.nanoTime();
            p.start();
            PartitionResult r = p.awaitExit(TIMEOUT);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            String outcome = switch (r) {
                case PartitionResult.Exited e -> "exit:" + Integer.toHexString(e.exitStatus());
                case PartitionResult.TripleFault t -> "shutdown";
                default -> r.getClass().getSimpleName();
            };
            System.out.println(guest + " on emulator: " + r.report().lines().findFirst().orElse("") + " in " + ms + " ms");
            assertEquals(expected, outcome, guest + ": " + r.report() + "\nconsole:\n" + console.text());
        }
    }
}

package dev.partita.guests;

import dev.partita.hv.Hypervisor;
import dev.partita.hv.Partition;
import dev.partita.hv.PartitionConfig;
import dev.partita.hv.PartitionResult;
import dev.partita.hv.devices.debug.CapturingConsoleSink;
import dev.partita.hv.devices.debug.DebugDevices;
import dev.partita.hv.loader.ImageLoadException;
import dev.partita.hv.loader.ImageSniffer;
import dev.partita.hv.loader.LoadedImage;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Runs one guest image the way {@code partita run --image} does: a 32 MiB, 1-vCPU partition on the given
 * backend, the debug devices of guests/README.md attached (console captured), the image loaded and vCPU 0
 * put in its boot state, then started and awaited with a timeout. Stateless; callers may run several
 * guests concurrently from different threads.
 */
final class GuestRunner {
    /** Console bytes kept per run; a flooding guest cannot use more memory than this. */
    private static final int CONSOLE_CAP = 64 * 1024;

    private GuestRunner() {
    }

    static GuestOutcome run(String guest, BackendUnderTest backend, Duration timeout) {
        return run(guest, backend, timeout, p -> { });
    }

    /** As {@link #run(String, BackendUnderTest, Duration)}, letting {@code beforeStart} adjust the loaded partition. */
    static GuestOutcome run(String guest, BackendUnderTest backend, Duration timeout, Consumer<Partition> beforeStart) {
        PartitionConfig config = PartitionConfig.defaults("guest-" + Path.of(guest).getFileName()).withBackend(backend.name());
        CapturingConsoleSink console = new CapturingConsoleSink(CONSOLE_CAP);
        try (Partition p = Hypervisor.get().createPartition(config)) {
            prepare(p, guest, console);
            beforeStart.accept(p);
            long t0 = System.nanoTime();
            p.start();
            PartitionResult result = p.awaitExit(timeout);
            long millis = (System.nanoTime() - t0) / 1_000_000;
            return new GuestOutcome(guest, backend.name(), result, console.text(), millis);
        }
    }

    /** Attaches the debug devices and loads {@code guest} into a created, not yet started partition. */
    static void prepare(Partition p, String guest, CapturingConsoleSink console) {
        DebugDevices.attach(p, console);
        try {
            LoadedImage loaded = ImageSniffer.read(GuestImages.image(guest)).loadInto(p.memory());
            p.processor(0).setState(loaded.bootState());
        } catch (ImageLoadException e) {
            throw new IllegalStateException("loading guest " + guest + " failed: " + e.getMessage(), e);
        }
    }
}

package dev.partita.guests;

import dev.partita.hv.Hypervisor;
import dev.partita.hv.Partition;
import dev.partita.hv.PartitionConfig;
import dev.partita.hv.PartitionResult;
import dev.partita.hv.devices.debug.DebugDevices;
import dev.partita.hv.loader.ImageLoadException;
import dev.partita.hv.loader.ImageSniffer;
import dev.partita.hv.loader.LoadedImage;
import dev.partita.vmbus.ChannelState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The guest-side VMBus client {@code vmbus-echo.elf} (guests/src/vmbus-echo) against Partita's own
 * root side: a partition with the Hyper-V interface and a VMBus server offering one echo channel
 * ({@link EchoBusAttachment}). The guest connects (5.x), finds the echo offer, creates the ring GPADL
 * (header + body message), opens the channel, exchanges 10,000 echo packets with completion requested
 * (checking each echo's transaction id, length and content, and that packets straddled both rings'
 * ends), closes the channel, tears the GPADL down and unloads; it exits 0 only if every check passed.
 *
 * <p>The host side is checked independently of what the guest says: the echo VSP saw exactly 10,000
 * packets, and after the run the channel is closed, no GPADL is left and the bus is disconnected.
 * The wall time of the 10,000-packet exchange (host clock, between the guest's "[echo] start" and
 * "[echo] done" console lines) is printed, not asserted.
 */
class VmbusEchoGuestTest {
    static final List<BackendUnderTest> backends = BackendUnderTest.ALL;
    private static final int PACKETS = 10_000;
    private static final Pattern STRADDLES = Pattern.compile("straddling out (\\d+) in (\\d+)");

    @ParameterizedTest(name = "on {0}")
    @FieldSource("backends")
    void guestVscExchangesTenThousandEchoPacketsWithTheEchoVsp(BackendUnderTest backend) {
        backend.assumeUsable();
        PartitionConfig config = PartitionConfig.defaults("vmbus-echo").withBackend(backend.name());
        TimestampedConsole console = new TimestampedConsole(64 * 1024);
        try (Partition p = Hypervisor.get().createPartition(config)) {
            load(p, console);
            try (EchoBusAttachment bus = EchoBusAttachment.attach(p)) {
                long t0 = System.nanoTime();
                p.start();
                PartitionResult result = p.awaitExit(Duration.ofSeconds(600));
                long millis = (System.nanoTime() - t0) / 1_000_000;
                GuestOutcome o = new GuestOutcome("vmbus-echo.elf", backend.name(), result, console.text(), millis);

                assertEquals(new PartitionResult.Exited(0), result, o.describe());
                assertEquals(PACKETS, bus.echo().packets(), "packets the echo VSP handled\n" + o.describe());
                assertEquals(ChannelState.OFFERED, bus.bus().inspect(m -> m.state(bus.relid())), "channel closed again");
                assertEquals(0, (int) bus.bus().inspect(m -> m.gpadlCount()), "GPADLs left after teardown");
                assertFalse((boolean) bus.bus().inspect(m -> m.isConnected()), "bus still connected after UNLOAD");
                Matcher straddles = STRADDLES.matcher(o.console());
                assertTrue(straddles.find(), "guest reported its ring statistics\n" + o.describe());

                Optional<Long> start = console.lineTime("[echo] start");
                Optional<Long> done = console.lineTime("[echo] done");
                String exchange = start.isPresent() && done.isPresent()
                        ? String.format("%.2f s (%.1f us/packet)", (done.get() - start.get()) / 1e9,
                        (done.get() - start.get()) / 1e3 / PACKETS)
                        : "n/a";
                String stats = o.console().lines().filter(l -> l.startsWith("[stats]")).findFirst().orElse("");
                System.out.println("vmbus-echo on " + backend.name() + ": " + PACKETS + " echo packets in " + exchange
                        + "; whole run " + millis + " ms; " + stats + "; packets straddling the ring end: out "
                        + straddles.group(1) + ", in " + straddles.group(2));
            }
        }
    }

    /** As {@link GuestRunner#prepare}, with a console that also timestamps lines. */
    private static void load(Partition p, TimestampedConsole console) {
        DebugDevices.attach(p, console);
        try {
            LoadedImage loaded = ImageSniffer.read(GuestImages.image("vmbus-echo.elf")).loadInto(p.memory());
            p.processor(0).setState(loaded.bootState());
        } catch (ImageLoadException e) {
            throw new IllegalStateException("loading guest vmbus-echo.elf failed: " + e.getMessage(), e);
        }
    }
}

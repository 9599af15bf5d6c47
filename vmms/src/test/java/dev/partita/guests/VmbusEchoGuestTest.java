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
import dev.partita.vmbus.ring.PacketBuffer;
import dev.partita.vmbus.testing.EchoVsp;
import dev.partita.vmbus.vsp.Vsp;
import dev.partita.vmbus.vsp.VspChannel;
import dev.partita.vmbus.vsp.VspOffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
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
            EchoVsp echo = new EchoVsp(UUID.randomUUID(), EchoBusAttachment.OFFERED_RING_BYTES);
            try (EchoBusAttachment bus = EchoBusAttachment.attach(p, echo)) {
                long t0 = System.nanoTime();
                p.start();
                PartitionResult result = p.awaitExit(Duration.ofSeconds(600));
                long millis = (System.nanoTime() - t0) / 1_000_000;
                GuestOutcome o = new GuestOutcome("vmbus-echo.elf", backend.name(), result, console.text(), millis);

                assertEquals(new PartitionResult.Exited(0), result, o.describe());
                assertEquals(PACKETS, echo.packets(), "packets the echo VSP handled\n" + o.describe());
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
                o.console().lines().filter(l -> !l.matches("\\[echo\\] \\d+") && !l.startsWith("[stats]"))
                        .forEach(l -> System.out.println("  guest: " + l));
                System.out.println("vmbus-echo on " + backend.name() + ": " + PACKETS + " echo packets in " + exchange
                        + "; whole run " + millis + " ms; " + stats + "; packets straddling the ring end: out "
                        + straddles.group(1) + ", in " + straddles.group(2));
            }
        }
    }

    /**
     * Negative control: a VSP under the echo class that answers packet {@value #CORRUPTED_PACKET} with one
     * payload byte flipped. The guest must stop at that packet with its content check (49), proving the
     * echoes are really compared.
     */
    @ParameterizedTest(name = "on {0}")
    @FieldSource("backends")
    void guestDetectsACorruptedEcho(BackendUnderTest backend) {
        backend.assumeUsable();
        PartitionConfig config = PartitionConfig.defaults("vmbus-echo-corrupt").withBackend(backend.name());
        TimestampedConsole console = new TimestampedConsole(64 * 1024);
        try (Partition p = Hypervisor.get().createPartition(config)) {
            load(p, console);
            try (EchoBusAttachment bus = EchoBusAttachment.attach(p, new CorruptingEchoVsp())) {
                p.start();
                PartitionResult result = p.awaitExit(Duration.ofSeconds(600));
                GuestOutcome o = new GuestOutcome("vmbus-echo.elf", backend.name(), result, console.text(), 0);
                assertEquals(new PartitionResult.Exited(CONTENT_CHECK), result, o.describe());
                assertTrue(o.console().contains("FAIL check " + CONTENT_CHECK), o.describe());
            }
        }
    }

    private static final int CORRUPTED_PACKET = 1234;
    /** The guest's check number for echoed payload content (guests/src/vmbus-echo/vmbus-echo.c). */
    private static final int CONTENT_CHECK = 49;

    /** Echoes like {@link EchoVsp}, except that packet {@link #CORRUPTED_PACKET} comes back with its first byte flipped. */
    private static final class CorruptingEchoVsp implements Vsp {
        private final VspOffer offer = new VspOffer(EchoVsp.INTERFACE_TYPE, UUID.randomUUID(),
                EchoBusAttachment.OFFERED_RING_BYTES, EchoBusAttachment.OFFERED_RING_BYTES);

        @Override
        public VspOffer offer() {
            return offer;
        }

        @Override
        public void open(VspChannel channel) {
        }

        @Override
        public void onPacket(VspChannel channel, PacketBuffer p, boolean endOfBatch) {
            byte[] payload = p.payload();
            if (p.transactionId() == CORRUPTED_PACKET && payload.length > 0) {
                payload[0] ^= 0x5A;
            }
            channel.complete(p.transactionId(), payload, 0, payload.length);
        }

        @Override
        public void close(VspChannel channel) {
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

package dev.partita.vmbus.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.partita.hv.log.LogLevels;
import dev.partita.hv.memory.GuestMemory;
import dev.partita.vmbus.ChannelManager;
import dev.partita.vmbus.VmBusTuning;
import dev.partita.vmbus.channel.ChannelPipeline;
import dev.partita.vmbus.client.VmBusClient;
import dev.partita.vmbus.protocol.ChannelMessage;
import dev.partita.vmbus.protocol.ChannelMessage.*;
import dev.partita.vmbus.protocol.ChannelMessageCodec;
import dev.partita.vmbus.protocol.VmbusVersion;
import dev.partita.vmbus.testing.RecordingSynicPort;
import dev.partita.vmbus.testing.EchoVsp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Fuzzes everything a guest controls on the management path and in channel rings: arbitrary and
 * structured channel messages (contact, offers, GPADLs with bogus PFNs / counts / lengths, opens
 * with bogus offsets, closes, teardowns, unloads), scribbles into guest memory (ring headers and
 * packet descriptors included) and channel signals, against a 256 KiB guest.
 *
 * <p>Properties: no exception escapes the manager or the signal path; every fault is caught at the
 * protocol edge (a dropped message with a reason, or a channel closed with a "ring:" reason),
 * never by a bounds or null check deeper down; messages the root posts are well-formed; a failed
 * channel is rescinded. Memory outside the guest is unreachable by construction (every ring page
 * is a bounds-limited view from {@link GuestMemory#segment}), and a view access that would leave
 * its page would surface here as an unexpected exception.
 *
 * <p>CI runs the seeds in {@code src/test/resources/dev/partita/vmbus/fuzz/ManagementFuzzTestInputs}
 * (regression mode); {@code JAZZER_FUZZ=1} fuzzes with coverage feedback.
 */
class ManagementFuzzTest {
    static final long MEMORY_BYTES = 256 * 1024;
    private static final GuestMemory MEMORY = GuestMemory.allocate(MEMORY_BYTES);
    private static final int[] VERSIONS = {VmbusVersion.V5_3, VmbusVersion.V5_0, VmbusVersion.V4_1, VmbusVersion.V3_0,
        VmbusVersion.V2_4, 0x00010001, 0x00050004};
    static long executions;
    static {
        // The root logs every dropped message and closed channel, which would flood a fuzzing run.
        LogLevels.set("dev.partita.vmbus", System.Logger.Level.OFF);
    }

    @AfterAll
    static void report() {
        System.out.println("ManagementFuzzTest: " + executions + " inputs executed");
    }

    @FuzzTest(maxDuration = "5m")
    void anyGuestBehaviour(byte[] data) {
        run(data);
    }

    /** Deterministic complement for CI: random scripts biased toward reaching open channels. */
    @Test
    void randomScriptsKeepThePropertiesUp() {
        SplittableRandom rng = new SplittableRandom(4242);
        for (int n = 0; n < 300; n++) {
            byte[] b = new byte[rng.nextInt(8, 400)];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) (i % 6 == 0 ? rng.nextInt(12) : rng.nextInt(i % 3 == 0 ? 8 : 256));
            }
            run(b);
        }
    }

    /** What one input reached: channels opened, guest events raised, root-posted messages. */
    record Reach(int opens, int events, int posted) {
    }

    @Test
    void theHappySeedOpensAChannelAndGetsItsPacketsEchoed() throws Exception {
        byte[] seed;
        try (var in = getClass().getResourceAsStream("ManagementFuzzTestInputs/anyGuestBehaviour/happy_path_5_3")) {
            seed = in.readAllBytes();
        }
        int cut = seed.length - 6; // stop before close / teardown / unload, then let the pipeline run
        Reach r = run(java.util.Arrays.copyOf(seed, cut), 5_000_000_000L);
        long t0 = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            run(seed);
        }
        System.out.println("happy seed: " + r + "; full seed " + (System.nanoTime() - t0) / 10_000 + " us per run");
        assertEquals(1, r.opens());
        assertTrue(r.events() >= 1, "the echo VSP's completions raised the channel's event flag");
    }

    static Reach run(byte[] data) {
        return run(data, 0);
    }

    /** Runs one input; with {@code settleNanos} > 0 waits that long at most for a guest event before the reset. */
    static Reach run(byte[] data, long settleNanos) {
        executions++;
        int opens = 0;
        MEMORY.fill(0, MEMORY_BYTES, (byte) 0);
        RecordingSynicPort port = new RecordingSynicPort();
        ConcurrentLinkedQueue<Object[]> failures = new ConcurrentLinkedQueue<>();
        ChannelManager m = new ChannelManager(MEMORY, port, VmBusTuning.defaults(),
                (relid, p, reason) -> failures.add(new Object[]{relid, p, reason}));
        List<String> reasons = new ArrayList<>();
        try {
            m.offer(new EchoVsp(UUID.randomUUID(), 16384));
            m.offer(new EchoVsp(UUID.randomUUID(), 16384));
            FuzzScript s = new FuzzScript(data);
            for (int step = 0; step < 64 && s.more(); step++) {
                step(m, port, s);
                opens += (int) port.posted.stream().filter(p -> p.message() instanceof OpenChannelResult r && r.status() == 0).count();
                port.posted.removeIf(p -> p.message() instanceof OpenChannelResult);
                Object[] f;
                while ((f = failures.poll()) != null) {
                    reasons.add((String) f[2]);
                    m.channelFailed((int) f[0], (ChannelPipeline) f[1], (String) f[2]);
                    assertNotEquals(dev.partita.vmbus.ChannelState.OPEN, m.state((int) f[0]), "failed channel closed");
                }
            }
            long deadline = System.nanoTime() + settleNanos;
            while (settleNanos > 0 && System.nanoTime() < deadline && port.events.isEmpty()) {
                Thread.onSpinWait();
            }
        } finally {
            m.reset();
        }
        int events;
        synchronized (port.events) {
            events = port.events.size();
        }
        for (String d : m.dropped()) {
            assertFalse(d.startsWith("handling a"), "a fault escaped the protocol checks: " + d);
        }
        for (String r : reasons) {
            assertTrue(r.startsWith("guest-to-host ring: ") || r.startsWith("host-to-guest ring: "),
                    "channel closed by something other than a ring check: " + r);
        }
        return new Reach(opens, events, port.posted.size());
    }

    private static void step(ChannelManager m, RecordingSynicPort port, FuzzScript s) {
        int op = s.u8() % 12;
        switch (op) {
            case 0 -> m.handleMessage(s.u8() & 1, s.u8() % 2 == 0 ? 1 : 4, s.u8() % 3 == 0 ? s.u8() : 1, s.bytes(s.u8()));
            case 1 -> {
                int v = s.u8() % (VERSIONS.length + 1);
                int version = v == VERSIONS.length ? s.u32() : VERSIONS[v];
                send(m, s.u8() % 3 == 0 ? 1 : 4, new InitiateContact(version, s.u8() % 2, s.u8() % 3 == 0 ? s.u64() : 2, 0, 0));
            }
            case 2 -> send(m, 1, new RequestOffers());
            case 3 -> {
                int relid = s.u8() % 4;
                int id = s.u8() % 5;
                long first = s.u8() % 80;       // the guest has 64 pages
                int count = 1 + s.u8() % 70;
                long[] pfns = new long[count];
                long stride = s.u8() % 4 == 0 ? s.u64() : 1;
                for (int i = 0; i < count; i++) {
                    pfns[i] = first + i * stride;
                }
                List<byte[]> msgs = VmBusClient.gpadlMessages(relid, id, pfns);
                int skip = s.u8() % 8 == 0 ? s.u8() % msgs.size() : -1;
                int corrupt = s.u8() % 8 == 0 ? s.u8() % msgs.size() : -1;
                for (int i = 0; i < msgs.size(); i++) {
                    byte[] msg = msgs.get(i);
                    if (i == corrupt && msg.length > 8) {
                        msg[8 + s.u8() % (msg.length - 8)] = (byte) s.u8();
                    }
                    if (i != skip) {
                        m.handleMessage(0, 1, 1, msg);
                    }
                }
            }
            case 4 -> send(m, 1, new OpenChannel(s.u8() % 4, s.u8(), s.u8() % 5, s.u8() % 3, s.u8() % 72, new byte[120]));
            case 5 -> send(m, 1, new CloseChannel(s.u8() % 4));
            case 6 -> send(m, 1, new GpadlTeardown(s.u8() % 4, s.u8() % 5));
            case 7 -> send(m, 1, new Unload());
            case 8 -> send(m, 1, new RelidReleased(s.u8() % 4));
            case 9 -> { // scribble anywhere in guest memory (ring data included)
                long gpa = (s.u32() & 0x7FFFFFFFL) % MEMORY_BYTES;
                byte[] b = s.bytes(s.u8());
                MEMORY.write(gpa, b, 0, (int) Math.min(b.length, MEMORY_BYTES - gpa));
            }
            case 10 -> m.onSignal(0, ChannelManager.CHANNEL_CONNECTION_BASE + s.u8() % 4, 0);
            case 11 -> { // a ring header field of some page: write / read index, mask, pending size, features
                int[] fields = {0, 4, 8, 12, 64};
                long gpa = (long) (s.u8() % 64) * 4096 + fields[s.u8() % fields.length];
                MEMORY.writeU32(gpa, s.u8() % 2 == 0 ? s.u32() : (s.u16() & ~7));
                m.onSignal(0, ChannelManager.CHANNEL_CONNECTION_BASE + 1 + s.u8() % 2, 0);
            }
            default -> throw new AssertionError(op);
        }
    }

    private static void send(ChannelManager m, int conn, ChannelMessage msg) {
        m.handleMessage(0, conn, 1, ChannelMessageCodec.encode(msg));
    }
}

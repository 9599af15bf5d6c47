package dev.partita.devices.fuzz;

import dev.partita.vmbus.fuzz.FuzzScript;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.partita.devices.ic.HeartbeatStatus;
import dev.partita.devices.ic.HeartbeatVsp;
import dev.partita.devices.ic.IcMessage;
import dev.partita.devices.ic.IntegrationComponentVsp;
import dev.partita.devices.ic.ShutdownVsp;
import dev.partita.devices.ic.TimeSyncVsp;
import dev.partita.vmbus.ring.PacketBuffer;
import dev.partita.vmbus.ring.PacketType;
import dev.partita.vmbus.vsp.VspChannel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Fuzzes the integration-component VSPs (heartbeat, shutdown, time sync) with any sequence of
 * guest packets on their channel: packet types other than in-band, messages shorter than the
 * headers, negotiation responses with any counts and versions (offered or not), heartbeat, shutdown
 * and time-sync responses with any status, sequence, flags, sizes and transaction ids (the ones the
 * host used and others), requests instead of responses, and channel close / re-open between them.
 *
 * <p>Properties: {@code onPacket} never throws and never closes the channel (no guest message is
 * a protocol violation for these components, so a failure would be an exception caught inside the
 * VSP); every message the host sends is a well-formed request (pipe and IC header sizes agree with
 * the packet, request flag set); versions agreed are ones the host offered; the heartbeat's answer
 * counters never go down; every shutdown request is completed by the end (by the response to its
 * transaction, or exceptionally when the channel closes).
 *
 * <p>CI runs the seeds in {@code src/test/resources/dev/partita/devices/fuzz/IcMessageFuzzTestInputs}
 * (regression mode); {@code JAZZER_FUZZ=1} fuzzes with coverage feedback.
 */
class IcMessageFuzzTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);
    static long executions;
    /** Rejected guest input is logged, which would flood a fuzzing run. */
    static {
        dev.partita.hv.log.LogLevels.set("dev.partita.devices", System.Logger.Level.OFF);
    }

    @AfterAll
    static void report() {
        System.out.println("IcMessageFuzzTest: " + executions + " inputs executed");
    }

    @FuzzTest(maxDuration = "3m")
    void anyGuestMessages(byte[] data) {
        run(data);
    }

    /** Deterministic complement for CI: random responses, most of them to real transactions with valid versions. */
    @Test
    void randomResponsesKeepTheProperties() {
        SplittableRandom rng = new SplittableRandom(0x1C);
        for (int n = 0; n < 2_000; n++) {
            byte[] b = new byte[rng.nextInt(8, 200)];
            rng.nextBytes(b);
            for (int i = 0; i < b.length; i += 1 + rng.nextInt(6)) {
                b[i] = (byte) rng.nextInt(4);
            }
            run(b);
        }
    }

    /** A channel that records what the VSP sends and whether it failed the channel. */
    static final class Channel implements VspChannel {
        final List<long[]> sentTransactions = new ArrayList<>();
        final List<byte[]> sent = new ArrayList<>();
        final List<String> failures = new ArrayList<>();

        @Override
        public int relid() {
            return 1;
        }

        @Override
        public int targetVp() {
            return 0;
        }

        @Override
        public byte[] openUserData() {
            return new byte[120];
        }

        @Override
        public void complete(long transactionId, byte[] payload, int offset, int length) {
            fail("an IC VSP completed a guest packet");
        }

        @Override
        public void send(long transactionId, boolean completionRequested, byte[] payload, int offset, int length) {
            byte[] m = java.util.Arrays.copyOfRange(payload, offset, offset + length);
            assertTrue(m.length >= IcMessage.DATA, "request shorter than its headers");
            int size = Short.toUnsignedInt((short) (m[IcMessage.SIZE] & 0xFF | m[IcMessage.SIZE + 1] << 8));
            assertEquals(IcMessage.DATA + size, m.length, "IC message size matches the packet");
            int pipe = m[IcMessage.PIPE_SIZE] & 0xFF | (m[IcMessage.PIPE_SIZE + 1] & 0xFF) << 8;
            assertEquals(m.length - 8, pipe, "pipe size matches the packet");
            assertEquals(IcMessage.FLAG_TRANSACTION | IcMessage.FLAG_REQUEST, m[IcMessage.FLAGS], "request flags");
            sentTransactions.add(new long[]{transactionId});
            sent.add(m);
        }

        @Override
        public void fail(String reason) {
            failures.add(reason);
        }

        long lastTransaction() {
            return sentTransactions.isEmpty() ? 0 : sentTransactions.getLast()[0];
        }
    }

    /** What one input reached: components negotiated (at the end of the script), heartbeat answers counted. */
    record Reach(int negotiated, long heartbeatAnswers) {
    }

    @Test
    void theNegotiationSeedAgreesOnEveryComponentAndGetsAHeartbeatAnswer() throws Exception {
        byte[] seed;
        try (var in = getClass().getResourceAsStream("IcMessageFuzzTestInputs/anyGuestMessages/negotiate_all_then_answer")) {
            seed = in.readAllBytes();
        }
        Reach r = run(seed);
        assertEquals(3, r.negotiated(), "heartbeat, shutdown and time sync negotiated");
        assertTrue(r.heartbeatAnswers() >= 1, "a valid heartbeat answer was counted: " + r);
    }

    static Reach run(byte[] data) {
        executions++;
        FuzzScript s = new FuzzScript(data);
        HeartbeatVsp heartbeat = new HeartbeatVsp(UUID.randomUUID(), CLOCK, 0);
        ShutdownVsp shutdown = new ShutdownVsp(UUID.randomUUID());
        TimeSyncVsp timesync = new TimeSyncVsp(UUID.randomUUID(), CLOCK, () -> 42, 0);
        IntegrationComponentVsp[] vsps = {heartbeat, shutdown, timesync};
        Channel[] channels = new Channel[3];
        for (int i = 0; i < 3; i++) {
            channels[i] = new Channel();
            vsps[i].open(channels[i]);
        }
        List<CompletableFuture<Integer>> shutdowns = new ArrayList<>();
        PacketBuffer packet = new PacketBuffer(64);
        long answers = 0;
        long bad = 0;
        int negotiated;
        try {
            for (int step = 0; step < 40 && s.more(); step++) {
                int which = s.u8() % 3;
                IntegrationComponentVsp vsp = vsps[which];
                Channel ch = channels[which];
                switch (s.u8() % 8) {
                    case 0 -> { // close and re-open: negotiation starts over
                        vsp.close(ch);
                        channels[which] = ch = new Channel();
                        vsp.open(ch);
                    }
                    case 1 -> {
                        if (vsp == shutdown) {
                            shutdowns.add(shutdown.requestShutdown("fuzz", s.bit()));
                        } else if (vsp == heartbeat) {
                            heartbeat.beat();
                        } else {
                            timesync.sample();
                        }
                    }
                    default -> {
                        byte[] msg = message(s, vsp, ch);
                        int type = s.u8() < 0xF0 ? PacketType.DATA_IN_BAND : s.u8();
                        long tx = s.bit() ? ch.lastTransaction() : s.u64();
                        packet.fill(type, 0, tx, msg, 0, msg.length);
                        vsp.onPacket(ch, packet, true);
                    }
                }
                assertEquals(List.of(), ch.failures, "the VSP closed the channel over a guest message");
                if (vsp.agreed() != null) {
                    assertTrue(vsp.messageVersions().contains(vsp.agreed().message()), "agreed message version was offered");
                }
                HeartbeatStatus st = heartbeat.status();
                assertTrue(st.answers() >= answers && st.badAnswers() >= bad, "heartbeat counters never go down");
                answers = st.answers();
                bad = st.badAnswers();
            }
        } finally {
            negotiated = 0;
            for (IntegrationComponentVsp v : vsps) {
                negotiated += v.agreed() != null ? 1 : 0;
            }
            for (int i = 0; i < 3; i++) {
                vsps[i].close(channels[i]);
                vsps[i].shutdownScheduler();
            }
        }
        for (CompletableFuture<Integer> f : shutdowns) {
            assertTrue(f.isDone(), "a shutdown request is answered or fails when the channel closes");
        }
        return new Reach(negotiated, heartbeat.status().answers());
    }

    /** A guest message for {@code vsp}: a structured response (usually) or raw bytes. */
    private static byte[] message(FuzzScript s, IntegrationComponentVsp vsp, Channel ch) {
        if (s.u8() >= 0xE0) {
            return s.bytes(s.u8());
        }
        int kind = s.u8() % 5;
        int icType = kind == 0 ? IcMessage.TYPE_NEGOTIATE
                : vsp instanceof HeartbeatVsp ? IcMessage.TYPE_HEARTBEAT
                : vsp instanceof ShutdownVsp ? IcMessage.TYPE_SHUTDOWN : IcMessage.TYPE_TIMESYNC;
        if (kind == 4) {
            icType = s.u16();
        }
        byte[] body;
        if (icType == IcMessage.TYPE_NEGOTIATE) {
            int fwCount = s.bit() ? 1 : s.u8() % 4;
            int msgCount = s.bit() ? 1 : s.u8() % 4;
            body = new byte[8 + 4 * (fwCount + msgCount)];
            body[0] = (byte) fwCount;
            body[2] = (byte) msgCount;
            for (int at = 8; at < body.length; at += 4) {
                body[at] = (byte) (s.bit() ? 3 : s.u8() % 5);       // major: 3 is offered by every component
                body[at + 2] = (byte) (s.bit() ? 0 : s.u8() % 3);   // minor
            }
        } else if (icType == IcMessage.TYPE_HEARTBEAT && !ch.sent.isEmpty() && s.bit()) {
            body = new byte[40];
            byte[] last = ch.sent.getLast();
            long seq = IcMessage.DATA + 8 <= last.length ? le64(last, IcMessage.DATA) + (s.bit() ? 1 : s.u8()) : s.u64();
            for (int i = 0; i < 8; i++) {
                body[i] = (byte) (seq >>> (8 * i));
            }
        } else {
            body = s.bytes(s.u8() % 64);
        }
        byte[] m = new byte[IcMessage.DATA + body.length + (s.u8() == 0xFF ? s.u8() : 0)];
        int sizeField = s.u8() == 0xFE ? s.u16() : body.length;
        put16(m, IcMessage.PIPE_SIZE, m.length - 8);
        put16(m, IcMessage.FRAMEWORK_MAJOR, 3);
        put16(m, IcMessage.TYPE, icType);
        put16(m, IcMessage.MESSAGE_MAJOR, 3);
        put16(m, IcMessage.SIZE, sizeField);
        int status = s.bit() ? IcMessage.S_OK : s.u32();
        for (int i = 0; i < 4; i++) {
            m[IcMessage.STATUS + i] = (byte) (status >>> (8 * i));
        }
        m[IcMessage.FLAGS] = (byte) (s.u8() < 0xF0 ? IcMessage.FLAG_TRANSACTION | IcMessage.FLAG_RESPONSE : s.u8());
        System.arraycopy(body, 0, m, IcMessage.DATA, body.length);
        return m;
    }

    private static long le64(byte[] b, int at) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (b[at + i] & 0xFF);
        }
        return v;
    }

    private static void put16(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
    }
}

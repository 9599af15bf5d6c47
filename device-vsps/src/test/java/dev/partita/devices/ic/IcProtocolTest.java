package dev.partita.devices.ic;

import dev.partita.vmbus.protocol.LittleEndian;
import dev.partita.vmbus.ring.PacketBuffer;
import dev.partita.vmbus.ring.PacketType;
import dev.partita.vmbus.vsp.VspChannel;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Guest IC answers become typed records or a typed refusal, and the negotiation state moves only
 * on the answer that matches the offer: checked on the handler path directly, without a VMBus.
 */
class IcProtocolTest {
    /** A channel that records what the component sends. */
    private static final class Recorder implements VspChannel {
        final List<long[]> txids = new ArrayList<>();
        final List<byte[]> sent = new ArrayList<>();
        String failure;

        @Override
        public int relid() {
            return 3;
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
            throw new AssertionError("IC components send no completions");
        }

        @Override
        public void send(long transactionId, boolean completionRequested, byte[] payload, int offset, int length) {
            txids.add(new long[]{transactionId});
            sent.add(Arrays.copyOfRange(payload, offset, offset + length));
        }

        @Override
        public void fail(String reason) {
            failure = reason;
        }
    }

    /** The host message {@code m} turned into the guest's answer (RESPONSE flag, {@code status}). */
    private static byte[] answer(byte[] m, int status) {
        byte[] b = m.clone();
        b[IcMessage.FLAGS] = (byte) (IcMessage.FLAG_TRANSACTION | IcMessage.FLAG_RESPONSE);
        LittleEndian.put32(b, IcMessage.STATUS, status);
        return b;
    }

    /** A negotiation answer choosing {@code fw} and {@code msg} (counts 0/0 when both are null). */
    private static byte[] negotiateAnswer(IcVersion fw, IcVersion msg) {
        byte[] b = new byte[IcMessage.DATA + 16];
        LittleEndian.put16(b, IcMessage.TYPE, IcMessage.TYPE_NEGOTIATE);
        b[IcMessage.FLAGS] = (byte) (IcMessage.FLAG_TRANSACTION | IcMessage.FLAG_RESPONSE);
        if (fw != null) {
            LittleEndian.put16(b, IcMessage.DATA, 1);
            LittleEndian.put16(b, IcMessage.DATA + 2, 1);
            LittleEndian.put16(b, IcMessage.DATA + 8, fw.major());
            LittleEndian.put16(b, IcMessage.DATA + 10, fw.minor());
            LittleEndian.put16(b, IcMessage.DATA + 12, msg.major());
            LittleEndian.put16(b, IcMessage.DATA + 14, msg.minor());
        }
        return b;
    }

    private static PacketBuffer inband(long txid, byte[] payload) {
        PacketBuffer p = new PacketBuffer(64);
        p.fill(PacketType.DATA_IN_BAND, 0, txid, payload, 0, payload.length);
        return p;
    }

    private static IcProtocolException refusal(byte[] message) {
        return assertThrows(IcProtocolException.class, () -> IcMessage.parseResponse(message, 0, message.length));
    }

    @Test
    void answersParseIntoRecordsOfTheirType() throws Exception {
        byte[] beat = answer(IcMessage.request(new IcRequest.Heartbeat(41), IcVersion.V3_0, IcVersion.V3_0, 0), 0);
        LittleEndian.put64(beat, IcMessage.DATA, 42);
        assertEquals(new IcResponse.Heartbeat(0, 42), IcMessage.parseResponse(beat, 0, beat.length));

        byte[] off = new byte[beat.length + 5];
        System.arraycopy(beat, 0, off, 5, beat.length);
        assertEquals(new IcResponse.Heartbeat(0, 42), IcMessage.parseResponse(off, 5, beat.length), "at an offset");

        byte[] shutdown = answer(IcMessage.request(new IcRequest.Shutdown(0, "x", true), IcVersion.V3_0, IcVersion.V3_0, 0),
                IcMessage.E_FAIL);
        assertEquals(new IcResponse.Shutdown(IcMessage.E_FAIL), IcMessage.parseResponse(shutdown, 0, shutdown.length));

        byte[] neg = negotiateAnswer(IcVersion.V3_0, new IcVersion(3, 2));
        assertEquals(new IcResponse.Negotiate(0, List.of(IcVersion.V3_0), List.of(new IcVersion(3, 2))),
                IcMessage.parseResponse(neg, 0, neg.length));
    }

    @Test
    void malformedAnswersAreRefusedWithTheirReason() {
        byte[] beat = answer(IcMessage.request(new IcRequest.Heartbeat(1), IcVersion.V3_0, IcVersion.V3_0, 0), 0);
        assertEquals(IcProtocolException.Reason.TRUNCATED_MESSAGE, refusal(Arrays.copyOf(beat, IcMessage.DATA - 1)).reason());
        assertEquals(IcProtocolException.Reason.TRUNCATED_MESSAGE, refusal(Arrays.copyOf(beat, IcMessage.DATA + 7)).reason(),
                "heartbeat without its sequence number");
        byte[] request = IcMessage.request(new IcRequest.Heartbeat(1), IcVersion.V3_0, IcVersion.V3_0, 0);
        assertEquals(IcProtocolException.Reason.NOT_A_RESPONSE, refusal(request).reason());
        byte[] kvp = beat.clone();
        LittleEndian.put16(kvp, IcMessage.TYPE, IcMessage.TYPE_KVP_EXCHANGE);
        assertEquals(IcProtocolException.Reason.UNKNOWN_TYPE, refusal(kvp).reason());
        byte[] neg = negotiateAnswer(IcVersion.V3_0, IcVersion.V3_0);
        LittleEndian.put16(neg, IcMessage.DATA + 2, 500);                     // 500 message versions in 16 bytes
        assertEquals(IcProtocolException.Reason.TRUNCATED_MESSAGE, refusal(neg).reason());
    }

    @Test
    void negotiationStateFollowsOnlyTheAnswerToTheOffer() {
        Instant now = Instant.parse("2026-11-21T22:00:00Z");
        HeartbeatVsp hb = new HeartbeatVsp(UUID.randomUUID(), Clock.fixed(now, ZoneOffset.UTC), 0);
        Recorder ch = new Recorder();
        assertInstanceOf(IcChannelState.Closed.class, hb.state());
        hb.open(ch);
        IcChannelState.Negotiating n = assertInstanceOf(IcChannelState.Negotiating.class, hb.state());
        assertEquals(ch.txids.getFirst()[0], n.transaction(), "the offer's VMBus transaction id is remembered");

        hb.onPacket(ch, inband(n.transaction() + 99, negotiateAnswer(IcVersion.V3_0, IcVersion.V3_0)), true);
        assertInstanceOf(IcChannelState.Negotiating.class, hb.state(), "an answer to another transaction is ignored");
        hb.onPacket(ch, inband(n.transaction(), new byte[8]), true);
        assertInstanceOf(IcChannelState.Negotiating.class, hb.state(), "a malformed answer is dropped");
        assertNull(ch.failure);

        hb.onPacket(ch, inband(n.transaction(), negotiateAnswer(IcVersion.V3_0, new IcVersion(2, 0))), true);
        IcChannelState.Refused r = assertInstanceOf(IcChannelState.Refused.class, hb.state());
        assertEquals(IcProtocolException.Reason.BAD_NEGOTIATION, r.reason(), "2.0 was not offered");
        assertTrue(!hb.beat(), "nothing is sent without agreed versions");

        hb.close(ch);
        hb.open(ch);
        n = assertInstanceOf(IcChannelState.Negotiating.class, hb.state());
        hb.onPacket(ch, inband(n.transaction(), negotiateAnswer(IcVersion.V1_0, IcVersion.V1_0)), true);
        IcChannelState.Negotiated ok = assertInstanceOf(IcChannelState.Negotiated.class, hb.state());
        assertEquals(new IcNegotiation.Agreed(IcVersion.V1_0, IcVersion.V1_0), ok.agreed());
        byte[] beat = ch.sent.getLast();
        assertEquals(IcMessage.TYPE_HEARTBEAT, LittleEndian.u16(beat, IcMessage.TYPE), "the first heartbeat followed");
        assertEquals(1, LittleEndian.u16(beat, IcMessage.MESSAGE_MAJOR), "in the agreed version");

        byte[] reply = answer(beat, 0);
        LittleEndian.put64(reply, IcMessage.DATA, LittleEndian.u64(beat, IcMessage.DATA) + 1);
        hb.onPacket(ch, inband(ch.txids.getLast()[0], reply), true);
        assertEquals(1, hb.status().answers());
        assertEquals(now, hb.status().lastSeen());

        hb.close(ch);
        assertInstanceOf(IcChannelState.Closed.class, hb.state());
        hb.onPacket(ch, inband(n.transaction(), negotiateAnswer(IcVersion.V1_0, IcVersion.V1_0)), true);
        assertInstanceOf(IcChannelState.Closed.class, hb.state(), "a late answer does not reopen a closed channel");
        assertNull(ch.failure);
    }
}

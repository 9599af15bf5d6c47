package dev.partita.devices.ic;

import dev.partita.vmbus.protocol.LittleEndian;
import dev.partita.vmbus.client.ClientChannel;
import dev.partita.vmbus.ring.PacketBuffer;
import dev.partita.vmbus.ring.PacketType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The guest side of an integration component as Linux's hv_utils behaves (facts from
 * {@code drivers/hv/hv_util.c} and {@code vmbus_prep_negotiate_resp}): it answers every host
 * message by sending the buffer back with the TRANSACTION|RESPONSE flags in an in-band packet
 * with the host's transaction id; for negotiation it picks the first of its own versions that the
 * host offered (framework, then message) and rewrites the counts to 1/1 (0/0 without a match);
 * heartbeats come back with the sequence number plus one.
 */
final class HvUtilsGuest {
    final List<IcVersion> framework;
    final List<IcVersion> messages;
    final List<byte[]> received = new ArrayList<>();
    IcVersion chosenMessage;

    HvUtilsGuest(List<IcVersion> framework, List<IcVersion> messages) {
        this.framework = framework;
        this.messages = messages;
    }

    /** Receives one host message on {@code ch} and answers it; returns the request as received. */
    byte[] answerOne(ClientChannel ch, int shutdownStatus) throws Exception {
        PacketBuffer p = new PacketBuffer(4096);
        if (!ch.receive(p, TimeUnit.SECONDS.toNanos(5))) {
            throw new AssertionError("no message from the host");
        }
        if (p.type() != PacketType.DATA_IN_BAND) {
            throw new AssertionError("host sent packet type " + p.type());
        }
        byte[] buf = Arrays.copyOfRange(p.bytes(), p.payloadOffset(), p.payloadOffset() + p.payloadLength());
        received.add(buf.clone());
        int type = LittleEndian.u16(buf, IcMessage.TYPE);
        if (type == IcMessage.TYPE_NEGOTIATE) {
            negotiate(buf);
        } else if (type == IcMessage.TYPE_HEARTBEAT) {
            LittleEndian.put64(buf, IcMessage.DATA, LittleEndian.u64(buf, IcMessage.DATA) + 1);
        } else if (type == IcMessage.TYPE_SHUTDOWN) {
            LittleEndian.put32(buf, IcMessage.STATUS, shutdownStatus);
        }
        buf[IcMessage.FLAGS] = (byte) (IcMessage.FLAG_TRANSACTION | IcMessage.FLAG_RESPONSE);
        if (!ch.send(p.transactionId(), false, buf, 0, buf.length)) {
            throw new AssertionError("guest ring full");
        }
        return received.getLast();
    }

    private void negotiate(byte[] buf) {
        int d = IcMessage.DATA;
        int fwCount = LittleEndian.u16(buf, d);
        int msgCount = LittleEndian.u16(buf, d + 2);
        IcVersion fw = pick(buf, d + 8, fwCount, framework);
        IcVersion msg = fw == null ? null : pick(buf, d + 8 + 4 * fwCount, msgCount, messages);
        LittleEndian.put16(buf, IcMessage.SIZE, 0x10);
        boolean ok = fw != null && msg != null;
        LittleEndian.put16(buf, d, ok ? 1 : 0);
        LittleEndian.put16(buf, d + 2, ok ? 1 : 0);
        if (ok) {
            LittleEndian.put16(buf, d + 8, fw.major());
            LittleEndian.put16(buf, d + 10, fw.minor());
            LittleEndian.put16(buf, d + 12, msg.major());
            LittleEndian.put16(buf, d + 14, msg.minor());
            chosenMessage = msg;
        }
    }

    private static IcVersion pick(byte[] buf, int at, int count, List<IcVersion> mine) {
        for (IcVersion v : mine) {
            for (int j = 0; j < count; j++) {
                if (LittleEndian.u16(buf, at + 4 * j) == v.major() && LittleEndian.u16(buf, at + 4 * j + 2) == v.minor()) {
                    return v;
                }
            }
        }
        return null;
    }
}

package dev.partita.devices.storage;

import dev.partita.vmbus.client.ClientChannel;
import dev.partita.vmbus.client.LoopbackHypervisor;
import dev.partita.vmbus.ring.PacketType;
import dev.partita.vmbus.ring.RingBuffer;
import dev.partita.vmbus.ring.RingCorruptException;
import dev.partita.vmbus.ring.RingWriter;

import java.lang.reflect.Field;

/**
 * Writes GPA-direct packets (type 9: descriptor, reserved u32, range count u32, ranges, then the
 * payload at the data offset) into a {@link ClientChannel}'s guest-to-host ring, the way Linux's
 * {@code vmbus_sendpacket_mpb_desc} does.
 *
 * <p>Temporary test support: vb's Java VSC client sends only in-band packets so far, so this
 * reaches its ring writer by reflection (tests run on the class path). To be replaced by a
 * GPA-direct send in {@code ClientChannel} (requested from vb). Single sender thread only.
 */
final class GpaDirectSender {
    private final ClientChannel channel;
    private final RingWriter out;
    private final Field writeIndex;
    private final LoopbackHypervisor hv;
    private final int connectionId;

    GpaDirectSender(ClientChannel channel, LoopbackHypervisor hv) {
        try {
            this.channel = channel;
            this.hv = hv;
            Field f = ClientChannel.class.getDeclaredField("out");
            f.setAccessible(true);
            this.out = (RingWriter) f.get(channel);
            Field c = ClientChannel.class.getDeclaredField("connectionId");
            c.setAccessible(true);
            this.connectionId = c.getInt(channel);
            this.writeIndex = RingWriter.class.getDeclaredField("writeIndex");
            writeIndex.setAccessible(true);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("vmbus-disruptor's ClientChannel changed; update GpaDirectSender", e);
        }
    }

    ClientChannel channel() {
        return channel;
    }

    /**
     * Sends one GPA-direct packet with one range ({@code byteCount} bytes at {@code byteOffset} in
     * the first of {@code pfns}) and {@code payload}; false when the ring has no room now.
     */
    boolean send(long txid, byte[] payload, int byteCount, int byteOffset, long[] pfns) throws RingCorruptException {
        int rangeArea = 8 + 8 + 8 * pfns.length;
        int offset = 16 + rangeArea;
        int total = offset + PacketType.align8(payload.length);
        byte[] raw = new byte[total + 8];
        put(raw, 0, PacketType.DATA_USING_GPA_DIRECT, 2);
        put(raw, 2, offset / 8, 2);
        put(raw, 4, total / 8, 2);
        put(raw, 6, PacketType.FLAG_COMPLETION_REQUESTED, 2);
        put(raw, 8, txid, 8);
        put(raw, 20, 1, 4);
        put(raw, 24, byteCount, 4);
        put(raw, 28, byteOffset, 4);
        for (int i = 0; i < pfns.length; i++) {
            put(raw, 32 + 8 * i, pfns[i], 8);
        }
        System.arraycopy(payload, 0, raw, offset, payload.length);
        if (out.free() <= raw.length) {
            return false;
        }
        try {
            RingBuffer ring = out.ring();
            int start = writeIndex.getInt(out);
            put(raw, total, (long) start << 32, 8);
            ring.copyIn(start, raw, 0, raw.length);
            writeIndex.setInt(out, ring.advance(start, raw.length));
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        if (out.publish()) {
            hv.signalEvent(connectionId, 0);
        }
        return true;
    }

    private static void put(byte[] b, int at, long v, int n) {
        for (int i = 0; i < n; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }
}

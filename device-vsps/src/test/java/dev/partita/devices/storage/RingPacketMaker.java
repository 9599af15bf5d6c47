package dev.partita.devices.storage;

import dev.partita.vmbus.ring.ContiguousRingData;
import dev.partita.vmbus.ring.PacketBuffer;
import dev.partita.vmbus.ring.PacketType;
import dev.partita.vmbus.ring.RingBuffer;
import dev.partita.vmbus.ring.RingCorruptException;
import dev.partita.vmbus.ring.RingReader;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Builds {@link PacketBuffer}s exactly as the root's ring reader hands them to a VSP: the raw
 * packet (descriptor, range area, payload) is written into a ring in plain memory and read back
 * with vmbus-disruptor's {@link RingReader}. Lets tests and fuzzers feed arbitrary GPA-direct
 * range areas, including inconsistent ones.
 */
final class RingPacketMaker implements AutoCloseable {
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment header = arena.allocate(4096, 4096);
    private final RingBuffer ring = new RingBuffer(header, new ContiguousRingData(arena.allocate(64 * 1024, 4096)));

    /** An in-band packet with {@code payload}. */
    PacketBuffer inband(long txid, boolean completion, byte[] payload) {
        return packet(PacketType.DATA_IN_BAND, completion, txid, new byte[0], payload);
    }

    /**
     * A packet of {@code type} whose bytes between the descriptor and the payload are
     * {@code rangeArea} (padded to 8 bytes); the data offset points past it.
     */
    PacketBuffer packet(int type, boolean completion, long txid, byte[] rangeArea, byte[] payload) {
        int ra = PacketType.align8(rangeArea.length);
        int offset = 16 + ra;
        int total = offset + PacketType.align8(payload.length);
        byte[] raw = new byte[total + 8];
        put16(raw, 0, type);
        put16(raw, 2, offset / 8);
        put16(raw, 4, total / 8);
        put16(raw, 6, completion ? PacketType.FLAG_COMPLETION_REQUESTED : 0);
        for (int i = 0; i < 8; i++) {
            raw[8 + i] = (byte) (txid >>> (8 * i));
        }
        System.arraycopy(rangeArea, 0, raw, 16, rangeArea.length);
        System.arraycopy(payload, 0, raw, offset, payload.length);
        ring.setReadIndex(0);
        ring.setWriteIndex(0);
        ring.copyIn(0, raw, 0, raw.length);
        ring.setWriteIndex(raw.length);
        try {
            RingReader reader = new RingReader(ring, 60 * 1024);
            PacketBuffer p = new PacketBuffer(64);
            if (!reader.next(p)) {
                throw new IllegalStateException("packet not read back");
            }
            return p;
        } catch (RingCorruptException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The range area of a GPA-direct packet with one range. */
    static byte[] oneRange(int byteCount, int byteOffset, long... pfns) {
        byte[] b = new byte[8 + 8 + 8 * pfns.length];
        put32(b, 4, 1);
        put32(b, 8, byteCount);
        put32(b, 12, byteOffset);
        for (int i = 0; i < pfns.length; i++) {
            for (int k = 0; k < 8; k++) {
                b[16 + 8 * i + k] = (byte) (pfns[i] >>> (8 * k));
            }
        }
        return b;
    }

    static void put16(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
    }

    static void put32(byte[] b, int at, int v) {
        put16(b, at, v);
        put16(b, at + 2, v >>> 16);
    }

    @Override
    public void close() {
        arena.close();
    }
}

package dev.partita.devices.storage;

import dev.partita.vmbus.protocol.LittleEndian;
import dev.partita.vmbus.ring.ContiguousRingData;
import dev.partita.vmbus.ring.GpaDirectRange;
import dev.partita.vmbus.ring.PacketBuffer;
import dev.partita.vmbus.ring.PacketType;
import dev.partita.vmbus.ring.RingBuffer;
import dev.partita.vmbus.ring.RingCorruptException;
import dev.partita.vmbus.ring.RingReader;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

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
        LittleEndian.put16(raw, 0, type);
        LittleEndian.put16(raw, 2, offset / 8);
        LittleEndian.put16(raw, 4, total / 8);
        LittleEndian.put16(raw, 6, completion ? PacketType.FLAG_COMPLETION_REQUESTED : 0);
        LittleEndian.put64(raw, 8, txid);
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

    /** The range area of a GPA-direct packet listing {@code ranges} (their one wire writer). */
    static byte[] rangeList(GpaDirectRange... ranges) {
        List<GpaDirectRange> list = List.of(ranges);
        byte[] b = new byte[(int) GpaDirectRange.listWireSize(list)];
        GpaDirectRange.writeList(list, b);
        return b;
    }

    /**
     * The range area of a GPA-direct packet with one range, written field by field without the
     * checks {@link GpaDirectRange} applies: for packets the VSP must refuse.
     */
    static byte[] rawRange(int byteCount, int byteOffset, long... pfns) {
        byte[] b = new byte[8 + 8 + 8 * pfns.length];
        LittleEndian.put32(b, 4, 1);
        LittleEndian.put32(b, 8, byteCount);
        LittleEndian.put32(b, 12, byteOffset);
        for (int i = 0; i < pfns.length; i++) {
            LittleEndian.put64(b, 16 + 8 * i, pfns[i]);
        }
        return b;
    }

    @Override
    public void close() {
        arena.close();
    }
}

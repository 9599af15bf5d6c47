package dev.partita.vmbus.ring;

/**
 * The consuming side of one ring: copies whole packets out, checking every guest-written value
 * first (write index in range and aligned, descriptor lengths and offsets consistent, packet
 * inside the published bytes, size at most {@code maxPacketBytes}), then advances a private read
 * index that {@link #commit()} publishes. The range list of a GPA-direct packet is parsed here,
 * once, into {@link PacketBuffer#ranges()}; a malformed list does not stop the ring (the packet
 * is framed correctly), the device answers it.
 *
 * <p><b>Threads.</b> Not thread-safe: one thread at a time (hand-over between threads must carry a
 * happens-before edge). {@link #commit()} is a release store of the read index followed by a full
 * fence before the pending-send-size check.
 */
public final class RingReader {
    private final RingBuffer ring;
    private final int maxPacketBytes;
    private int readIndex;
    private int committed;
    private int knownWrite;

    /**
     * @throws RingCorruptException if the ring's current read index is invalid
     */
    public RingReader(RingBuffer ring, int maxPacketBytes) throws RingCorruptException {
        this.ring = ring;
        this.maxPacketBytes = maxPacketBytes;
        int r = ring.readIndex();
        ring.checkIndex("read index", r);
        this.readIndex = r;
        this.committed = r;
        this.knownWrite = r;
    }

    public RingBuffer ring() {
        return ring;
    }

    /**
     * Bytes published by the writer and not yet read. The write index is loaded (acquire) only
     * when the bytes known from the previous load are used up, which keeps the header's cache
     * line from bouncing between the two sides on every packet.
     */
    public int available() throws RingCorruptException {
        if (readIndex != knownWrite) {
            return ring.used(readIndex, knownWrite);
        }
        int w = ring.writeIndex();
        ring.checkIndex("write index", w);
        knownWrite = w;
        return ring.used(readIndex, w);
    }

    /**
     * Copies the next packet into {@code into}.
     *
     * @return false when no packet is published
     * @throws RingCorruptException for any inconsistent descriptor or index
     */
    public boolean next(PacketBuffer into) throws RingCorruptException {
        int avail = available();
        if (avail == 0) {
            return false;
        }
        if (avail < PacketType.DESCRIPTOR_SIZE + PacketType.TRAILER_SIZE) {
            throw new RingCorruptException("only " + avail + " bytes published, less than a packet");
        }
        // Both descriptor words are 8-byte aligned, so neither straddles the end of the data area.
        long word0 = ring.data().getLong(readIndex);
        long txid = ring.data().getLong(ring.advance(readIndex, 8));
        int type = (int) (word0 & 0xFFFF);
        int offset = (int) ((word0 >>> 16) & 0xFFFF) * 8;
        int total = (int) ((word0 >>> 32) & 0xFFFF) * 8;
        int flags = (int) (word0 >>> 48);
        if (total < PacketType.DESCRIPTOR_SIZE || offset < PacketType.DESCRIPTOR_SIZE || offset > total) {
            throw new RingCorruptException("packet at 0x" + Integer.toHexString(readIndex) + ": data offset " + offset
                    + " / length " + total + " inconsistent");
        }
        if (total + PacketType.TRAILER_SIZE > avail) {
            throw new RingCorruptException("packet at 0x" + Integer.toHexString(readIndex) + " of " + total
                    + " bytes overruns the " + avail + " published bytes");
        }
        if (total > maxPacketBytes) {
            throw new RingCorruptException("packet of " + total + " bytes exceeds the limit of " + maxPacketBytes);
        }
        byte[] b = into.ensureCapacity(total);
        ring.copyOut(readIndex, b, 0, total);
        into.set(type, flags, txid, offset, total - offset);
        if (type == PacketType.DATA_USING_GPA_DIRECT) {
            into.setRanges(parseRanges(b, offset));
        }
        readIndex = ring.advance(readIndex, total + PacketType.TRAILER_SIZE);
        return true;
    }

    private static PacketRanges parseRanges(byte[] packet, int dataOffset) {
        try {
            return new PacketRanges.Ranges(GpaDirectRange.parseList(packet, dataOffset));
        } catch (IllegalArgumentException e) {
            return new PacketRanges.Malformed(e.getMessage());
        }
    }

    /** Whether packets were read since the last {@link #commit()}. */
    public boolean hasUncommitted() {
        return readIndex != committed;
    }

    /**
     * Publishes the read index. Returns true when the writer asked to be woken (non-zero pending
     * send size, feature bit set) and the free space just rose from at most to above that size.
     */
    public boolean commit() throws RingCorruptException {
        if (readIndex == committed) {
            return false;
        }
        int before = committed;
        committed = readIndex;
        ring.setReadIndex(readIndex);
        ring.noteHostWrites(0, 0); // the header page
        RingBuffer.fullFence();
        if ((ring.featureBits() & RingBuffer.FEATURE_PENDING_SEND_SIZE) == 0) {
            return false;
        }
        int pending = ring.pendingSendSize();
        if (pending == 0) {
            return false;
        }
        int w = ring.writeIndex();
        ring.checkIndex("write index", w);
        int size = ring.dataSize();
        int freeNow = size - ring.used(readIndex, w);
        int freeBefore = size - ring.used(before, w);
        return freeBefore <= pending && freeNow > pending;
    }
}

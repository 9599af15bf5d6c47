package dev.partita.vmbus.ring;

/**
 * The producing side of one ring: appends packets (descriptor, payload padded to 8 bytes, trailer
 * {@code start << 32}) at a private write index that {@link #publish()} makes visible. A packet is
 * written only when it leaves at least one byte free ("never fill completely").
 *
 * <p><b>Threads.</b> Not thread-safe: the single writer of the ring. {@link #publish()} is a release
 * store of the write index, a full fence, then the read of the reader's interrupt mask and read index.
 */
public final class RingWriter {
    private static final byte[] ZEROS = new byte[8];

    private final RingBuffer ring;
    private int writeIndex;
    private int published;
    private int knownRead;

    /**
     * @throws RingCorruptException if the ring's current write index is invalid
     */
    public RingWriter(RingBuffer ring) throws RingCorruptException {
        this.ring = ring;
        int w = ring.writeIndex();
        ring.checkIndex("write index", w);
        this.writeIndex = w;
        this.published = w;
        this.knownRead = -1; // nothing validated yet: the first write loads and checks the read index
    }

    public RingBuffer ring() {
        return ring;
    }

    /** Bytes that can be written now (strictly less may be used: one byte always stays free). */
    public int free() throws RingCorruptException {
        int r = ring.readIndex();
        ring.checkIndex("read index", r);
        knownRead = r;
        return ring.dataSize() - ring.used(r, writeIndex);
    }

    /** Free bytes as of the last read-index load (a lower bound: the reader only moves forward). */
    private int knownFree() {
        return knownRead < 0 ? 0 : ring.dataSize() - ring.used(knownRead, writeIndex);
    }

    /**
     * Appends a packet with an in-line payload at data offset 16.
     *
     * @return false when it does not fit now (nothing written)
     * @throws IllegalArgumentException when the packet could never fit in this ring
     * @throws RingCorruptException     when the reader's index is invalid
     */
    public boolean tryWrite(int type, int flags, long transactionId, byte[] payload, int off, int len)
            throws RingCorruptException {
        return tryWrite(type, flags, transactionId, ZEROS, 0, payload, off, len);
    }

    /**
     * Appends a packet whose descriptor is followed by {@code headerLength} bytes of {@code header}
     * (a type-specific area such as a GPA-direct packet's range list), with the payload at data
     * offset {@code 16 + headerLength}.
     *
     * @param headerLength a multiple of 8 (the data offset is counted in 8-byte units)
     * @return false when it does not fit now (nothing written)
     * @throws IllegalArgumentException when the header length is not a multiple of 8 or the packet
     *                                  could never fit in this ring
     * @throws RingCorruptException     when the reader's index is invalid
     */
    public boolean tryWrite(int type, int flags, long transactionId, byte[] header, int headerLength,
                            byte[] payload, int off, int len) throws RingCorruptException {
        if (headerLength < 0 || headerLength % 8 != 0 || headerLength > header.length) {
            throw new IllegalArgumentException("packet header of " + headerLength + " bytes (a multiple of 8 up to "
                    + header.length + " expected)");
        }
        int dataOffset = PacketType.DESCRIPTOR_SIZE + headerLength;
        int padded = PacketType.align8(len);
        long total = (long) dataOffset + padded;
        long needed = total + PacketType.TRAILER_SIZE;
        if (needed >= ring.dataSize() || total / 8 > 0xFFFF) {
            throw new IllegalArgumentException("packet of " + len + " bytes after a " + headerLength
                    + "-byte header cannot fit a ring of " + ring.dataSize() + " bytes");
        }
        if (knownFree() <= needed && free() <= needed) { // reload the reader's index only when needed
            return false;
        }
        int start = writeIndex;
        long word0 = (type & 0xFFFFL) | (long) (dataOffset / 8) << 16 | (total / 8) << 32
                | (flags & 0xFFFFL) << 48;
        // 8-byte aligned words never straddle the end of the data area.
        ring.data().putLong(start, word0);
        ring.data().putLong(ring.advance(start, 8), transactionId);
        int at = ring.advance(start, PacketType.DESCRIPTOR_SIZE);
        if (headerLength != 0) {
            ring.copyIn(at, header, 0, headerLength);
            at = ring.advance(at, headerLength);
        }
        ring.copyIn(at, payload, off, len);
        at = ring.advance(at, len);
        if (padded != len) {
            ring.copyIn(at, ZEROS, 0, padded - len);
            at = ring.advance(at, padded - len);
        }
        ring.data().putLong(at, (long) start << 32);
        writeIndex = ring.advance(at, PacketType.TRAILER_SIZE);
        return true;
    }

    /** Ring bytes a packet with {@code payloadLength} bytes needs (for the pending send size). */
    public static int bytesNeeded(int payloadLength) {
        return PacketType.ringBytes(payloadLength);
    }

    /** Whether written packets are not yet published. */
    public boolean hasUnpublished() {
        return writeIndex != published;
    }

    /**
     * Publishes the written packets. Returns true when the reader must be signalled: its interrupt
     * mask is clear and it had consumed everything up to the previously published index.
     */
    public boolean publish() {
        if (writeIndex == published) {
            return false;
        }
        int old = published;
        published = writeIndex;
        ring.setWriteIndex(writeIndex);
        ring.noteHostWrites(old, writeIndex);
        RingBuffer.fullFence();
        if (ring.interruptMask() != 0) {
            return false;
        }
        return ring.readIndex() == old;
    }
}

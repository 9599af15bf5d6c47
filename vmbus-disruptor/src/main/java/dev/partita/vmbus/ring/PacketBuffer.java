package dev.partita.vmbus.ring;

/**
 * A packet copied out of a ring (or about to be written to one): descriptor fields plus the
 * payload bytes {@code [payloadOffset(), payloadOffset() + payloadLength())} of {@link #bytes()}.
 * The payload length is what the descriptor says ({@code (len8 - offset8) * 8}, padding included).
 *
 * <p>Mutable and reused (it is the event of the channel's inbound Disruptor ring): a consumer
 * may read it only during the callback that hands it over, and must copy what it keeps.
 */
public final class PacketBuffer {
    private byte[] bytes;
    private int type;
    private int flags;
    private long transactionId;
    private int payloadOffset;
    private int payloadLength;

    public PacketBuffer(int initialCapacity) {
        this.bytes = new byte[Math.max(16, initialCapacity)];
    }

    public int type() {
        return type;
    }

    public int flags() {
        return flags;
    }

    public boolean completionRequested() {
        return (flags & PacketType.FLAG_COMPLETION_REQUESTED) != 0;
    }

    public long transactionId() {
        return transactionId;
    }

    /** The backing array; the payload lies at {@link #payloadOffset()}. */
    public byte[] bytes() {
        return bytes;
    }

    public int payloadOffset() {
        return payloadOffset;
    }

    public int payloadLength() {
        return payloadLength;
    }

    /** A copy of the payload. */
    public byte[] payload() {
        return java.util.Arrays.copyOfRange(bytes, payloadOffset, payloadOffset + payloadLength);
    }

    /** Makes room for {@code n} bytes (contents are not kept) and returns the array. */
    byte[] ensureCapacity(int n) {
        if (bytes.length < n) {
            bytes = new byte[Math.max(n, bytes.length * 2)];
        }
        return bytes;
    }

    void set(int type, int flags, long transactionId, int payloadOffset, int payloadLength) {
        this.type = type;
        this.flags = flags;
        this.transactionId = transactionId;
        this.payloadOffset = payloadOffset;
        this.payloadLength = payloadLength;
    }

    /** Fills this buffer as a packet to send: copies {@code len} bytes of {@code src}. */
    public void fill(int type, int flags, long transactionId, byte[] src, int off, int len) {
        byte[] b = ensureCapacity(len);
        System.arraycopy(src, off, b, 0, len);
        set(type, flags, transactionId, 0, len);
    }
}

package dev.partita.vmbus.ring;

/**
 * A packet copied out of a ring (or about to be written to one): descriptor fields plus the
 * payload bytes {@code [payloadOffset(), payloadOffset() + payloadLength())} of {@link #bytes()}.
 * The payload length is what the descriptor says ({@code (len8 - offset8) * 8}, padding included).
 * A packet read from a ring also carries its parsed range list ({@link #ranges()}).
 *
 * <p>The backing array grows to the largest packet held; {@link #trim()} gives back an array
 * larger than {@link #RETAINED_BYTES}, so a slot that once held a large packet does not keep its
 * memory (a channel's Disruptor slots retain at most {@code slots * RETAINED_BYTES}).
 *
 * <p>Mutable and reused (it is the event of the channel's inbound Disruptor ring): a consumer
 * may read it only during the callback that hands it over, and must copy what it keeps.
 */
public final class PacketBuffer {
    /** Capacity a buffer keeps between packets: 2 KiB (a storvsc request for 1 MiB names 256 PFNs, about 2.1 KiB). */
    public static final int RETAINED_BYTES = 2048;
    private static final int INITIAL_BYTES = 256;

    private byte[] bytes;
    private PacketRanges ranges = PacketRanges.NONE;
    private int type;
    private int flags;
    private long transactionId;
    private int payloadOffset;
    private int payloadLength;

    public PacketBuffer(int initialCapacity) {
        this.bytes = new byte[Math.max(16, initialCapacity)];
    }

    /** A buffer with the default initial capacity (256 bytes). */
    public PacketBuffer() {
        this(INITIAL_BYTES);
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

    /** The range list the ring reader parsed (GPA-direct packets), else {@link PacketRanges#NONE}. */
    public PacketRanges ranges() {
        return ranges;
    }

    /** Capacity of the backing array. */
    public int capacity() {
        return bytes.length;
    }

    /**
     * Replaces a backing array larger than {@link #RETAINED_BYTES} with a small one (contents are
     * not kept) and returns the bytes given back (0 when none). Called by the slot's consumer once
     * the packet is handled.
     */
    public int trim() {
        int n = bytes.length;
        if (n <= RETAINED_BYTES) {
            return 0;
        }
        bytes = new byte[INITIAL_BYTES];
        ranges = PacketRanges.NONE;
        return n;
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
        this.ranges = PacketRanges.NONE;
    }

    void setRanges(PacketRanges ranges) {
        this.ranges = ranges;
    }

    /** Fills this buffer as a packet to send: copies {@code len} bytes of {@code src}. */
    public void fill(int type, int flags, long transactionId, byte[] src, int off, int len) {
        byte[] b = ensureCapacity(len);
        System.arraycopy(src, off, b, 0, len);
        set(type, flags, transactionId, 0, len);
    }
}

package dev.partita.vmbus.ring;

/**
 * VMBus packet descriptor constants: type u16 @0, data offset (8-byte units) u16 @2, total length
 * (8-byte units, trailer excluded) u16 @4, flags u16 @6, transaction id u64 @8; payload padded to
 * 8 bytes; then the u64 trailer {@code start offset << 32}. C names: {@code VM_PKT_*}, {@code VMBUS_DATA_PACKET_FLAG_*}.
 */
public final class PacketType {
    private PacketType() {
    }

    public static final int DATA_IN_BAND = 6;             // VM_PKT_DATA_INBAND
    public static final int DATA_USING_TRANSFER_PAGES = 7; // VM_PKT_DATA_USING_XFER_PAGES
    public static final int DATA_USING_GPA_DIRECT = 9;     // VM_PKT_DATA_USING_GPA_DIRECT
    public static final int COMPLETION = 11;               // VM_PKT_COMP

    public static final int FLAG_COMPLETION_REQUESTED = 1; // VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED

    public static final int DESCRIPTOR_SIZE = 16;
    public static final int TRAILER_SIZE = 8;

    /** Bytes a packet with {@code payload} bytes of data occupies in the ring, trailer included. */
    public static int ringBytes(int payload) {
        return DESCRIPTOR_SIZE + align8(payload) + TRAILER_SIZE;
    }

    public static int align8(int n) {
        return (n + 7) & ~7;
    }
}

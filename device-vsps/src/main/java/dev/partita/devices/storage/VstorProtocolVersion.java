package dev.partita.devices.storage;

/**
 * A storvsc protocol version the VSP accepts, with the packet size and sense buffer size that go
 * with it. Linux 6.1 proposes 6.2 (Windows 10), 6.0 (Windows 8.1) and 5.1 (Windows 8) in that
 * order; 4.2 (Windows 7) and 2.0 (Windows 2008) are accepted for older guests, with the smaller
 * packet (no Windows 8 SRB extension, the "size delta" of 16 bytes) and an 18-byte sense buffer.
 */
public enum VstorProtocolVersion {
    WIN10(0x0602, VstorPacket.SIZE, 0x14),
    WIN8_1(0x0600, VstorPacket.SIZE, 0x14),
    WIN8(0x0501, VstorPacket.SIZE, 0x14),
    WIN7(0x0402, VstorPacket.SIZE - VstorPacket.WIN8_EXTENSION_SIZE, 0x12),
    WIN6(0x0200, VstorPacket.SIZE - VstorPacket.WIN8_EXTENSION_SIZE, 0x12);

    private final int wire;
    private final int packetSize;
    private final int senseBufferSize;

    VstorProtocolVersion(int wire, int packetSize, int senseBufferSize) {
        this.wire = wire;
        this.packetSize = packetSize;
        this.senseBufferSize = senseBufferSize;
    }

    /** The u16 on the wire: major << 8 | minor. */
    public int wire() {
        return wire;
    }

    /** Bytes of a vstor packet in this version (what the guest sends and expects back). */
    public int packetSize() {
        return packetSize;
    }

    /** Size of the sense area of the SRB. */
    public int senseBufferSize() {
        return senseBufferSize;
    }

    /** The version with wire value {@code v}, or null when not supported. */
    public static VstorProtocolVersion of(int v) {
        for (VstorProtocolVersion p : values()) {
            if (p.wire == v) {
                return p;
            }
        }
        return null;
    }
}

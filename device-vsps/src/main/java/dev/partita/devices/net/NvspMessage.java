package dev.partita.devices.net;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A guest-to-host NVSP message, parsed once at the edge from the in-band payload of a VMBus packet
 * ({@code struct nvsp_message} in Linux's {@code hyperv_net.h}: a u32 message type followed by the
 * type's packed little-endian body). Only the messages a guest sends are modelled. Stateless and
 * thread-safe.
 */
public sealed interface NvspMessage {
    /** {@code NVSP_MSG_TYPE_INIT}: the guest offers versions [min, max]. */
    record Init(int minVersion, int maxVersion) implements NvspMessage {
    }

    /** {@code NVSP_MSG1_TYPE_SEND_NDIS_VER}. */
    record SendNdisVersion(int major, int minor) implements NvspMessage {
    }

    /** {@code NVSP_MSG2_TYPE_SEND_NDIS_CONFIG}: MTU and capability bits. */
    record SendNdisConfig(int mtu, long capabilities) implements NvspMessage {
    }

    /** {@code NVSP_MSG1_TYPE_SEND_RECV_BUF}: the receive buffer's GPADL and its id. */
    record SendReceiveBuffer(int gpadlHandle, int id) implements NvspMessage {
    }

    /** {@code NVSP_MSG1_TYPE_REVOKE_RECV_BUF}. */
    record RevokeReceiveBuffer(int id) implements NvspMessage {
    }

    /** {@code NVSP_MSG1_TYPE_SEND_SEND_BUF}: the send buffer's GPADL and its id. */
    record SendSendBuffer(int gpadlHandle, int id) implements NvspMessage {
    }

    /** {@code NVSP_MSG1_TYPE_REVOKE_SEND_BUF}. */
    record RevokeSendBuffer(int id) implements NvspMessage {
    }

    /**
     * {@code NVSP_MSG1_TYPE_SEND_RNDIS_PKT}: an RNDIS message either in send-buffer section
     * {@code sectionIndex} ({@code sectionSize} bytes) or, when the index is
     * {@link #NO_SECTION}, in the packet's page buffers. {@code channelType} 0 is data, 1 control.
     */
    record SendRndisPacket(int channelType, int sectionIndex, int sectionSize) implements NvspMessage {
        /** {@code NETVSC_INVALID_INDEX}: the data is in page buffers. */
        public static final int NO_SECTION = 0xFFFF_FFFF;

        public boolean inSendBuffer() {
            return sectionIndex != NO_SECTION;
        }
    }

    /** {@code NVSP_MSG1_TYPE_SEND_RNDIS_PKT_COMPLETE}: the guest completes a receive (status). */
    record RndisPacketComplete(int status) implements NvspMessage {
    }

    int TYPE_INIT = 1;
    int TYPE_INIT_COMPLETE = 2;
    int TYPE_SEND_NDIS_VERSION = 100;
    int TYPE_SEND_RECV_BUF = 101;
    int TYPE_SEND_RECV_BUF_COMPLETE = 102;
    int TYPE_REVOKE_RECV_BUF = 103;
    int TYPE_SEND_SEND_BUF = 104;
    int TYPE_SEND_SEND_BUF_COMPLETE = 105;
    int TYPE_REVOKE_SEND_BUF = 106;
    int TYPE_SEND_RNDIS_PKT = 107;
    int TYPE_SEND_RNDIS_PKT_COMPLETE = 108;
    int TYPE_SEND_NDIS_CONFIG = 125;

    /**
     * Parses one message. Throws when the payload is shorter than the type's body or the type is not
     * one a guest sends; the caller fails only this NIC's channel.
     */
    static NvspMessage parse(ByteBuffer payload) throws NetProtocolException {
        ByteBuffer b = payload.slice().order(ByteOrder.LITTLE_ENDIAN);
        need(b, 4, "message type");
        int type = b.getInt(0);
        return switch (type) {
            case TYPE_INIT -> {
                need(b, 12, "INIT");
                yield new Init(b.getInt(4), b.getInt(8));
            }
            case TYPE_SEND_NDIS_VERSION -> {
                need(b, 12, "SEND_NDIS_VER");
                yield new SendNdisVersion(b.getInt(4), b.getInt(8));
            }
            case TYPE_SEND_NDIS_CONFIG -> {
                need(b, 20, "SEND_NDIS_CONFIG");
                yield new SendNdisConfig(b.getInt(4), b.getLong(12));
            }
            case TYPE_SEND_RECV_BUF -> {
                need(b, 10, "SEND_RECV_BUF");
                yield new SendReceiveBuffer(b.getInt(4), Short.toUnsignedInt(b.getShort(8)));
            }
            case TYPE_REVOKE_RECV_BUF -> {
                need(b, 6, "REVOKE_RECV_BUF");
                yield new RevokeReceiveBuffer(Short.toUnsignedInt(b.getShort(4)));
            }
            case TYPE_SEND_SEND_BUF -> {
                need(b, 10, "SEND_SEND_BUF");
                yield new SendSendBuffer(b.getInt(4), Short.toUnsignedInt(b.getShort(8)));
            }
            case TYPE_REVOKE_SEND_BUF -> {
                need(b, 6, "REVOKE_SEND_BUF");
                yield new RevokeSendBuffer(Short.toUnsignedInt(b.getShort(4)));
            }
            case TYPE_SEND_RNDIS_PKT -> {
                need(b, 16, "SEND_RNDIS_PKT");
                int channelType = b.getInt(4);
                if (channelType != 0 && channelType != 1) {
                    throw new NetProtocolException("SEND_RNDIS_PKT channel type " + channelType + " is not 0 or 1");
                }
                yield new SendRndisPacket(channelType, b.getInt(8), b.getInt(12));
            }
            case TYPE_SEND_RNDIS_PKT_COMPLETE -> {
                need(b, 8, "SEND_RNDIS_PKT_COMPLETE");
                yield new RndisPacketComplete(b.getInt(4));
            }
            default -> throw new NetProtocolException("NVSP message type " + Integer.toUnsignedString(type)
                    + " is not one a guest sends");
        };
    }

    private static void need(ByteBuffer b, int bytes, String what) throws NetProtocolException {
        if (b.remaining() < bytes) {
            throw new NetProtocolException(what + " needs " + bytes + " bytes, the packet has " + b.remaining());
        }
    }
}

package dev.partita.devices.ic;

import dev.partita.vmbus.protocol.LittleEndian;

import java.util.ArrayList;
import java.util.List;

/**
 * Integration-component message framing (Linux {@code include/linux/hyperv.h}): a pipe header
 * ({@code struct vmbuspipe_hdr}: flags u32 @0, message size u32 @4), then the IC message header
 * ({@code struct icmsg_hdr}, offsets from the packet start): framework version @8 (major u16,
 * minor u16), message type u16 @12, message version @14, message size u16 @18, status u32 @20,
 * transaction id u8 @24, flags u8 @25, reserved @26; data at {@value #DATA} ({@code ICMSG_HDR}).
 * The guest answers a message by sending the same buffer back with {@link #FLAG_RESPONSE} set,
 * in an in-band packet carrying the host's VMBus transaction id.
 */
public final class IcMessage {
    private IcMessage() {
    }

    public static final int PIPE_FLAGS = 0;
    public static final int PIPE_SIZE = 4;
    public static final int FRAMEWORK_MAJOR = 8;
    public static final int FRAMEWORK_MINOR = 10;
    public static final int TYPE = 12;
    public static final int MESSAGE_MAJOR = 14;
    public static final int MESSAGE_MINOR = 16;
    public static final int SIZE = 18;
    public static final int STATUS = 20;
    public static final int TRANSACTION = 24;
    public static final int FLAGS = 25;
    public static final int DATA = 28;                  // ICMSG_HDR = 8 + 20

    // message types (ICMSGTYPE_*)
    public static final int TYPE_NEGOTIATE = 0;
    public static final int TYPE_HEARTBEAT = 1;
    public static final int TYPE_KVP_EXCHANGE = 2;
    public static final int TYPE_SHUTDOWN = 3;
    public static final int TYPE_TIMESYNC = 4;

    // header flags (ICMSGHDRFLAG_*)
    public static final int FLAG_TRANSACTION = 1;
    public static final int FLAG_REQUEST = 2;
    public static final int FLAG_RESPONSE = 4;

    /** HRESULTs in the status field ({@code HV_S_OK}, {@code HV_E_FAIL}). */
    public static final int S_OK = 0;
    public static final int E_FAIL = 0x80004005;

    /** The framed message for {@code request}, in the given versions, with IC transaction {@code transaction}. */
    static byte[] request(IcRequest request, IcVersion framework, IcVersion message, int transaction) {
        byte[] data = request.data(message);
        byte[] b = new byte[DATA + data.length];
        LittleEndian.put32(b, PIPE_FLAGS, 0);                         // pipe flags are not read by Linux
        LittleEndian.put32(b, PIPE_SIZE, b.length - 8);
        LittleEndian.put16(b, FRAMEWORK_MAJOR, framework.major());
        LittleEndian.put16(b, FRAMEWORK_MINOR, framework.minor());
        LittleEndian.put16(b, TYPE, request.type());
        LittleEndian.put16(b, MESSAGE_MAJOR, message.major());
        LittleEndian.put16(b, MESSAGE_MINOR, message.minor());
        LittleEndian.put16(b, SIZE, data.length);
        LittleEndian.put32(b, STATUS, S_OK);
        b[TRANSACTION] = (byte) transaction;
        b[FLAGS] = (byte) (FLAG_TRANSACTION | FLAG_REQUEST);
        System.arraycopy(data, 0, b, DATA, data.length);
        return b;
    }

    /**
     * Parses the guest's answer of {@code len} bytes at {@code off} of {@code b} (the whole in-band
     * payload: headers, then message data up to the end, ring padding included).
     *
     * @throws IcProtocolException when the message is shorter than its headers or than its type's
     *                             data, is not a response, or has a type no component sends
     */
    static IcResponse parseResponse(byte[] b, int off, int len) throws IcProtocolException {
        if (len < DATA || off < 0 || off + len > b.length) {
            throw new IcProtocolException(IcProtocolException.Reason.TRUNCATED_MESSAGE,
                    "message of " + len + " bytes is shorter than its " + DATA + " bytes of headers");
        }
        int type = LittleEndian.u16(b, off + TYPE);
        if ((b[off + FLAGS] & FLAG_RESPONSE) == 0) {
            throw new IcProtocolException(IcProtocolException.Reason.NOT_A_RESPONSE,
                    "message of type " + type + " without the response flag");
        }
        int status = LittleEndian.u32(b, off + STATUS);
        int data = off + DATA;
        int dataLength = len - DATA;
        return switch (type) {
            case TYPE_NEGOTIATE -> parseNegotiate(b, data, dataLength, status);
            case TYPE_HEARTBEAT -> {
                need(type, dataLength, 8);
                yield new IcResponse.Heartbeat(status, LittleEndian.u64(b, data));
            }
            case TYPE_SHUTDOWN -> new IcResponse.Shutdown(status);
            case TYPE_TIMESYNC -> new IcResponse.TimeSync(status);
            default -> throw new IcProtocolException(IcProtocolException.Reason.UNKNOWN_TYPE, "message type " + type);
        };
    }

    /** The {@code struct icmsg_negotiate} answer: version counts u16 @0, u16 @2, then the versions from @8. */
    private static IcResponse parseNegotiate(byte[] b, int data, int dataLength, int status) throws IcProtocolException {
        need(TYPE_NEGOTIATE, dataLength, 8);
        int frameworkCount = LittleEndian.u16(b, data);
        int messageCount = LittleEndian.u16(b, data + 2);
        need(TYPE_NEGOTIATE, dataLength, 8 + 4 * (frameworkCount + messageCount));
        List<IcVersion> framework = new ArrayList<>(frameworkCount);
        List<IcVersion> message = new ArrayList<>(messageCount);
        int at = data + 8;
        for (int i = 0; i < frameworkCount + messageCount; i++, at += 4) {
            (i < frameworkCount ? framework : message).add(new IcVersion(LittleEndian.u16(b, at), LittleEndian.u16(b, at + 2)));
        }
        return new IcResponse.Negotiate(status, framework, message);
    }

    private static void need(int type, int dataLength, int bytes) throws IcProtocolException {
        if (dataLength < bytes) {
            throw new IcProtocolException(IcProtocolException.Reason.TRUNCATED_MESSAGE,
                    "message of type " + type + " has " + dataLength + " data bytes, " + bytes + " needed");
        }
    }
}

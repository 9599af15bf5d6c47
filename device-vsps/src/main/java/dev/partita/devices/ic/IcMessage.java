package dev.partita.devices.ic;


import dev.partita.vmbus.protocol.LittleEndian;
import java.util.Arrays;

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

    /** A host request of {@code type} with {@code data}, framed with the given versions. */
    static byte[] request(int type, IcVersion framework, IcVersion message, int transaction, byte[] data) {
        byte[] b = new byte[DATA + data.length];
        LittleEndian.put32(b, PIPE_FLAGS, 0);                         // pipe flags are not read by Linux
        LittleEndian.put32(b, PIPE_SIZE, b.length - 8);
        LittleEndian.put16(b, FRAMEWORK_MAJOR, framework.major());
        LittleEndian.put16(b, FRAMEWORK_MINOR, framework.minor());
        LittleEndian.put16(b, TYPE, type);
        LittleEndian.put16(b, MESSAGE_MAJOR, message.major());
        LittleEndian.put16(b, MESSAGE_MINOR, message.minor());
        LittleEndian.put16(b, SIZE, data.length);
        LittleEndian.put32(b, STATUS, S_OK);
        b[TRANSACTION] = (byte) transaction;
        b[FLAGS] = (byte) (FLAG_TRANSACTION | FLAG_REQUEST);
        System.arraycopy(data, 0, b, DATA, data.length);
        return b;
    }

    /** A message as received: its header fields and a copy of its data. */
    public record Received(int type, int flags, int status, int transaction, byte[] data) {
        public boolean isResponse() {
            return (flags & FLAG_RESPONSE) != 0;
        }
    }

    /** Parses {@code len} bytes at {@code off}; null when shorter than the headers. */
    static Received parse(byte[] b, int off, int len) {
        if (len < DATA || off < 0 || off + len > b.length) {
            return null;
        }
        return new Received(LittleEndian.u16(b, off + TYPE), b[off + FLAGS] & 0xFF, LittleEndian.u32(b, off + STATUS),
                b[off + TRANSACTION] & 0xFF, Arrays.copyOfRange(b, off + DATA, off + len));
    }
}

package dev.partita.devices.ic;

import dev.partita.vmbus.protocol.LittleEndian;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A message the host sends to an integration component, as a value; {@link #data} writes its
 * message data (the bytes after the IC header) in the layout of the agreed message version, and
 * {@link IcMessage#request} frames it.
 *
 * <p><b>Threads.</b> Immutable values.
 */
public sealed interface IcRequest {
    /** The IC message type ({@code ICMSGTYPE_*}). */
    int type();

    /** The message data for message version {@code version}. */
    byte[] data(IcVersion version);

    /**
     * Version negotiation ({@code struct icmsg_negotiate}): framework version count u16 @0, message
     * version count u16 @2, reserved u32 @4, then the framework versions followed by the message
     * versions (major u16, minor u16 each), newest first.
     */
    record Negotiate(List<IcVersion> framework, List<IcVersion> message) implements IcRequest {
        public Negotiate {
            framework = List.copyOf(framework);
            message = List.copyOf(message);
        }

        @Override
        public int type() {
            return IcMessage.TYPE_NEGOTIATE;
        }

        @Override
        public byte[] data(IcVersion version) {
            byte[] d = new byte[8 + 4 * (framework.size() + message.size())];
            LittleEndian.put16(d, 0, framework.size());
            LittleEndian.put16(d, 2, message.size());
            int at = 8;
            for (IcVersion v : framework) {
                at = putVersion(d, at, v);
            }
            for (IcVersion v : message) {
                at = putVersion(d, at, v);
            }
            return d;
        }

        private static int putVersion(byte[] d, int at, IcVersion v) {
            LittleEndian.put16(d, at, v.major());
            LittleEndian.put16(d, at + 2, v.minor());
            return at + 4;
        }
    }

    /** A heartbeat ({@code struct heartbeat_msg_data}: seq u64, reserved u32[8]). */
    record Heartbeat(long sequence) implements IcRequest {
        static final int DATA_SIZE = 8 + 32;

        @Override
        public int type() {
            return IcMessage.TYPE_HEARTBEAT;
        }

        @Override
        public byte[] data(IcVersion version) {
            byte[] d = new byte[DATA_SIZE];
            LittleEndian.put64(d, 0, sequence);
            return d;
        }
    }

    /**
     * A shutdown request ({@code struct shutdown_msg_data}: reason code u32 @0, timeout seconds u32
     * @4, flags u32 @8 with bit 0 = force, display message of 2048 bytes @12, UTF-16LE, cut to keep
     * a terminating NUL).
     */
    record Shutdown(int reasonCode, String message, boolean force) implements IcRequest {
        static final int DATA_SIZE = 12 + 2048;
        static final int FLAG_FORCE = 1;

        @Override
        public int type() {
            return IcMessage.TYPE_SHUTDOWN;
        }

        @Override
        public byte[] data(IcVersion version) {
            byte[] d = new byte[DATA_SIZE];
            LittleEndian.put32(d, 0, reasonCode);
            LittleEndian.put32(d, 4, 0);
            LittleEndian.put32(d, 8, force ? FLAG_FORCE : 0);
            byte[] text = message.getBytes(StandardCharsets.UTF_16LE);
            System.arraycopy(text, 0, d, 12, Math.min(text.length, 2046));
            return d;
        }
    }

    /**
     * A time sample. Message version 4 and later use {@code struct ictimesync_ref_data} (parent time
     * u64 @0, VM reference time u64 @8, flags u8 @16, leap flags @17, stratum @18); older versions
     * {@code struct ictimesync_data} (parent time @0, child time @8, round-trip time @16, flags u8 @24).
     *
     * @param parentTime    host wall time, 100 ns units since 1601-01-01 UTC
     * @param referenceTime the partition reference counter at the sample (100 ns units)
     * @param flags         {@code ICTIMESYNCFLAG_*}
     */
    record TimeSync(long parentTime, long referenceTime, int flags) implements IcRequest {
        static final IcVersion REF_DATA_VERSION = new IcVersion(4, 0);

        @Override
        public int type() {
            return IcMessage.TYPE_TIMESYNC;
        }

        @Override
        public byte[] data(IcVersion version) {
            if (version.compareTo(REF_DATA_VERSION) >= 0) {
                byte[] d = new byte[24];
                LittleEndian.put64(d, 0, parentTime);
                LittleEndian.put64(d, 8, referenceTime);
                d[16] = (byte) flags;
                return d;
            }
            byte[] d = new byte[25];
            LittleEndian.put64(d, 0, parentTime);
            d[24] = (byte) flags;
            return d;
        }
    }
}

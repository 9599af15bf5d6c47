package dev.partita.devices.ic;

import dev.partita.vmbus.protocol.LittleEndian;
import java.util.List;

/**
 * Version negotiation (message type 0, {@code struct icmsg_negotiate}): framework version count
 * u16 @0, message version count u16 @2, reserved u32 @4, then the framework versions followed by
 * the message versions (major u16, minor u16 each), offsets relative to the message data. The host
 * lists what it supports, newest first; the guest answers with counts 1/1 and the two versions it
 * picked, or counts 0/0 when nothing matched.
 */
public final class IcNegotiation {
    /** Framework versions Partita offers (UTIL_FW_VERSION 3.0, UTIL_WS2K8_FW_VERSION 1.0). */
    public static final List<IcVersion> FRAMEWORK = List.of(IcVersion.V3_0, IcVersion.V1_0);

    /** The versions both sides agreed. */
    public record Agreed(IcVersion framework, IcVersion message) {
    }

    private IcNegotiation() {
    }

    /** The negotiation data offering {@link #FRAMEWORK} and {@code messageVersions}. */
    static byte[] offer(List<IcVersion> messageVersions) {
        int n = FRAMEWORK.size() + messageVersions.size();
        byte[] d = new byte[8 + 4 * n];
        LittleEndian.put16(d, 0, FRAMEWORK.size());
        LittleEndian.put16(d, 2, messageVersions.size());
        int at = 8;
        for (IcVersion v : FRAMEWORK) {
            LittleEndian.put16(d, at, v.major());
            LittleEndian.put16(d, at + 2, v.minor());
            at += 4;
        }
        for (IcVersion v : messageVersions) {
            LittleEndian.put16(d, at, v.major());
            LittleEndian.put16(d, at + 2, v.minor());
            at += 4;
        }
        return d;
    }

    /**
     * The guest's choice from its response data, or null when it found no common version, the
     * data is malformed, or it chose a version that was not offered.
     */
    static Agreed parseResponse(byte[] data, List<IcVersion> messageVersions) {
        if (data.length < 16) {
            return null;
        }
        if (LittleEndian.u16(data, 0) != 1 || LittleEndian.u16(data, 2) != 1) {
            return null;
        }
        IcVersion fw = new IcVersion(LittleEndian.u16(data, 8), LittleEndian.u16(data, 10));
        IcVersion msg = new IcVersion(LittleEndian.u16(data, 12), LittleEndian.u16(data, 14));
        if (!FRAMEWORK.contains(fw) || !messageVersions.contains(msg)) {
            return null;
        }
        return new Agreed(fw, msg);
    }
}

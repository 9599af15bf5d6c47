package dev.partita.devices.net;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The NVSP handshake a guest runs before it sets up buffers: INIT (answered with INIT_COMPLETE, the
 * highest host version in the guest's range or a failure status so that the guest offers its next
 * version), then SEND_NDIS_VER and, from NVSP 2, SEND_NDIS_CONFIG (neither is answered). Receive and
 * send buffers and RNDIS traffic are not handled here. Stateless and thread-safe.
 */
public final class NvspNegotiation {
    /** {@code NVSP_STAT_SUCCESS}. */
    public static final int STATUS_SUCCESS = 1;
    /** {@code NVSP_STAT_FAIL}. */
    public static final int STATUS_FAIL = 2;
    /** Size of the INIT_COMPLETE reply: type, negotiated version, max MDL chain length, status. */
    public static final int INIT_COMPLETE_SIZE = 16;
    static final int MIN_MTU = 68;
    static final int MAX_MTU = 65_535;

    private NvspNegotiation() {
    }

    /** A new state and the reply to send to the guest, or null when the message has none. */
    public record Step(NvspState state, ByteBuffer reply) {
    }

    /** Applies one guest message; throws when the message is not allowed in {@code state}. */
    public static Step step(NvspState state, NvspMessage message) throws NetProtocolException {
        return switch (state) {
            case NvspState.AwaitingInit a -> switch (message) {
                case NvspMessage.Init init -> {
                    NvspVersion v = NvspVersion.choose(init.minVersion(), init.maxVersion());
                    yield v == null
                            ? new Step(a, initComplete(0, STATUS_FAIL))
                            : new Step(new NvspState.Negotiated(v, 0, 0, 0), initComplete(v.wire(), STATUS_SUCCESS));
                }
                default -> throw new NetProtocolException(name(message) + " before INIT");
            };
            case NvspState.Negotiated n -> switch (message) {
                case NvspMessage.SendNdisVersion v ->
                        new Step(new NvspState.Negotiated(n.version(), v.major(), v.minor(), n.mtu()), null);
                case NvspMessage.SendNdisConfig c -> {
                    if (n.version() == NvspVersion.V1) {
                        throw new NetProtocolException("SEND_NDIS_CONFIG needs NVSP 2 or later, version 1 was agreed");
                    }
                    if (c.mtu() < MIN_MTU || c.mtu() > MAX_MTU) {
                        throw new NetProtocolException("NDIS config MTU " + Integer.toUnsignedString(c.mtu())
                                + " is outside " + MIN_MTU + ".." + MAX_MTU);
                    }
                    yield new Step(new NvspState.Negotiated(n.version(), n.ndisMajor(), n.ndisMinor(), c.mtu()), null);
                }
                case NvspMessage.Init i -> throw new NetProtocolException("INIT after version " + n.version() + " was agreed");
                default -> throw new NetProtocolException(name(message) + " is not handled by the handshake");
            };
        };
    }

    private static String name(NvspMessage m) {
        return m.getClass().getSimpleName();
    }

    private static ByteBuffer initComplete(int version, int status) {
        ByteBuffer b = ByteBuffer.allocate(INIT_COMPLETE_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, NvspMessage.TYPE_INIT_COMPLETE).putInt(4, version).putInt(8, 0).putInt(12, status);
        return b;
    }
}

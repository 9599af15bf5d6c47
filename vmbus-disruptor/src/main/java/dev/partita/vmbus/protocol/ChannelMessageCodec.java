package dev.partita.vmbus.protocol;

import dev.partita.vmbus.protocol.ChannelMessage.AllOffersDelivered;
import dev.partita.vmbus.protocol.ChannelMessage.CloseChannel;
import dev.partita.vmbus.protocol.ChannelMessage.GpadlBody;
import dev.partita.vmbus.protocol.ChannelMessage.GpadlCreated;
import dev.partita.vmbus.protocol.ChannelMessage.GpadlHeader;
import dev.partita.vmbus.protocol.ChannelMessage.GpadlTeardown;
import dev.partita.vmbus.protocol.ChannelMessage.GpadlTorndown;
import dev.partita.vmbus.protocol.ChannelMessage.InitiateContact;
import dev.partita.vmbus.protocol.ChannelMessage.OfferChannel;
import dev.partita.vmbus.protocol.ChannelMessage.OpenChannel;
import dev.partita.vmbus.protocol.ChannelMessage.OpenChannelResult;
import dev.partita.vmbus.protocol.ChannelMessage.RelidReleased;
import dev.partita.vmbus.protocol.ChannelMessage.RequestOffers;
import dev.partita.vmbus.protocol.ChannelMessage.RescindChannelOffer;
import dev.partita.vmbus.protocol.ChannelMessage.Unhandled;
import dev.partita.vmbus.protocol.ChannelMessage.Unload;
import dev.partita.vmbus.protocol.ChannelMessage.UnloadResponse;
import dev.partita.vmbus.protocol.ChannelMessage.VersionResponse;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import static dev.partita.vmbus.protocol.ChannelMessageType.*;

/**
 * Encodes and decodes {@link ChannelMessage}s in the little-endian wire layout. Decoding checks
 * every length: a message shorter than its structure, or longer than a SynIC payload, is a
 * {@link MalformedMessageException}; it never throws anything else. Stateless and thread-safe.
 */
public final class ChannelMessageCodec {
    private ChannelMessageCodec() {
    }

    /** Sizes of the fixed structures (bytes, header included). */
    public static final int INITIATE_CONTACT_SIZE = 40;
    public static final int VERSION_RESPONSE_SIZE = 16;
    public static final int OFFER_CHANNEL_SIZE = 196;
    public static final int GPADL_HEADER_FIXED_SIZE = 20;
    public static final int GPADL_BODY_FIXED_SIZE = 16;
    public static final int GPADL_CREATED_SIZE = 20;
    public static final int OPEN_CHANNEL_SIZE = 148;
    public static final int OPEN_RESULT_SIZE = 20;
    public static final int RELID_ONLY_SIZE = 12;
    public static final int GPADL_TEARDOWN_SIZE = 16;
    public static final int USER_DATA_SIZE = 120;

    public static ChannelMessage decode(byte[] msg) throws MalformedMessageException {
        if (msg == null || msg.length < HEADER_SIZE) {
            throw new MalformedMessageException("channel message shorter than its 8-byte header ("
                    + (msg == null ? "null" : msg.length + " bytes") + ")");
        }
        if (msg.length > MAX_PAYLOAD) {
            throw new MalformedMessageException("channel message of " + msg.length + " bytes exceeds " + MAX_PAYLOAD);
        }
        ByteBuffer b = ByteBuffer.wrap(msg).order(ByteOrder.LITTLE_ENDIAN);
        int type = b.getInt(0);
        return switch (type) {
            case INITIATE_CONTACT -> {
                need(msg, INITIATE_CONTACT_SIZE, "INITIATE_CONTACT");
                yield new InitiateContact(b.getInt(8), b.getInt(12), b.getLong(16), b.getLong(24), b.getLong(32));
            }
            case VERSION_RESPONSE -> {
                need(msg, VERSION_RESPONSE_SIZE, "VERSION_RESPONSE");
                yield new VersionResponse(msg[8] != 0, msg[9] & 0xFF, b.getInt(12));
            }
            case REQUEST_OFFERS -> new RequestOffers();
            case ALL_OFFERS_DELIVERED -> new AllOffersDelivered();
            case OFFER_CHANNEL -> {
                need(msg, OFFER_CHANNEL_SIZE, "OFFERCHANNEL");
                yield new OfferChannel(WireGuid.read(b, 8), WireGuid.read(b, 24), u16(b, 56), u16(b, 58),
                        Arrays.copyOfRange(msg, 60, 180), u16(b, 180), b.getInt(184), msg[188] & 0xFF,
                        (msg[189] & 1) != 0, (u16(b, 190) & 1) != 0, b.getInt(192));
            }
            case GPADL_HEADER -> {
                need(msg, GPADL_HEADER_FIXED_SIZE, "GPADL_HEADER");
                yield new GpadlHeader(b.getInt(8), b.getInt(12), u16(b, 16), u16(b, 18),
                        Arrays.copyOfRange(msg, GPADL_HEADER_FIXED_SIZE, msg.length));
            }
            case GPADL_BODY -> {
                need(msg, GPADL_BODY_FIXED_SIZE, "GPADL_BODY");
                int n = (msg.length - GPADL_BODY_FIXED_SIZE) / 8;
                if ((msg.length - GPADL_BODY_FIXED_SIZE) % 8 != 0) {
                    throw new MalformedMessageException("GPADL_BODY PFN area of " + (msg.length - GPADL_BODY_FIXED_SIZE)
                            + " bytes is not a multiple of 8");
                }
                long[] pfns = new long[n];
                for (int i = 0; i < n; i++) {
                    pfns[i] = b.getLong(GPADL_BODY_FIXED_SIZE + 8 * i);
                }
                yield new GpadlBody(b.getInt(8), b.getInt(12), pfns);
            }
            case GPADL_CREATED -> {
                need(msg, GPADL_CREATED_SIZE, "GPADL_CREATED");
                yield new GpadlCreated(b.getInt(8), b.getInt(12), b.getInt(16));
            }
            case OPEN_CHANNEL -> {
                need(msg, OPEN_CHANNEL_SIZE, "OPENCHANNEL");
                yield new OpenChannel(b.getInt(8), b.getInt(12), b.getInt(16), b.getInt(20), b.getInt(24),
                        Arrays.copyOfRange(msg, 28, 28 + USER_DATA_SIZE));
            }
            case OPEN_CHANNEL_RESULT -> {
                need(msg, OPEN_RESULT_SIZE, "OPENCHANNEL_RESULT");
                yield new OpenChannelResult(b.getInt(8), b.getInt(12), b.getInt(16));
            }
            case CLOSE_CHANNEL -> {
                need(msg, RELID_ONLY_SIZE, "CLOSECHANNEL");
                yield new CloseChannel(b.getInt(8));
            }
            case GPADL_TEARDOWN -> {
                need(msg, GPADL_TEARDOWN_SIZE, "GPADL_TEARDOWN");
                yield new GpadlTeardown(b.getInt(8), b.getInt(12));
            }
            case GPADL_TORNDOWN -> {
                need(msg, RELID_ONLY_SIZE, "GPADL_TORNDOWN");
                yield new GpadlTorndown(b.getInt(8));
            }
            case RESCIND_CHANNEL_OFFER -> {
                need(msg, RELID_ONLY_SIZE, "RESCIND_CHANNELOFFER");
                yield new RescindChannelOffer(b.getInt(8));
            }
            case RELID_RELEASED -> {
                need(msg, RELID_ONLY_SIZE, "RELID_RELEASED");
                yield new RelidReleased(b.getInt(8));
            }
            case UNLOAD -> new Unload();
            case UNLOAD_RESPONSE -> new UnloadResponse();
            default -> new Unhandled(type, msg.length);
        };
    }

    public static byte[] encode(ChannelMessage m) {
        return switch (m) {
            case InitiateContact c -> {
                ByteBuffer b = header(INITIATE_CONTACT, INITIATE_CONTACT_SIZE);
                b.putInt(8, c.version()).putInt(12, c.targetVcpu()).putLong(16, c.interruptPageOrSint())
                        .putLong(24, c.monitorPage1()).putLong(32, c.monitorPage2());
                yield b.array();
            }
            case VersionResponse r -> {
                ByteBuffer b = header(VERSION_RESPONSE, VERSION_RESPONSE_SIZE);
                b.put(8, (byte) (r.supported() ? 1 : 0)).put(9, (byte) r.connectionState()).putInt(12, r.messageConnectionId());
                yield b.array();
            }
            case RequestOffers r -> header(REQUEST_OFFERS, HEADER_SIZE).array();
            case AllOffersDelivered a -> header(ALL_OFFERS_DELIVERED, HEADER_SIZE).array();
            case OfferChannel o -> {
                ByteBuffer b = header(OFFER_CHANNEL, OFFER_CHANNEL_SIZE);
                WireGuid.write(b, 8, o.interfaceType());
                WireGuid.write(b, 24, o.interfaceInstance());
                b.putShort(56, (short) o.channelFlags()).putShort(58, (short) o.mmioMegabytes());
                if (o.userDefined() != null) {
                    b.put(60, o.userDefined(), 0, Math.min(USER_DATA_SIZE, o.userDefined().length));
                }
                b.putShort(180, (short) o.subchannelIndex()).putInt(184, o.childRelid()).put(188, (byte) o.monitorId())
                        .put(189, (byte) (o.monitorAllocated() ? 1 : 0))
                        .putShort(190, (short) (o.dedicatedInterrupt() ? 1 : 0)).putInt(192, o.connectionId());
                yield b.array();
            }
            case GpadlHeader h -> {
                ByteBuffer b = header(GPADL_HEADER, GPADL_HEADER_FIXED_SIZE + h.rangeBytes().length);
                b.putInt(8, h.childRelid()).putInt(12, h.gpadlId()).putShort(16, (short) h.rangeBufferLength())
                        .putShort(18, (short) h.rangeCount()).put(GPADL_HEADER_FIXED_SIZE, h.rangeBytes());
                yield b.array();
            }
            case GpadlBody body -> {
                ByteBuffer b = header(GPADL_BODY, GPADL_BODY_FIXED_SIZE + 8 * body.pfns().length);
                b.putInt(8, body.messageNumber()).putInt(12, body.gpadlId());
                for (int i = 0; i < body.pfns().length; i++) {
                    b.putLong(GPADL_BODY_FIXED_SIZE + 8 * i, body.pfns()[i]);
                }
                yield b.array();
            }
            case GpadlCreated c -> header(GPADL_CREATED, GPADL_CREATED_SIZE)
                    .putInt(8, c.childRelid()).putInt(12, c.gpadlId()).putInt(16, c.status()).array();
            case OpenChannel o -> {
                ByteBuffer b = header(OPEN_CHANNEL, OPEN_CHANNEL_SIZE);
                b.putInt(8, o.childRelid()).putInt(12, o.openId()).putInt(16, o.ringGpadlId()).putInt(20, o.targetVp())
                        .putInt(24, o.downstreamPageOffset());
                if (o.userData() != null) {
                    b.put(28, o.userData(), 0, Math.min(USER_DATA_SIZE, o.userData().length));
                }
                yield b.array();
            }
            case OpenChannelResult r -> header(OPEN_CHANNEL_RESULT, OPEN_RESULT_SIZE)
                    .putInt(8, r.childRelid()).putInt(12, r.openId()).putInt(16, r.status()).array();
            case CloseChannel c -> header(CLOSE_CHANNEL, RELID_ONLY_SIZE).putInt(8, c.childRelid()).array();
            case GpadlTeardown t -> header(GPADL_TEARDOWN, GPADL_TEARDOWN_SIZE)
                    .putInt(8, t.childRelid()).putInt(12, t.gpadlId()).array();
            case GpadlTorndown t -> header(GPADL_TORNDOWN, RELID_ONLY_SIZE).putInt(8, t.gpadlId()).array();
            case RescindChannelOffer r -> header(RESCIND_CHANNEL_OFFER, RELID_ONLY_SIZE).putInt(8, r.childRelid()).array();
            case RelidReleased r -> header(RELID_RELEASED, RELID_ONLY_SIZE).putInt(8, r.childRelid()).array();
            case Unload u -> header(UNLOAD, HEADER_SIZE).array();
            case UnloadResponse u -> header(UNLOAD_RESPONSE, HEADER_SIZE).array();
            case Unhandled u -> header(u.type(), Math.max(HEADER_SIZE, Math.min(MAX_PAYLOAD, u.length()))).array();
        };
    }

    private static ByteBuffer header(int type, int size) {
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, type);
        return b;
    }

    private static int u16(ByteBuffer b, int at) {
        return Short.toUnsignedInt(b.getShort(at));
    }

    private static void need(byte[] msg, int size, String name) throws MalformedMessageException {
        if (msg.length < size) {
            throw new MalformedMessageException(name + " of " + msg.length + " bytes is shorter than its " + size + "-byte structure");
        }
    }
}

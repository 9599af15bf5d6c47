package dev.partita.vmbus.protocol;

import java.util.UUID;

/**
 * The VMBus channel-management messages (payload of SynIC message type 1), one record each.
 * Offsets in the comments are from the message start (the 8-byte header included), as in
 * Linux's {@code struct vmbus_channel_*}. Encode and decode with {@link ChannelMessageCodec}.
 */
public sealed interface ChannelMessage {

    /** g→h, type 14: version @8, target vcpu @12, msg sint (u8) / interrupt page (u64) @16, monitor pages @24, @32. */
    record InitiateContact(int version, int targetVcpu, long interruptPageOrSint, long monitorPage1, long monitorPage2)
            implements ChannelMessage {
        /** The SINT the guest wants messages on (5.0 and later; the low byte of the union). */
        public int messageSint() {
            return (int) (interruptPageOrSint & 0xFF);
        }
    }

    /** h→g, type 15: supported u8 @8, connection state u8 @9, msg_conn_id u32 @12. */
    record VersionResponse(boolean supported, int connectionState, int messageConnectionId) implements ChannelMessage {
    }

    /** g→h, type 3 (header only). */
    record RequestOffers() implements ChannelMessage {
    }

    /**
     * h→g, type 1: interface type @8, instance @24, flags u16 @56, mmio MB u16 @58, user defined [120] @60,
     * subchannel index u16 @180, child relid @184, monitor id u8 @188, monitor allocated bit0 @189,
     * dedicated interrupt bit0 u16 @190, connection id @192; 196 bytes.
     */
    record OfferChannel(UUID interfaceType, UUID interfaceInstance, int channelFlags, int mmioMegabytes,
                        byte[] userDefined, int subchannelIndex, int childRelid, int monitorId,
                        boolean monitorAllocated, boolean dedicatedInterrupt, int connectionId)
            implements ChannelMessage {
    }

    /** h→g, type 4 (header only). */
    record AllOffersDelivered() implements ChannelMessage {
    }

    /**
     * g→h, type 8: child relid @8, gpadl id @12, range buf len u16 @16, range count u16 @18, then
     * the first bytes of the ranges area from @20 ({@code rangeBytes}; the rest follows in GPADL_BODY).
     */
    record GpadlHeader(int childRelid, int gpadlId, int rangeBufferLength, int rangeCount, byte[] rangeBytes)
            implements ChannelMessage {
    }

    /** g→h, type 9: message number @8, gpadl id @12, PFNs u64 from @16. */
    record GpadlBody(int messageNumber, int gpadlId, long[] pfns) implements ChannelMessage {
    }

    /** h→g, type 10: child relid @8, gpadl id @12, status @16. */
    record GpadlCreated(int childRelid, int gpadlId, int status) implements ChannelMessage {
    }

    /** g→h, type 5: relid @8, open id @12, ring gpadl @16, target vp @20, downstream page offset @24, user data [120] @28. */
    record OpenChannel(int childRelid, int openId, int ringGpadlId, int targetVp, int downstreamPageOffset,
                       byte[] userData) implements ChannelMessage {
    }

    /** h→g, type 6: relid @8, open id @12, status @16. */
    record OpenChannelResult(int childRelid, int openId, int status) implements ChannelMessage {
    }

    /** g→h, type 7: relid @8. */
    record CloseChannel(int childRelid) implements ChannelMessage {
    }

    /** g→h, type 11: relid @8, gpadl id @12. */
    record GpadlTeardown(int childRelid, int gpadlId) implements ChannelMessage {
    }

    /** h→g, type 12: gpadl id @8. */
    record GpadlTorndown(int gpadlId) implements ChannelMessage {
    }

    /** h→g, type 2: relid @8. */
    record RescindChannelOffer(int childRelid) implements ChannelMessage {
    }

    /** g→h, type 13: relid @8. */
    record RelidReleased(int childRelid) implements ChannelMessage {
    }

    /** g→h, type 16 (header only). */
    record Unload() implements ChannelMessage {
    }

    /** h→g, type 17 (header only). */
    record UnloadResponse() implements ChannelMessage {
    }

    /** A well-formed header with a type this root does not handle (e.g. MODIFYCHANNEL, TL_CONNECT). */
    record Unhandled(int type, int length) implements ChannelMessage {
    }
}

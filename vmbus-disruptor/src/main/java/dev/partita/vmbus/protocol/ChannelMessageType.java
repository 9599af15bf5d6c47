package dev.partita.vmbus.protocol;

/**
 * VMBus channel-management message types (the {@code msgtype} u32 at offset 0 of every channel
 * message). C names: {@code CHANNELMSG_*} in Linux's {@code include/linux/hyperv.h}.
 */
public final class ChannelMessageType {
    private ChannelMessageType() {
    }

    public static final int INVALID = 0;
    public static final int OFFER_CHANNEL = 1;           // CHANNELMSG_OFFERCHANNEL
    public static final int RESCIND_CHANNEL_OFFER = 2;   // CHANNELMSG_RESCIND_CHANNELOFFER
    public static final int REQUEST_OFFERS = 3;          // CHANNELMSG_REQUESTOFFERS
    public static final int ALL_OFFERS_DELIVERED = 4;    // CHANNELMSG_ALLOFFERS_DELIVERED
    public static final int OPEN_CHANNEL = 5;            // CHANNELMSG_OPENCHANNEL
    public static final int OPEN_CHANNEL_RESULT = 6;     // CHANNELMSG_OPENCHANNEL_RESULT
    public static final int CLOSE_CHANNEL = 7;           // CHANNELMSG_CLOSECHANNEL
    public static final int GPADL_HEADER = 8;
    public static final int GPADL_BODY = 9;
    public static final int GPADL_CREATED = 10;
    public static final int GPADL_TEARDOWN = 11;
    public static final int GPADL_TORNDOWN = 12;
    public static final int RELID_RELEASED = 13;
    public static final int INITIATE_CONTACT = 14;
    public static final int VERSION_RESPONSE = 15;
    public static final int UNLOAD = 16;
    public static final int UNLOAD_RESPONSE = 17;

    /** The SynIC message type VMBus uses for all channel messages (HVMSG_... "channel message"). */
    public static final int SYNIC_MESSAGE_TYPE = 1;
    /** Size of the common header: type u32, padding u32. */
    public static final int HEADER_SIZE = 8;
    /** Largest SynIC message payload. */
    public static final int MAX_PAYLOAD = 240;
}

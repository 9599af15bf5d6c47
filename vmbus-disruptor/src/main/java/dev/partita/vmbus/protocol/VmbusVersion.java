package dev.partita.vmbus.protocol;

import java.util.List;

/**
 * VMBus protocol versions the root accepts (encoded {@code major << 16 | minor}), and the
 * well-known connection ids. C names: {@code VERSION_WIN8} (2.4) ... {@code VERSION_WIN10_V5_3} (5.3).
 */
public final class VmbusVersion {
    private VmbusVersion() {
    }

    public static final int V2_4 = 2 << 16 | 4;   // VERSION_WIN8
    public static final int V3_0 = 3 << 16;       // VERSION_WIN8_1
    public static final int V4_0 = 4 << 16;       // VERSION_WIN10
    public static final int V4_1 = 4 << 16 | 1;   // VERSION_WIN10_RS3
    public static final int V5_0 = 5 << 16;       // VERSION_WIN10_V5
    public static final int V5_1 = 5 << 16 | 1;
    public static final int V5_2 = 5 << 16 | 2;
    public static final int V5_3 = 5 << 16 | 3;

    /** Accepted versions, newest first (the order Linux proposes them). */
    public static final List<Integer> SUPPORTED = List.of(V5_3, V5_2, V5_1, V5_0, V4_1, V4_0, V3_0, V2_4);

    /** Connection id of management messages before 5.0, and the msg_conn_id the root hands out (VMBUS_MESSAGE_CONNECTION_ID). */
    public static final int MESSAGE_CONNECTION_ID = 1;
    /** Connection id of INITIATE_CONTACT for 5.0 and later (VMBUS_MESSAGE_CONNECTION_ID_4). */
    public static final int MESSAGE_CONNECTION_ID_4 = 4;
    /** SINT VMBus uses for messages and channel events (VMBUS_MESSAGE_SINT). */
    public static final int MESSAGE_SINT = 2;

    public static boolean isSupported(int version) {
        return SUPPORTED.contains(version);
    }

    public static String format(int version) {
        return (version >>> 16) + "." + (version & 0xFFFF);
    }
}

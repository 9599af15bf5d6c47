package dev.partita.devices.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class NvspMessageTest {
    private static ByteBuffer msg(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void parsesInitAndChoosesHighestVersionInRange() throws Exception {
        ByteBuffer b = msg(40).putInt(0, NvspMessage.TYPE_INIT).putInt(4, 0x50000).putInt(8, 0x50000);
        NvspMessage m = NvspMessage.parse(b);
        assertEquals(new NvspMessage.Init(0x50000, 0x50000), m);
        assertEquals(NvspVersion.V5, NvspVersion.choose(0x50000, 0x50000));
        assertEquals(NvspVersion.V6_1, NvspVersion.choose(0x2, 0x60001));
        assertNull(NvspVersion.choose(0x3, 0x30001));
    }

    @Test
    void parsesSendRndisPacketWithAndWithoutSection() throws Exception {
        ByteBuffer b = msg(40).putInt(0, NvspMessage.TYPE_SEND_RNDIS_PKT).putInt(4, 1).putInt(8, 7).putInt(12, 300);
        var p = (NvspMessage.SendRndisPacket) NvspMessage.parse(b);
        assertEquals(7, p.sectionIndex());
        assertTrue(p.inSendBuffer());
        b.putInt(8, -1);
        assertFalse(((NvspMessage.SendRndisPacket) NvspMessage.parse(b)).inSendBuffer());
    }

    @Test
    void parsesBufferMessagesWithUnsignedIds() throws Exception {
        ByteBuffer b = msg(40).putInt(0, NvspMessage.TYPE_SEND_RECV_BUF).putInt(4, 0x1234).putShort(8, (short) 0xCAFE);
        assertEquals(new NvspMessage.SendReceiveBuffer(0x1234, 0xCAFE), NvspMessage.parse(b));
        b.putInt(0, NvspMessage.TYPE_SEND_NDIS_CONFIG).putInt(4, 1500).putLong(12, 0x5L);
        assertEquals(new NvspMessage.SendNdisConfig(1500, 5L), NvspMessage.parse(b));
    }

    @Test
    void refusesTruncatedUnknownAndBadChannelType() {
        assertThrows(NetProtocolException.class, () -> NvspMessage.parse(msg(2)));
        assertThrows(NetProtocolException.class,
                () -> NvspMessage.parse(msg(8).putInt(0, NvspMessage.TYPE_INIT)));
        assertThrows(NetProtocolException.class,
                () -> NvspMessage.parse(msg(40).putInt(0, NvspMessage.TYPE_INIT_COMPLETE)));
        assertThrows(NetProtocolException.class,
                () -> NvspMessage.parse(msg(40).putInt(0, NvspMessage.TYPE_SEND_RNDIS_PKT).putInt(4, 2)));
    }
}

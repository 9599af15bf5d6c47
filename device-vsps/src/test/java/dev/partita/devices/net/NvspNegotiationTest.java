package dev.partita.devices.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class NvspNegotiationTest {
    private static final NvspState START = new NvspState.AwaitingInit();

    @Test
    void linuxStyleDescendingOffersSettleOnTheFirstSupported() throws Exception {
        NvspNegotiation.Step s = NvspNegotiation.step(START, new NvspMessage.Init(0x70000, 0x70000));
        assertEquals(START, s.state());
        assertEquals(NvspNegotiation.STATUS_FAIL, s.reply().getInt(12));
        s = NvspNegotiation.step(s.state(), new NvspMessage.Init(0x60001, 0x60001));
        ByteBuffer r = s.reply();
        assertEquals(NvspMessage.TYPE_INIT_COMPLETE, r.getInt(0));
        assertEquals(0x60001, r.getInt(4));
        assertEquals(NvspNegotiation.STATUS_SUCCESS, r.getInt(12));
        s = NvspNegotiation.step(s.state(), new NvspMessage.SendNdisVersion(6, 30));
        assertNull(s.reply());
        s = NvspNegotiation.step(s.state(), new NvspMessage.SendNdisConfig(1500, 0));
        assertEquals(new NvspState.Negotiated(NvspVersion.V6_1, 6, 30, 1500), s.state());
    }

    @Test
    void refusesMessagesOutOfOrderAndBadConfig() throws Exception {
        assertThrows(NetProtocolException.class,
                () -> NvspNegotiation.step(START, new NvspMessage.SendNdisVersion(6, 30)));
        NvspState v1 = NvspNegotiation.step(START, new NvspMessage.Init(2, 2)).state();
        assertEquals(new NvspState.Negotiated(NvspVersion.V1, 0, 0, 0), v1);
        assertThrows(NetProtocolException.class,
                () -> NvspNegotiation.step(v1, new NvspMessage.SendNdisConfig(1500, 0)));
        assertThrows(NetProtocolException.class, () -> NvspNegotiation.step(v1, new NvspMessage.Init(2, 2)));
        NvspState v6 = NvspNegotiation.step(START, new NvspMessage.Init(0x60000, 0x60000)).state();
        assertThrows(NetProtocolException.class,
                () -> NvspNegotiation.step(v6, new NvspMessage.SendNdisConfig(-1, 0)));
        assertThrows(NetProtocolException.class,
                () -> NvspNegotiation.step(v6, new NvspMessage.SendNdisConfig(10, 0)));
    }
}

package dev.partita.vmbus.protocol;

import dev.partita.vmbus.protocol.ChannelMessage.*;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Wire layouts of the channel messages, checked byte by byte against the offsets of Linux's
 * {@code struct vmbus_channel_*} (include/linux/hyperv.h, looked up; see the facts doc section 4).
 */
class ChannelMessageCodecTest {
    private static final UUID STORVSC = UUID.fromString("ba6163d9-04a1-4d29-b605-72e2ffb1dc7f");

    private static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void guidUsesMicrosoftMixedEndianLayout() {
        assertEquals("d96361baa104294db60572e2ffb1dc7f", HexFormat.of().formatHex(WireGuid.toBytes(STORVSC)));
        assertEquals(STORVSC, WireGuid.read(ByteBuffer.wrap(WireGuid.toBytes(STORVSC)), 0));
    }

    @Test
    void offerChannelLayout() throws Exception {
        UUID inst = UUID.fromString("00112233-4455-6677-8899-aabbccddeeff");
        byte[] user = new byte[120];
        user[0] = 0x55;
        user[119] = 0x66;
        byte[] m = ChannelMessageCodec.encode(new OfferChannel(STORVSC, inst, 0x100, 7, user, 3, 0x12345, 9, true, true, 0x10042));
        assertEquals(196, m.length);
        ByteBuffer b = le(m);
        assertEquals(1, b.getInt(0));
        assertEquals((byte) 0xd9, m[8]);
        assertEquals((byte) 0x7f, m[23]);
        assertEquals(0x33, m[24]);          // instance Data1 0x00112233 little-endian
        assertEquals((byte) 0xff, m[39]);
        assertEquals(0x100, b.getShort(56));
        assertEquals(7, b.getShort(58));
        assertEquals(0x55, m[60]);
        assertEquals(0x66, m[179]);
        assertEquals(3, b.getShort(180));
        assertEquals(0x12345, b.getInt(184));
        assertEquals(9, m[188]);
        assertEquals(1, m[189]);
        assertEquals(1, b.getShort(190));
        assertEquals(0x10042, b.getInt(192));
        OfferChannel back = (OfferChannel) ChannelMessageCodec.decode(m);
        assertEquals(inst, back.interfaceInstance());
        assertEquals(0x10042, back.connectionId());
        assertTrue(back.monitorAllocated());
    }

    @Test
    void initiateContactDecodesGuestLayout() throws Exception {
        byte[] m = new byte[40];
        le(m).putInt(0, 14).putInt(8, VmbusVersion.V5_3).putInt(12, 1).put(16, (byte) 2).putLong(24, 0x1000).putLong(32, 0x2000);
        InitiateContact c = (InitiateContact) ChannelMessageCodec.decode(m);
        assertEquals(VmbusVersion.V5_3, c.version());
        assertEquals(1, c.targetVcpu());
        assertEquals(2, c.messageSint());
        assertEquals(0x1000, c.monitorPage1());
        assertEquals(0x2000, c.monitorPage2());
    }

    @Test
    void versionResponseCarriesMsgConnIdAtTwelve() {
        byte[] m = ChannelMessageCodec.encode(new VersionResponse(true, 0, 0x77));
        assertEquals(16, m.length);
        assertEquals(15, le(m).getInt(0));
        assertEquals(1, m[8]);
        assertEquals(0x77, le(m).getInt(12));
    }

    @Test
    void gpadlHeaderRangesStartAtTwenty() throws Exception {
        byte[] m = new byte[20 + 8 + 16];
        le(m).putInt(0, 8).putInt(8, 5).putInt(12, 0xE1E10).putShort(16, (short) 24).putShort(18, (short) 1)
                .putInt(20, 8192).putInt(24, 0).putLong(28, 0x100).putLong(36, 0x101);
        GpadlHeader h = (GpadlHeader) ChannelMessageCodec.decode(m);
        assertEquals(5, h.childRelid());
        assertEquals(0xE1E10, h.gpadlId());
        assertEquals(24, h.rangeBufferLength());
        assertEquals(1, h.rangeCount());
        assertEquals(24, h.rangeBytes().length);
        assertEquals(0x100, le(h.rangeBytes()).getLong(8));
    }

    @Test
    void gpadlBodyPfnsStartAtSixteen() throws Exception {
        byte[] m = ChannelMessageCodec.encode(new GpadlBody(2, 9, new long[]{0xAA, 0xBB}));
        assertEquals(32, m.length);
        assertEquals(2, le(m).getInt(8));
        assertEquals(9, le(m).getInt(12));
        assertEquals(0xAA, le(m).getLong(16));
        GpadlBody b = (GpadlBody) ChannelMessageCodec.decode(m);
        assertArrayEquals(new long[]{0xAA, 0xBB}, b.pfns());
        byte[] odd = new byte[20];
        le(odd).putInt(0, 9);
        assertThrows(MalformedMessageException.class, () -> ChannelMessageCodec.decode(odd));
    }

    @Test
    void openChannelAndResults() throws Exception {
        byte[] m = new byte[148];
        le(m).putInt(0, 5).putInt(8, 3).putInt(12, 44).putInt(16, 0xE1E10).putInt(20, 1).putInt(24, 32);
        m[28] = 0x11;
        m[147] = 0x22;
        OpenChannel o = (OpenChannel) ChannelMessageCodec.decode(m);
        assertEquals(3, o.childRelid());
        assertEquals(44, o.openId());
        assertEquals(0xE1E10, o.ringGpadlId());
        assertEquals(1, o.targetVp());
        assertEquals(32, o.downstreamPageOffset());
        assertEquals(0x11, o.userData()[0]);
        assertEquals(0x22, o.userData()[119]);

        byte[] r = ChannelMessageCodec.encode(new OpenChannelResult(3, 44, 0xC0000001));
        assertEquals(20, r.length);
        assertEquals(6, le(r).getInt(0));
        assertEquals(44, le(r).getInt(12));
        assertEquals(0xC0000001, le(r).getInt(16));
        byte[] c = ChannelMessageCodec.encode(new GpadlCreated(3, 0xE1E10, 0));
        assertEquals(20, c.length);
        assertEquals(10, le(c).getInt(0));
        byte[] t = ChannelMessageCodec.encode(new GpadlTorndown(0xE1E10));
        assertEquals(12, t.length);
        assertEquals(0xE1E10, le(t).getInt(8));
        assertEquals(12, ChannelMessageCodec.encode(new RescindChannelOffer(3)).length);
        assertEquals(17, le(ChannelMessageCodec.encode(new UnloadResponse())).getInt(0));
    }

    @Test
    void shortOrOversizedMessagesAreMalformedAndUnknownTypesUnhandled() throws Exception {
        assertThrows(MalformedMessageException.class, () -> ChannelMessageCodec.decode(new byte[7]));
        assertThrows(MalformedMessageException.class, () -> ChannelMessageCodec.decode(new byte[241]));
        byte[] shortOpen = new byte[147];
        le(shortOpen).putInt(0, 5);
        assertThrows(MalformedMessageException.class, () -> ChannelMessageCodec.decode(shortOpen));
        byte[] contact = new byte[39];
        le(contact).putInt(0, 14);
        assertThrows(MalformedMessageException.class, () -> ChannelMessageCodec.decode(contact));
        byte[] modify = new byte[16];
        le(modify).putInt(0, 22);
        assertEquals(new Unhandled(22, 16), ChannelMessageCodec.decode(modify));
    }
}

package dev.partita.devices.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class BufferLayoutTest {
    @Test
    void receiveBufferIsOneSectionOfSubAllocations() throws Exception {
        BufferLayout l = BufferLayout.of(16L << 20, BufferLayout.RECEIVE_SECTION);
        assertEquals((16 << 20) / 1728, l.count());
        ByteBuffer r = l.receiveComplete(NvspNegotiation.STATUS_SUCCESS);
        assertEquals(NvspMessage.TYPE_SEND_RECV_BUF_COMPLETE, r.getInt(0));
        assertEquals(1, r.getInt(8));
        assertEquals(0, r.getInt(12));
        assertEquals(1728, r.getInt(16));
        assertEquals(l.count(), r.getInt(20));
        assertEquals(1728 * l.count(), r.getInt(24));
    }

    @Test
    void sectionIndexAndLengthAreChecked() throws Exception {
        BufferLayout l = BufferLayout.of(4 * 6144 + 100, BufferLayout.SEND_SECTION);
        assertEquals(4, l.count());
        assertEquals(6144, l.sendComplete(1).getInt(8));
        assertTrue(l.fits(3, 6144));
        assertFalse(l.fits(4, 1));
        assertFalse(l.fits(-1, 1));
        assertFalse(l.fits(0, 6145));
        assertFalse(l.fits(0, -1));
        assertThrows(NetProtocolException.class, () -> BufferLayout.of(100, 6144));
        assertThrows(NetProtocolException.class, () -> BufferLayout.of(1L << 32, 6144));
    }
}

package dev.partita.devices.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class VirtualSwitchTest {
    private static byte[] frame(int dst, int src, int payloadByte) {
        byte[] f = new byte[60];
        for (int i = 0; i < 6; i++) {
            f[i] = (byte) (dst == 0xFF ? 0xFF : (i == 5 ? dst : 0x02 * (i == 0 ? 1 : 0)));
            f[6 + i] = (byte) (i == 5 ? src : (i == 0 ? 0x02 : 0));
        }
        f[14] = (byte) payloadByte;
        return f;
    }

    @Test
    void floodsUnknownThenLearnsAndUnicasts() {
        VirtualSwitch sw = new VirtualSwitch("private", 8);
        SwitchPort a = sw.connect(0), b = sw.connect(0), c = sw.connect(0);
        byte[] f1 = frame(2, 1, 1);
        a.send(f1); // destination 2 unknown: flooded to b and c
        assertArrayEquals(f1, b.poll());
        assertArrayEquals(f1, c.poll());
        b.send(frame(1, 2, 2)); // 1 learnt on a: only a gets it, and 2 is learnt on b
        assertEquals(2, a.poll()[14]);
        assertNull(c.poll());
        a.send(frame(2, 1, 3));
        assertEquals(3, b.poll()[14]);
        assertNull(c.poll());
        assertEquals(new SwitchPort.Counters(2, 1, 0, 0), a.counters());
        assertEquals(new SwitchPort.Counters(0, 1, 0, 0), c.counters());
    }

    @Test
    void broadcastStaysInsideItsVlan() {
        VirtualSwitch sw = new VirtualSwitch("private", 8);
        SwitchPort a = sw.connect(10), b = sw.connect(10), other = sw.connect(20);
        a.send(frame(0xFF, 1, 9));
        assertEquals(9, b.poll()[14]);
        assertNull(other.poll());
        assertNull(a.poll());
    }

    @Test
    void portThatStopsReadingDropsWhileOthersAreServed() {
        VirtualSwitch sw = new VirtualSwitch("private", 4);
        SwitchPort sender = sw.connect(0), stalled = sw.connect(0), reader = sw.connect(0);
        for (int i = 0; i < 100; i++) {
            sender.send(frame(0xFF, 1, i));
            assertEquals(i, reader.poll()[14]);
        }
        assertEquals(new SwitchPort.Counters(0, 4, 96, 0), stalled.counters());
        assertEquals(new SwitchPort.Counters(0, 100, 0, 0), reader.counters());
        assertEquals(new SwitchPort.Counters(100, 0, 0, 0), sender.counters());
    }

    @Test
    void runtAndOversizedFramesAreCountedNotForwarded() {
        VirtualSwitch sw = new VirtualSwitch("private", 4);
        SwitchPort a = sw.connect(0), b = sw.connect(0);
        a.send(new byte[13]);
        a.send(new byte[VirtualSwitch.MAX_FRAME + 1]);
        assertNull(b.poll());
        assertEquals(new SwitchPort.Counters(0, 0, 0, 2), a.counters());
    }
}

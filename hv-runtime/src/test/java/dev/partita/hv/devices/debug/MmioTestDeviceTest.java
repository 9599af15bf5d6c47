package dev.partita.hv.devices.debug;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class MmioTestDeviceTest {
    @Test
    void registersBehaveAsTheConventionsSay() {
        MmioTestDevice d = new MmioTestDevice();
        assertEquals(0x54524150L, d.read(0, 4));
        d.write(0, 4, 0);
        assertEquals(0x54524150L, d.read(0, 4), "writes to the magic are ignored");
        assertEquals(0, d.read(8, 8));
        d.write(8, 8, 0x1122334455667788L);
        assertEquals(0x1122334455667788L, d.read(8, 8));
        d.write(0x10, 4, 0x12345678);
        assertEquals(0xEDCBA987L, d.read(0x14, 4));
        assertEquals(0xFFFFFFFFL, d.read(0x20, 4));
        assertEquals(-1L, d.read(0x800, 8));
        assertEquals(0xFFL, d.read(0x1, 1));
    }

    @Test
    void exitDeviceReportsTheLowByte() {
        int[] code = {-1};
        new DebugExitDevice(c -> code[0] = c).write(0, 4, 0x1234);
        assertEquals(0x34, code[0]);
    }

    @Test
    void consoleCapturesBytesUpToItsCap() {
        CapturingConsoleSink sink = new CapturingConsoleSink(3);
        DebugConsoleDevice con = new DebugConsoleDevice(sink);
        for (char c : "hello".toCharArray()) {
            con.write(0, 1, c);
        }
        assertEquals("hel", sink.text());
        assertEquals(2, sink.dropped());
        assertEquals(0xE9, con.read(0, 1));
    }
}

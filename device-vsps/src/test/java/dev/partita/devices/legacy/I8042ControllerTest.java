package dev.partita.devices.legacy;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

class I8042ControllerTest {
    private final AtomicInteger resets = new AtomicInteger();
    private final List<Boolean> irq = new ArrayList<>();
    private final I8042Controller kbc = new I8042Controller(irq::add, resets::incrementAndGet);

    private void cmd(int c) {
        kbc.commandPort().write(0, 1, c);
    }

    private void data(int d) {
        kbc.dataPort().write(0, 1, d);
    }

    private int status() {
        return kbc.commandPort().read(0, 1);
    }

    private int read() {
        assertEquals(1, status() & 1, "output buffer full");
        return kbc.dataPort().read(0, 1);
    }

    @Test
    void selfTestsAndConfigurationByte() {
        cmd(0xAA);
        assertEquals(0x55, read());
        cmd(0xAB);
        assertEquals(0x00, read());
        cmd(0x20);
        int ctr = read();
        assertEquals(0x04, ctr & 0x04, "system flag");
        cmd(0x60);
        data(0x00); // interrupts off
        cmd(0x20);
        assertEquals(0x00, read());
        assertEquals(0, status() & 1);
    }

    @Test
    void keyboardAnswersResetAndIdentifyWithIrq1() {
        data(0xFF);
        assertEquals(List.of(true), irq);
        assertEquals(0xFA, read());
        assertEquals(0xAA, read());
        data(0xF2);
        assertEquals(0xFA, read());
        assertEquals(0xAB, read());
        assertEquals(0x83, read());
        data(0xED);
        assertEquals(0xFA, read());
        data(0x07);
        assertEquals(0xFA, read(), "LED parameter acknowledged");
        assertEquals(false, irq.get(irq.size() - 1), "line low once the buffer is empty");
    }

    @Test
    void pulsingResetLineCallsResetAction() {
        cmd(0xFF); // pulse nothing
        assertEquals(0, resets.get());
        cmd(0xFE);
        assertEquals(1, resets.get());
        cmd(0xD1);
        data(0x02); // output port with reset bit clear
        assertEquals(2, resets.get());
    }
}

package dev.partita.devices.legacy;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class SerialPort16550Test {
    private final ByteArrayOutputStream sent = new ByteArrayOutputStream();
    private final List<Boolean> irq = new ArrayList<>();
    private final SerialPort16550 uart = new SerialPort16550(sent::write, irq::add);

    private int in(int reg) {
        return uart.read(reg, 1);
    }

    private void out(int reg, int v) {
        uart.write(reg, 1, v);
    }

    @Test
    void transmitsToTheSinkAndReportsAnEmptyTransmitter() {
        for (char c : "hi\n".toCharArray()) {
            out(0, c);
        }
        assertEquals("hi\n", sent.toString());
        assertEquals(0x60, in(5) & 0x60, "THRE and TEMT");
        assertTrue(irq.isEmpty(), "no interrupt without IER");
    }

    @Test
    void divisorLatchIsSeparateFromDataAndIer() {
        out(3, 0x80); // DLAB
        out(0, 0x01);
        out(1, 0x00);
        assertEquals(0x01, in(0));
        assertEquals(0x00, in(1));
        out(3, 0x03); // 8N1, DLAB off
        assertEquals(0x03, in(3));
        assertEquals(0, in(1), "IER untouched by the divisor writes");
        assertEquals("", sent.toString(), "divisor writes are not transmitted");
    }

    @Test
    void scratchRegisterAndFifoIdentification() {
        out(7, 0xA5);
        assertEquals(0xA5, in(7));
        out(2, 0xC7); // enable + clear FIFOs, trigger 14
        assertEquals(0xC0, in(2) & 0xC0, "16550A: FIFOs enabled bits");
        assertEquals(0x01, in(2) & 0x0F, "no interrupt pending");
    }

    @Test
    void receivedBytesRaiseIrqAndDrainInOrder() {
        out(1, 0x01); // receive-data interrupt
        assertEquals(3, uart.receive("abc".getBytes(), 0, 3));
        assertEquals(List.of(true), irq);
        assertEquals(0x04, in(2) & 0x0F, "non-FIFO: received data available");
        assertEquals(1, in(5) & 1, "data ready");
        assertEquals('a', in(0));
        assertEquals('b', in(0), "host queue refills the 1-byte holding register");
        assertEquals('c', in(0));
        assertEquals(0, in(5) & 1);
        assertEquals(List.of(true, false), irq);
    }

    @Test
    void fifoModeUsesTriggerLevelThenCharacterTimeout() {
        out(2, 0x81); // FIFO on, trigger 8
        out(1, 0x01);
        uart.receive("12345".getBytes(), 0, 5);
        assertEquals(0x0C, in(2) & 0x0F, "below the trigger: character timeout");
        uart.receive("6789".getBytes(), 0, 4);
        assertEquals(0x04, in(2) & 0x0F, "at the trigger: data available");
        StringBuilder got = new StringBuilder();
        while ((in(5) & 1) != 0) {
            got.append((char) in(0));
        }
        assertEquals("123456789", got.toString());
    }

    @Test
    void thrEmptyInterruptOnEnableAndAfterEachByteClearedByIirRead() {
        out(1, 0x02);
        assertEquals(List.of(true), irq, "enabling THRE with an empty THR interrupts");
        assertEquals(0x02, in(2) & 0x0F);
        assertEquals(0x01, in(2) & 0x0F, "reading IIR cleared it");
        assertEquals(List.of(true, false), irq);
        out(0, 'x');
        assertEquals(List.of(true, false, true), irq);
    }

    @Test
    void loopbackReturnsTransmittedBytesAndModemLines() {
        out(4, 0x10 | 0x02 | 0x08); // LOOP | RTS | OUT2
        assertEquals(0x90, in(6) & 0xF0, "CTS from RTS, DCD from OUT2");
        out(0, 0x55);
        assertEquals("", sent.toString());
        assertEquals(0x55, in(0));
        out(4, 0);
        assertEquals(0xB0, in(6) & 0xF0);
    }

    @Test
    void overrunIsReportedOnceInLsr() {
        out(4, 0x10);
        out(0, 1);
        out(0, 2); // the 1-byte holding register is full
        assertEquals(0x02, in(5) & 0x02);
        assertEquals(0, in(5) & 0x02, "cleared by reading LSR");
    }
}

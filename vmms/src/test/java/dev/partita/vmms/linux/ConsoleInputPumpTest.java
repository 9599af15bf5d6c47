package dev.partita.vmms.linux;

import dev.partita.devices.legacy.IrqLine;
import dev.partita.devices.legacy.SerialPort16550;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** The console input pump copies input to the UART while its run lasts and reads nothing after it. */
class ConsoleInputPumpTest {
    private static final int LSR = 5;

    private final SerialPort16550 uart = new SerialPort16550(b -> { }, IrqLine.none());

    /** Input typed by the test: {@code available()} reports what was typed and not yet read; reads never block. */
    private static final class Keyboard extends InputStream {
        private final ByteArrayOutputStream typed = new ByteArrayOutputStream();
        private int pos;

        synchronized void type(byte... bytes) {
            typed.writeBytes(bytes);
        }

        @Override
        public synchronized int available() {
            return typed.size() - pos;
        }

        @Override
        public synchronized int read() {
            return pos < typed.size() ? typed.toByteArray()[pos++] & 0xFF : -1;
        }
    }

    /** Reads what the UART received until {@code expected} bytes arrived (the pump runs on its own thread). */
    private String received(int expected) throws InterruptedException {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < expected) {
            while ((uart.read(LSR, 1) & 1) != 0) {
                sb.append((char) uart.read(0, 1));
            }
            Thread.sleep(1);
        }
        return sb.toString();
    }

    @Test
    void copiesInputUntilClosedAndLeavesLaterInputUnread() throws Exception {
        Keyboard in = new Keyboard();
        ConsoleInputPump pump = ConsoleInputPump.start(in, uart, () -> fail("no detach"));
        in.type("ls\r".getBytes(StandardCharsets.US_ASCII));
        assertEquals("ls\r", received(3));
        pump.close();
        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().equals("partita-console-input")),
                "close() waits for the pump's thread");
        in.type("next".getBytes(StandardCharsets.US_ASCII));
        assertEquals(4, in.available(), "bytes written after the run stay for the next reader");
        assertEquals(0, uart.pendingHostInput());
        assertEquals(0, uart.read(LSR, 1) & 1, "nothing more reached the UART");
    }

    @Test
    void detachSequenceRunsTheDetachActionAndEndsThePump() throws Exception {
        Keyboard in = new Keyboard();
        CountDownLatch detached = new CountDownLatch(1);
        try (ConsoleInputPump pump = ConsoleInputPump.start(in, uart, detached::countDown)) {
            in.type((byte) 'a', (byte) ConsoleInputPump.ESCAPE, (byte) 'x', (byte) ConsoleInputPump.ESCAPE, (byte) 'q', (byte) 'z');
            assertTrue(detached.await(60, TimeUnit.SECONDS), "Ctrl-] q detaches");
            assertEquals("a\u001dx", received(3), "Ctrl-] then another byte sends both");
        }
        assertEquals(0, uart.read(LSR, 1) & 1, "nothing after the detach sequence reached the UART");
    }
}

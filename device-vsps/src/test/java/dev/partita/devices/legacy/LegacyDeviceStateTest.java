package dev.partita.devices.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.partita.hv.state.Saveable;
import dev.partita.hv.state.StateFileException;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The legacy devices' saved state: a device restored into a fresh instance answers the guest
 * exactly as the original would have from that moment (registers, FIFO contents, pending
 * commands, clocks continuing), and damaged sections are refused naming the device.
 */
class LegacyDeviceStateTest {

    private static <T extends Saveable> T restoreInto(Saveable from, T to) throws StateFileException {
        to.restoreState(from.saveState(), from.stateVersion());
        return to;
    }

    @Test
    void uartKeepsRegistersReceiveFifoAndHostInput() throws Exception {
        List<Boolean> irq = new ArrayList<>();
        SerialPort16550 a = new SerialPort16550(b -> { }, irq::add);
        a.write(3, 1, 0x80);
        a.write(0, 1, 0x0C); // divisor 12 low
        a.write(3, 1, 0x03);
        a.write(2, 1, 0x07); // FIFO on, trigger 1
        a.write(7, 1, 0x5A);
        a.write(1, 1, 0x01);
        byte[] typed = new byte[40];
        Arrays.fill(typed, (byte) 'k');
        typed[0] = 'x';
        typed[20] = 'y';
        a.receive(typed, 0, typed.length); // 16 in the FIFO, 24 queued behind it
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        SerialPort16550 b = restoreInto(a, new SerialPort16550(sent::write, x -> { }));
        assertEquals(0x03, b.read(3, 1));
        assertEquals(0x5A, b.read(7, 1));
        assertEquals(0x01, b.read(1, 1));
        assertEquals(0x04, b.read(2, 1) & 0x0F, "receive data interrupt pending");
        StringBuilder got = new StringBuilder();
        while ((b.read(5, 1) & 1) != 0) {
            got.append((char) b.read(0, 1));
        }
        assertEquals(new String(typed), got.toString(), "FIFO and queued host input, in order");
        b.write(0, 1, 'z');
        assertEquals("z", sent.toString());
    }

    @Test
    void i8042KeepsItsConfigurationPendingCommandAndOutput() throws Exception {
        I8042Controller a = new I8042Controller(x -> { }, () -> { });
        a.commandPort().write(0, 1, 0x60); // write configuration byte: next data byte
        I8042Controller b = restoreInto(a, new I8042Controller(x -> { }, () -> { }));
        b.dataPort().write(0, 1, 0x45);
        b.commandPort().write(0, 1, 0x20); // read configuration byte
        assertEquals(0x45, b.dataPort().read(0, 1));
        I8042Controller k = new I8042Controller(x -> { }, () -> { });
        k.dataPort().write(0, 1, 0xF2); // keyboard: get ID -> ACK, 0xAB, 0x83 queued
        I8042Controller c = restoreInto(k, new I8042Controller(x -> { }, () -> { }));
        assertEquals(0xFA, c.dataPort().read(0, 1));
        assertEquals(0xAB, c.dataPort().read(0, 1));
    }

    @Test
    void rtcKeepsItsRamAndTheGuestsOffsetWhileHostTimeMovesOn() throws Exception {
        Clock t0 = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
        CmosRtc a = new CmosRtc(t0);
        a.write(0, 1, 0x0B);
        a.write(1, 1, 0x06); // binary, 24 h
        a.write(0, 1, 0x04);
        a.write(1, 1, 5);    // the guest sets the hour to 05: offset +5 h
        a.write(0, 1, 0x40);
        a.write(1, 1, 0x77); // a CMOS RAM byte
        Clock later = Clock.fixed(Instant.parse("2026-01-01T00:10:00Z"), ZoneOffset.UTC);
        CmosRtc b = restoreInto(a, new CmosRtc(later));
        b.write(0, 1, 0x40);
        assertEquals(0x77, b.read(1, 1));
        b.write(0, 1, 0x04);
        assertEquals(5, b.read(1, 1), "guest offset kept");
        b.write(0, 1, 0x02);
        assertEquals(10, b.read(1, 1), "minutes follow host time");
    }

    @Test
    void pmTimerContinuesFromItsSavedValue() throws Exception {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        AcpiPmBlock a = new AcpiPmBlock(IrqLine.none(), () -> { }, now::get);
        now.addAndGet(2_000_000_000L);
        a.write(2, 2, 0x0120);
        long before = a.timerValue();
        AtomicLong otherHost = new AtomicLong(-77_000_000_000L);
        AcpiPmBlock b = restoreInto(a, new AcpiPmBlock(IrqLine.none(), () -> { }, otherHost::get));
        assertEquals(before, b.timerValue());
        otherHost.addAndGet(1_000_000_000L);
        assertEquals(before + 3_579_545, b.timerValue(), "one second later");
        assertEquals(0x0120, b.read(2, 2));
    }

    @Test
    void damagedSectionsAreRefusedNamingTheDevice() {
        List<Saveable> devices = List.of(new SerialPort16550(b -> { }, x -> { }), new I8042Controller(x -> { }, () -> { }),
                new CmosRtc(Clock.systemUTC()), new AcpiPmBlock(IrqLine.none(), () -> { }, System::nanoTime));
        for (Saveable d : devices) {
            byte[] good = d.saveState();
            for (int cut = 0; cut < good.length; cut++) {
                byte[] shortened = Arrays.copyOf(good, cut);
                StateFileException e = assertThrows(StateFileException.class, () -> d.restoreState(shortened, 1));
                assertTrue(e.getMessage().contains("'" + d.stateName() + "'"), e.getMessage());
            }
            assertThrows(StateFileException.class, () -> d.restoreState(Arrays.copyOf(good, good.length + 1), 1));
            assertThrows(StateFileException.class, () -> d.restoreState(good, 2));
        }
    }
}

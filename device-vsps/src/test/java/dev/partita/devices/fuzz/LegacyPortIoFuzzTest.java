package dev.partita.devices.fuzz;

import dev.partita.vmbus.fuzz.FuzzScript;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.partita.devices.legacy.AcpiPmBlock;
import dev.partita.devices.legacy.CmosRtc;
import dev.partita.devices.legacy.I8042Controller;
import dev.partita.devices.legacy.IrqLine;
import dev.partita.devices.legacy.SerialPort16550;
import dev.partita.hv.acpi.AcpiPmRegisters;
import dev.partita.hv.bus.IoBus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Fuzzes the emulated legacy devices as a guest reaches them: any sequence of IN and OUT of 1, 2
 * or 4 bytes on the real {@link IoBus} at the ports of the 16550 UART (0x3F8-0x3FF), the i8042
 * (0x60, 0x64), the CMOS RTC (0x70-0x71) and the ACPI PM block (0x600-0x60B), accesses that run
 * past a device's last port, host input arriving on the serial line, and time passing.
 *
 * <p>Properties: no access throws; every interrupt line changes level on each call (a device
 * drives its line only when the level changes, as {@link IrqLine} requires); the serial port sends
 * at most one byte to the console per OUT and keeps at most {@link SerialPort16550#MAX_HOST_QUEUE}
 * bytes of host input; the reset line is pulsed only by an OUT to the i8042 (a pulse command, or
 * an output-port write with the reset bit low) and power-off only by an OUT to the PM block.
 *
 * <p>CI runs the seeds in {@code src/test/resources/dev/partita/devices/fuzz/LegacyPortIoFuzzTestInputs}
 * (regression mode); {@code JAZZER_FUZZ=1} fuzzes with coverage feedback.
 */
class LegacyPortIoFuzzTest {
    private static final int[] PORTS = {0x3F8, 0x3F9, 0x3FA, 0x3FB, 0x3FC, 0x3FD, 0x3FE, 0x3FF, 0x60, 0x64, 0x70, 0x71,
        0x600, 0x601, 0x602, 0x603, 0x604, 0x605, 0x608, 0x60A, 0x60B};
    private static final int[] SIZES = {1, 1, 1, 2, 4};
    static long executions;
    /** Rejected guest input is logged, which would flood a fuzzing run. */
    static {
        dev.partita.hv.log.LogLevels.set("dev.partita", System.Logger.Level.OFF);
    }

    @AfterAll
    static void report() {
        System.out.println("LegacyPortIoFuzzTest: " + executions + " inputs executed");
    }

    @FuzzTest(maxDuration = "3m")
    void anyPortIo(byte[] data) {
        run(data);
    }

    /** Deterministic complement for CI: random accesses, mostly byte-wide to the devices' own ports. */
    @Test
    void randomPortIoKeepsTheProperties() {
        SplittableRandom rng = new SplittableRandom(0x3F8);
        for (int n = 0; n < 2_000; n++) {
            byte[] b = new byte[rng.nextInt(4, 400)];
            rng.nextBytes(b);
            run(b);
        }
    }

    /** An interrupt line that checks every call changes its level. */
    static final class Line implements IrqLine {
        final String name;
        boolean level;

        Line(String name) {
            this.name = name;
        }

        @Override
        public void set(boolean value) {
            assertNotEquals(level, value, name + " driven to the level it already had");
            level = value;
        }
    }

    static void run(byte[] data) {
        executions++;
        FuzzScript s = new FuzzScript(data);
        long[] now = {1_000_000_000L};
        int[] consoleBytes = {0};
        int[] resets = {0};
        int[] powerOffs = {0};
        SerialPort16550 serial = new SerialPort16550(b -> consoleBytes[0]++, new Line("COM1 IRQ 4"));
        I8042Controller i8042 = new I8042Controller(new Line("i8042 IRQ 1"), () -> resets[0]++);
        CmosRtc rtc = new CmosRtc(Clock.fixed(Instant.parse("2026-12-08T01:02:03Z"), ZoneOffset.UTC));
        AcpiPmBlock pm = new AcpiPmBlock(new Line("SCI"), () -> powerOffs[0]++, () -> now[0]);
        IoBus bus = new IoBus();
        bus.register(SerialPort16550.COM1_BASE, SerialPort16550.REGISTER_COUNT, serial, "com1");
        bus.register(I8042Controller.DATA_PORT, 1, i8042.dataPort(), "i8042-data");
        bus.register(I8042Controller.COMMAND_PORT, 1, i8042.commandPort(), "i8042-command");
        bus.register(CmosRtc.BASE_PORT, 2, rtc, "cmos-rtc");
        bus.register(AcpiPmRegisters.BLOCK_BASE, AcpiPmRegisters.BLOCK_LENGTH, pm, "acpi-pm");
        int outs = 0;
        for (int step = 0; step < 300 && s.more(); step++) {
            int op = s.u8();
            int port = op < 0xF0 ? PORTS[s.u8() % PORTS.length] : s.u16();
            int size = SIZES[s.u8() % SIZES.length];
            int resetsBefore = resets[0];
            int offsBefore = powerOffs[0];
            switch (op % 5) {
                case 0, 1 -> {
                    int value = s.u8() == 0xFF ? s.u32() : s.u8();
                    bus.write(port, size, value);
                    outs++;
                    if (resets[0] != resetsBefore) {
                        assertTrue(port == I8042Controller.COMMAND_PORT || port == I8042Controller.DATA_PORT,
                                "reset pulsed by an OUT to 0x" + Integer.toHexString(port));
                    }
                    if (powerOffs[0] != offsBefore) {
                        assertTrue(port + size > AcpiPmRegisters.BLOCK_BASE && port < AcpiPmRegisters.BLOCK_BASE + AcpiPmRegisters.BLOCK_LENGTH,
                                "power-off by an OUT to 0x" + Integer.toHexString(port));
                    }
                }
                case 2, 3 -> bus.read(port, size);
                default -> {
                    if (s.bit()) {
                        byte[] in = s.bytes(s.u8());
                        int accepted = serial.receive(in, 0, in.length);
                        assertTrue(accepted >= 0 && accepted <= in.length, "accepted " + accepted + " of " + in.length);
                    } else {
                        now[0] += (long) s.u16() * 1_000;
                    }
                }
            }
            assertTrue(consoleBytes[0] <= outs, consoleBytes[0] + " console bytes from " + outs + " OUTs");
            assertTrue(serial.pendingHostInput() <= SerialPort16550.MAX_HOST_QUEUE, "host input queue bounded");
        }
    }
}

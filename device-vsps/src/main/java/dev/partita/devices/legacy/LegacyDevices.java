package dev.partita.devices.legacy;

import dev.partita.hv.Partition;
import dev.partita.hv.acpi.AcpiPmRegisters;
import dev.partita.hv.devices.debug.ConsoleSink;
import dev.partita.hv.state.Saveable;
import java.time.Clock;
import java.util.List;

/**
 * The emulated PC devices a Linux guest finds through Partita's ACPI tables, attached to one
 * partition: COM1 (16550A at 0x3F8, IRQ 4), the i8042 (0x60/0x64, IRQ 1), the CMOS RTC (0x70/0x71)
 * and the ACPI PM block (0x600-0x60B, SCI on IRQ 9). The PIC, PIT and APICs belong to the backend.
 *
 * @param serial   COM1 (feed host input with {@link SerialPort16550#receive})
 * @param i8042    the keyboard controller
 * @param rtc      the CMOS clock
 * @param pmBlock  the ACPI PM registers
 */
public record LegacyDevices(SerialPort16550 serial, I8042Controller i8042, CmosRtc rtc, AcpiPmBlock pmBlock) {

    /** What the guest's power and reset requests do. Called on a vCPU thread; must not wait for the vCPUs. */
    public interface PowerActions {
        /** ACPI soft-off (S5). */
        void powerOff();

        /** The i8042 pulsed the CPU reset line. */
        void reset();
    }

    /** The devices' saved-state components (COM1, i8042, RTC, PM block), restore order. */
    public List<Saveable> saveables() {
        return List.of(serial, i8042, rtc, pmBlock);
    }

    /** Creates the devices and registers them on {@code partition}'s port bus. */
    public static LegacyDevices attach(Partition partition, ConsoleSink serialOutput, PowerActions power) {
        SerialPort16550 serial = new SerialPort16550(serialOutput, IrqLine.gsi(partition, SerialPort16550.COM1_IRQ));
        I8042Controller i8042 = new I8042Controller(IrqLine.gsi(partition, I8042Controller.KEYBOARD_IRQ), power::reset);
        CmosRtc rtc = new CmosRtc(Clock.systemUTC());
        AcpiPmBlock pm = new AcpiPmBlock(IrqLine.gsi(partition, AcpiPmRegisters.SCI_IRQ), power::powerOff, System::nanoTime);
        var bus = partition.ioBus();
        bus.register(SerialPort16550.COM1_BASE, SerialPort16550.REGISTER_COUNT, serial, "com1");
        bus.register(I8042Controller.DATA_PORT, 1, i8042.dataPort(), "i8042-data");
        bus.register(I8042Controller.COMMAND_PORT, 1, i8042.commandPort(), "i8042-command");
        bus.register(CmosRtc.BASE_PORT, 2, rtc, "cmos-rtc");
        bus.register(AcpiPmRegisters.BLOCK_BASE, AcpiPmRegisters.BLOCK_LENGTH, pm, "acpi-pm");
        return new LegacyDevices(serial, i8042, rtc, pm);
    }
}

package dev.partita.hv.acpi;

import java.util.ArrayList;
import java.util.List;

import static dev.partita.hv.acpi.AmlEncoder.device;
import static dev.partita.hv.acpi.AmlEncoder.eisaId;
import static dev.partita.hv.acpi.AmlEncoder.integer;
import static dev.partita.hv.acpi.AmlEncoder.method;
import static dev.partita.hv.acpi.AmlEncoder.name;
import static dev.partita.hv.acpi.AmlEncoder.pkg;
import static dev.partita.hv.acpi.AmlEncoder.returnValue;
import static dev.partita.hv.acpi.AmlEncoder.scope;
import static dev.partita.hv.acpi.AmlEncoder.string;

/**
 * The DSDT's AML: devices under \_SB and the \_S5 sleep package. Add devices with {@link #add} (one
 * call each: {@code dsdt.add(DsdtBuilder.vmbus())}); {@link #toTable()} encodes the whole table.
 * Not thread-safe.
 */
public final class DsdtBuilder {
    /** _STA value: present, enabled, shown in the UI, functioning. */
    static final int STA_PRESENT = 0x0F;

    private final List<byte[]> devices = new ArrayList<>();

    /** Appends an encoded Device term to \_SB. */
    public DsdtBuilder add(byte[] deviceTerm) {
        devices.add(deviceTerm);
        return this;
    }

    /** COM1: a 16550A UART (PNP0501) at I/O 0x3F8-0x3FF on ISA IRQ 4. */
    public static byte[] com1() {
        return device("COM1",
                name("_HID", eisaId("PNP0501")),
                name("_UID", integer(1)),
                method("_STA", 0, returnValue(integer(STA_PRESENT))),
                name("_CRS", new ResourceTemplate().io(0x3F8, 8).irq(4).toAmlBuffer()));
    }

    /** The i8042 keyboard controller (PNP0303): data 0x60, status/command 0x64, IRQ 1. */
    public static byte[] keyboardController() {
        return device("KBD",
                name("_HID", eisaId("PNP0303")),
                method("_STA", 0, returnValue(integer(STA_PRESENT))),
                name("_CRS", new ResourceTemplate().io(0x60, 1).io(0x64, 1).irq(1).toAmlBuffer()));
    }

    /** The CMOS real-time clock (PNP0B00): index 0x70, data 0x71, IRQ 8. */
    public static byte[] rtc() {
        return device("RTC",
                name("_HID", eisaId("PNP0B00")),
                method("_STA", 0, returnValue(integer(STA_PRESENT))),
                name("_CRS", new ResourceTemplate().io(0x70, 2).irq(8).toAmlBuffer()));
    }

    /**
     * The VMBus root device as Linux's hv_vmbus matches it: _HID and _CID "VMBUS", _UID 0, an empty
     * _CRS (interrupts arrive through the SynIC, not an ACPI resource).
     */
    public static byte[] vmbus() {
        return device("VMBS",
                name("_HID", string("VMBUS")),
                name("_CID", string("VMBUS")),
                name("_UID", integer(0)),
                method("_STA", 0, returnValue(integer(STA_PRESENT))),
                name("_CRS", new ResourceTemplate().toAmlBuffer()));
    }

    /**
     * The PCI root bridge (PNP0A03, conventional PCI, so no _OSC is expected): segment 0, _UID 0, decoding
     * buses 0 to {@link PciConfigWindow#LAST_BUS}. Configuration space is reached through ports 0xCF8/0xCFC
     * and the MCFG's ECAM window; the bridge forwards no I/O or memory windows (it has no devices below it).
     */
    public static byte[] pciRoot() {
        return device("PCI0",
                name("_HID", eisaId("PNP0A03")),
                name("_UID", integer(0)),
                name("_SEG", integer(0)),
                name("_BBN", integer(0)),
                method("_STA", 0, returnValue(integer(STA_PRESENT))),
                name("_CRS", new ResourceTemplate().busNumbers(0, PciConfigWindow.LAST_BUS).toAmlBuffer()));
    }

    /** The table: \_SB scope with the devices, then \_S5 = Package {SLP_TYPa, SLP_TYPb, 0, 0}. */
    public byte[] toTable() {
        byte[] sleep = name("\\_S5", pkg(integer(AcpiPmRegisters.S5_SLP_TYP), integer(AcpiPmRegisters.S5_SLP_TYP),
                integer(0), integer(0)));
        byte[] sb = scope("\\_SB", devices.toArray(byte[][]::new));
        // Revision 2: 64-bit integers.
        return new AcpiTableWriter("DSDT", 2).bytes(sb).bytes(sleep).finish();
    }
}

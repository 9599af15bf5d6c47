package dev.partita.emulator.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The I/O APIC through its MMIO window, routing to local APICs, and level-triggered EOI. */
class IoApicRoutingTest {

    private static final long REMOTE_IRR = 1L << 14;

    private final PlatformRig rig = new PlatformRig(2);

    private void route(int pin, int low, int destination) {
        rig.ioapicWrite(0x11 + 2 * pin, destination << 24);
        rig.ioapicWrite(0x10 + 2 * pin, low);
    }

    @Test
    void identificationRegisters() {
        assertEquals(0x00170011, rig.ioapicRead(1), "version 0x11, 24 entries");
        rig.ioapicWrite(0, 0x0A000000);
        assertEquals(0x0A000000, rig.ioapicRead(0));
        assertEquals(0x00010000, rig.ioapicRead(0x10 + 2 * 23), "entries reset masked");
        assertTrue(rig.dev(1).claimsMmio(PlatformRig.IOAPIC + 0x10), "every vCPU sees the I/O APIC");
    }

    @Test
    void edgePinRoutedToSecondCpuPhysically() {
        rig.enableApic(0);
        rig.enableApic(1);
        route(4, 0x34, 1);
        rig.platform.setGsiLevel(4, true);
        assertEquals(-1, rig.take(0));
        assertTrue(rig.wakeups[1].get() > 0, "the target vCPU was woken");
        assertEquals(0x34, rig.take(1));
        rig.platform.setGsiLevel(4, true); // no new edge
        assertEquals(-1, rig.take(1));
        rig.platform.setGsiLevel(4, false);
        rig.platform.setGsiLevel(4, true);
        assertFalse(rig.cpu(1).hasInterrupt(), "0x34 in service blocks a second 0x34");
        rig.lapicWrite(1, 0xB0, 0);
        assertEquals(0x34, rig.take(1));
    }

    @Test
    void pitIrq0ArrivesOnPin2() {
        rig.enableApic(0);
        route(2, 0x30, 0);
        rig.out(0x43, 0x34);
        rig.out(0x40, 100);
        rig.out(0x40, 0);
        rig.clock.advance(rig.cpu(0).nanosToNextEvent());
        assertEquals(0x30, rig.take(0));
    }

    @Test
    void levelTriggeredEoiBroadcastClearsRemoteIrrAndRefires() {
        rig.enableApic(0);
        route(17, 0x51 | (1 << 15), 0); // level, fixed, physical 0
        rig.platform.setGsiLevel(17, true);
        assertEquals(0x51, rig.take(0));
        assertTrue((rig.platform.ioApic().entry(17) & REMOTE_IRR) != 0, "remote IRR set while in service");
        assertTrue((rig.lapicRead(0, 0x180 + 0x20) & (1 << (0x51 - 64))) != 0, "TMR marks the vector level");
        rig.lapicWrite(0, 0xB0, 0); // EOI while the line is still asserted: delivered again
        assertEquals(0x51, rig.take(0));
        rig.platform.setGsiLevel(17, false);
        rig.lapicWrite(0, 0xB0, 0);
        assertEquals(0, rig.platform.ioApic().entry(17) & REMOTE_IRR);
        assertEquals(-1, rig.take(0));
    }

    @Test
    void maskedLevelPinDeliversWhenUnmasked() {
        rig.enableApic(0);
        route(9, 0x59 | (1 << 15) | (1 << 16), 0);
        rig.platform.setGsiLevel(9, true);
        assertEquals(-1, rig.take(0));
        route(9, 0x59 | (1 << 15), 0);
        assertEquals(0x59, rig.take(0));
    }

    @Test
    void logicalFlatDestinationAndLowestPriority() {
        rig.enableApic(0);
        rig.enableApic(1);
        rig.lapicWrite(0, 0xD0, 0x01000000);
        rig.lapicWrite(1, 0xD0, 0x02000000);
        route(5, 0x35 | (1 << 11), 0x02); // logical, to CPU with bit 1
        rig.platform.setGsiLevel(5, true);
        assertEquals(-1, rig.take(0));
        assertEquals(0x35, rig.take(1));
        rig.lapicWrite(0, 0x80, 0x40); // CPU 0 busier (TPR 0x40): lowest priority picks CPU 1
        route(6, 0x36 | (1 << 11) | (1 << 8), 0x03);
        rig.platform.setGsiLevel(6, true);
        assertEquals(-1, rig.take(0));
        rig.lapicWrite(1, 0xB0, 0);
        assertEquals(0x36, rig.take(1));
    }

    @Test
    void nmiDeliveryMode() {
        route(7, (4 << 8), 1);
        rig.platform.setGsiLevel(7, true);
        assertFalse(rig.cpu(0).takeNmi());
        assertTrue(rig.cpu(1).takeNmi());
        assertFalse(rig.cpu(1).takeNmi(), "an NMI is taken once");
    }

    @Test
    void extIntEntryAsksThePic() {
        rig.initPic(0x08, 0x70, false);
        rig.out(0x21, 0xFE);
        rig.lapicWrite(0, 0x350, 0x10700); // LINT0 masked: only the I/O APIC path remains
        route(0, 7 << 8, 0); // pin 0 ExtINT (virtual wire through the I/O APIC)
        rig.platform.setGsiLevel(2, true); // IRQ0 reaches the PIC (and pin 2, masked)
        assertEquals(-1, rig.take(0));
        rig.platform.ioApic().setPin(0, true);
        assertEquals(0x08, rig.take(0), "vector supplied by the 8259's INTA");
    }

    @Test
    void saveRestore() {
        route(3, 0x33, 1);
        IoApic.State s = rig.platform.ioApic().save();
        PlatformRig other = new PlatformRig(2);
        other.platform.ioApic().restore(s);
        other.enableApic(1);
        other.platform.setGsiLevel(3, true);
        assertEquals(0x33, other.take(1));
    }
}

package dev.partita.emulator.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The 8259 pair through its ports, delivered to the boot processor's LINT0 (ExtINT) as a guest sees it. */
class CascadedPicTest {

    private final PlatformRig rig = new PlatformRig(1);

    @Test
    void initSequenceSetsVectorBaseAndMaskReadsBack() {
        rig.initPic(0x08, 0x70, false);
        assertEquals(0xFF, rig.in(0x21));
        assertEquals(0xFF, rig.in(0xA1));
        rig.out(0x21, 0xA5);
        assertEquals(0xA5, rig.in(0x21));
        rig.out(0x21, 0xFE); // unmask IRQ0 only
        rig.platform.setGsiLevel(2, true); // GSI 2 = ISA IRQ0
        rig.platform.setGsiLevel(2, false);
        assertEquals(0x08, rig.take(0));
        assertEquals(-1, rig.take(0), "edge IRQ is delivered once");
    }

    @Test
    void priorityAndNonSpecificEoi() {
        rig.initPic(0x20, 0x28, false);
        rig.out(0x21, 0x00);
        rig.out(0xA1, 0x00);
        pulse(5);
        pulse(3);
        pulse(9); // slave IRQ 9 via cascade IRQ2 (priority between 1 and 3)
        // OCW3 read IRR: IRQ 2 (cascade), 3, 5 requested
        rig.out(0x20, 0x0A);
        assertEquals((1 << 2) | (1 << 3) | (1 << 5), rig.in(0x20));
        assertEquals(0x29, rig.take(0), "slave IRQ9 through the cascade outranks IRQ3");
        assertEquals(-1, rig.take(0), "lower priority waits while IRQ2 is in service");
        rig.out(0x20, 0x0B); // read ISR
        assertEquals(1 << 2, rig.in(0x20));
        rig.out(0xA0, 0x0B);
        assertEquals(1 << 1, rig.in(0xA0));
        rig.out(0xA0, 0x20); // EOI slave
        rig.out(0x20, 0x20); // EOI master
        assertEquals(0x23, rig.take(0));
        // A higher-priority IRQ1 interrupts the IRQ3 handler (nested)
        pulse(1);
        assertEquals(0x21, rig.take(0));
        rig.out(0x20, 0x20); // non-specific EOI ends IRQ1 (highest in service)
        rig.out(0x20, 0x0B);
        assertEquals(1 << 3, rig.in(0x20));
        rig.out(0x20, 0x20);
        assertEquals(0x25, rig.take(0));
        rig.out(0x20, 0x65); // specific EOI for IRQ5
        assertEquals(0, rig.in(0x20));
    }

    @Test
    void maskedLineStaysInIrrUntilUnmasked() {
        rig.initPic(0x08, 0x70, false);
        pulse(4);
        assertFalse(rig.cpu(0).hasInterrupt());
        rig.out(0x20, 0x0A);
        assertEquals(1 << 4, rig.in(0x20) & (1 << 4));
        rig.out(0x21, 0xEF);
        assertEquals(0x0C, rig.take(0));
    }

    @Test
    void autoEoiLeavesIsrClear() {
        rig.initPic(0x08, 0x70, true);
        rig.out(0x21, 0x00);
        pulse(3);
        pulse(2 + 4); // IRQ6
        assertEquals(0x0B, rig.take(0));
        assertEquals(0x0E, rig.take(0), "no EOI needed in auto-EOI mode");
        rig.out(0x20, 0x0B);
        assertEquals(0, rig.in(0x20));
    }

    @Test
    void levelTriggeredLineRequestsAgainAfterEoiWhileAsserted() {
        rig.initPic(0x08, 0x70, false);
        rig.out(0x4D1, 0x08); // IRQ11 level
        assertEquals(0x08, rig.in(0x4D1));
        rig.out(0x4D0, 0xFF); // IRQ 0-2 cannot be level
        assertEquals(0xF8, rig.in(0x4D0));
        rig.out(0x4D0, 0x00);
        rig.out(0x21, 0xFB);
        rig.out(0xA1, 0xF7);
        rig.platform.setGsiLevel(11, true);
        assertEquals(0x73, rig.take(0));
        rig.out(0xA0, 0x20);
        rig.out(0x20, 0x20);
        assertEquals(0x73, rig.take(0), "still asserted: requested again");
        rig.platform.setGsiLevel(11, false);
        rig.out(0xA0, 0x20);
        rig.out(0x20, 0x20);
        assertEquals(-1, rig.take(0));
    }

    @Test
    void requestWithdrawnBeforeIntaGivesSpuriousIrq7() {
        rig.initPic(0x08, 0x70, false);
        rig.out(0x4D0, 0x20); // IRQ5 level-triggered
        rig.out(0x21, 0x00);
        rig.platform.setGsiLevel(5, true);
        assertTrue(rig.cpu(0).hasInterrupt());
        rig.platform.setGsiLevel(5, false); // the device drops the line before the CPU's INTA
        assertEquals(0x0F, rig.platform.pic().acknowledge(), "the 8259 answers INTA with IRQ7's vector");
        assertEquals(-1, rig.cpu(0).acknowledgeInterrupt(), "the vCPU's check finds nothing to deliver");
        rig.out(0x20, 0x0B);
        assertEquals(0, rig.in(0x20), "a spurious IRQ7 is not put in service");
    }

    @Test
    void pollCommandAcknowledges() {
        rig.initPic(0x08, 0x70, false);
        rig.out(0x21, 0x00);
        pulse(6);
        rig.out(0x20, 0x0C); // OCW3 poll
        assertEquals(0x86, rig.in(0x20));
        rig.out(0x20, 0x0B);
        assertEquals(1 << 6, rig.in(0x20));
    }

    @Test
    void lint0MaskedBlocksPicUntilApicDisabled() {
        rig.initPic(0x08, 0x70, false);
        rig.out(0x21, 0xFE);
        rig.lapicWrite(0, 0x350, 0x10700); // LINT0 masked
        pulse(0);
        assertFalse(rig.cpu(0).hasInterrupt());
        rig.platform.apic(0).apicBaseWritten(0xFEE00000L | (1 << 8)); // hardware-disable: PIC goes to the CPU directly
        assertEquals(0x08, rig.take(0));
    }

    @Test
    void saveRestoreKeepsState() {
        rig.initPic(0x08, 0x70, false);
        rig.out(0x21, 0x00);
        pulse(3);
        CascadedPic.State s = rig.platform.pic().save();
        PlatformRig other = new PlatformRig(1);
        other.platform.pic().restore(s);
        assertEquals(0x0B, other.take(0));
        assertEquals(0x00, other.in(0x21));
    }

    private void pulse(int irq) {
        int gsi = irq == 0 ? 2 : irq;
        rig.platform.setGsiLevel(gsi, true);
        rig.platform.setGsiLevel(gsi, false);
    }
}

package dev.partita.devices.legacy;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

class AcpiPmBlockTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final AtomicInteger offs = new AtomicInteger();
    private final AcpiPmBlock pm = new AcpiPmBlock(IrqLine.none(), offs::incrementAndGet, now::get);

    @Test
    void s5WithSlpEnPowersOffAsLinuxWritesIt() {
        // acpi_hw_legacy_sleep: write SLP_TYP first, then SLP_TYP | SLP_EN (16-bit writes to PM1a_CNT)
        pm.write(4, 2, 1 | 5 << 10);
        assertEquals(0, offs.get());
        pm.write(4, 2, 1 | 5 << 10 | 1 << 13);
        assertEquals(1, offs.get());
        assertEquals(0, pm.read(4, 2) & (1 << 13), "SLP_EN reads as 0");
    }

    @Test
    void otherSleepTypesDoNothing() {
        pm.write(4, 2, 3 << 10 | 1 << 13);
        assertEquals(0, offs.get());
    }

    @Test
    void timerCountsAt3579545HzAndWraps() {
        long t0 = pm.read(8, 4) & 0xFFFF_FFFFL;
        now.addAndGet(1_000_000_000L);
        long t1 = pm.read(8, 4) & 0xFFFF_FFFFL;
        assertEquals(3_579_545, t1 - t0);
        now.addAndGet(1_200L * 1_000_000_000L); // 1200 s > 2^32 ticks
        long t2 = pm.read(8, 4) & 0xFFFF_FFFFL;
        assertEquals((1201L * 3_579_545) & 0xFFFF_FFFFL, t2);
    }

    @Test
    void enableRegisterHoldsAndAcpiModeIsOn() {
        pm.write(2, 2, 0x0100);
        assertEquals(0x0100, pm.read(2, 2));
        assertEquals(1, pm.read(4, 2) & 1, "SCI_EN: ACPI mode");
    }
}

package dev.partita.emulator.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.partita.emulator.cpu.CpuException;
import org.junit.jupiter.api.Test;

/** The local APIC timer on a manual clock (1 GHz bus clock: one tick per nanosecond before dividing). */
class LocalApicTimerTest {

    private static final int LVT_TIMER = 0x320;
    private static final int INITIAL = 0x380;
    private static final int CURRENT = 0x390;
    private static final int DIVIDE = 0x3E0;
    private static final int EOI = 0xB0;
    private static final int ISR = 0x100;
    private static final int IRR = 0x200;

    private final PlatformRig rig = new PlatformRig(1);

    private boolean irrBit(int vector) {
        return (rig.lapicRead(0, IRR + 0x10 * (vector / 32)) & (1 << (vector % 32))) != 0;
    }

    @Test
    void periodicTimerFiresEveryPeriodAndCountsDown() {
        rig.enableApic(0);
        rig.lapicWrite(0, DIVIDE, 0x3); // divide by 16
        rig.lapicWrite(0, LVT_TIMER, 0x40 | (1 << 17));
        rig.lapicWrite(0, INITIAL, 62500); // 1 ms
        assertEquals(62500, rig.lapicRead(0, INITIAL));
        rig.clock.advance(16 * 1000);
        assertEquals(61500, rig.lapicRead(0, CURRENT));
        assertEquals(1_000_000 - 16_000, rig.cpu(0).nanosToNextEvent());
        assertFalse(irrBit(0x40));
        for (int tick = 1; tick <= 5; tick++) {
            rig.clock.advance(rig.cpu(0).nanosToNextEvent());
            assertTrue(irrBit(0x40), "IRR latched at tick " + tick);
            assertEquals(0x40, rig.take(0));
            assertTrue((rig.lapicRead(0, ISR + 0x20) & 1) != 0, "vector 0x40 in service");
            rig.lapicWrite(0, EOI, 0);
            assertEquals(0, rig.lapicRead(0, ISR + 0x20) & 1);
            assertEquals(1_000_000, rig.cpu(0).nanosToNextEvent(), "re-armed one period later");
        }
        rig.lapicWrite(0, LVT_TIMER, 0x40 | (1 << 16)); // masked, same mode
        rig.clock.advance(5_000_000);
        assertEquals(-1, rig.take(0), "masked timer raises nothing");
        rig.lapicWrite(0, INITIAL, 0);
        assertEquals(0, rig.lapicRead(0, CURRENT));
        assertEquals(Long.MAX_VALUE, rig.cpu(0).nanosToNextEvent());
    }

    @Test
    void oneShotTimerFiresOnceAndStopsAtZero() {
        rig.enableApic(0);
        rig.lapicWrite(0, DIVIDE, 0xB); // divide by 1
        rig.lapicWrite(0, LVT_TIMER, 0x31);
        rig.lapicWrite(0, INITIAL, 5000);
        rig.clock.advance(4999);
        assertEquals(1, rig.lapicRead(0, CURRENT));
        assertEquals(-1, rig.take(0));
        rig.clock.advance(1);
        assertEquals(0x31, rig.take(0));
        rig.lapicWrite(0, EOI, 0);
        rig.clock.advance(100_000);
        assertEquals(0, rig.lapicRead(0, CURRENT));
        assertEquals(-1, rig.take(0));
        assertEquals(Long.MAX_VALUE, rig.cpu(0).nanosToNextEvent());
    }

    @Test
    void divideChangeKeepsTheCurrentCount() {
        rig.enableApic(0);
        rig.lapicWrite(0, DIVIDE, 0xB); // divide by 1
        rig.lapicWrite(0, LVT_TIMER, 0x40 | (1 << 17));
        rig.lapicWrite(0, INITIAL, 1000);
        rig.clock.advance(400);
        rig.lapicWrite(0, DIVIDE, 0x0); // divide by 2
        assertEquals(600, rig.lapicRead(0, CURRENT));
        assertEquals(1200, rig.cpu(0).nanosToNextEvent());
        rig.clock.advance(1200);
        assertEquals(0x40, rig.take(0));
        assertEquals(2000, rig.cpu(0).nanosToNextEvent(), "next period at the new rate");
    }

    @Test
    void tscDeadlineTimerFiresAtDeadlineAndClearsMsr() {
        rig.enableApic(0);
        rig.lapicWrite(0, LVT_TIMER, 0x50 | (2 << 17));
        assertTrue(rig.cpu(0).claimsMsr(0x6E0));
        long tscNow = rig.tsc.ticksAt(rig.clock.nanoTime());
        rig.cpu(0).writeMsr(0x6E0, tscNow + 3_000); // TSC at 1 GHz: 3 µs
        rig.lapicWrite(0, INITIAL, 12345); // ignored in TSC-deadline mode
        assertEquals(0, rig.lapicRead(0, INITIAL));
        assertEquals(tscNow + 3_000, rig.cpu(0).readMsr(0x6E0));
        assertEquals(3_000, rig.cpu(0).nanosToNextEvent());
        rig.clock.advance(2_999);
        assertEquals(-1, rig.take(0));
        rig.clock.advance(1);
        assertEquals(0x50, rig.take(0));
        assertEquals(0, rig.cpu(0).readMsr(0x6E0), "the deadline MSR reads 0 after firing");
        rig.lapicWrite(0, EOI, 0);
        rig.cpu(0).writeMsr(0x6E0, 1); // already passed: fires at the next check
        assertEquals(0x50, rig.take(0));
        rig.lapicWrite(0, EOI, 0);
        rig.cpu(0).writeMsr(0x6E0, -1L); // 2^64 - 1: unsigned, far in the future
        rig.clock.advance(3_600_000_000_000L);
        assertEquals(-1, rig.take(0));
        assertEquals(-1L, rig.cpu(0).readMsr(0x6E0));
    }

    @Test
    void x2apicModeMovesRegistersToMsrs() {
        rig.platform.apic(0).apicBaseWritten(0xFEE00000L | (1 << 11) | (1 << 10) | (1 << 8));
        assertFalse(rig.dev(0).claimsMmio(PlatformRig.LAPIC), "xAPIC page gone in x2APIC mode");
        assertEquals(0, rig.cpu(0).readMsr(0x802), "x2APIC ID = vCPU index");
        assertEquals(0x14, rig.cpu(0).readMsr(0x803) & 0xFF);
        assertEquals(1, rig.cpu(0).readMsr(0x80D), "x2APIC LDR: cluster 0, bit 0");
        assertThrows(CpuException.class, () -> rig.cpu(0).writeMsr(0x80D, 5), "LDR is read-only");
        assertThrows(CpuException.class, () -> rig.cpu(0).readMsr(0x80E), "no DFR in x2APIC mode");
        rig.cpu(0).writeMsr(0x80F, 0x1FF);
        rig.cpu(0).writeMsr(0x83E, 0xB);
        rig.cpu(0).writeMsr(0x832, 0x60);
        rig.cpu(0).writeMsr(0x838, 100);
        rig.clock.advance(100);
        assertEquals(0x60, rig.take(0));
        rig.cpu(0).writeMsr(0x80B, 0);
        rig.cpu(0).writeMsr(0x83F, 0x70); // SELF IPI
        assertEquals(0x70, rig.take(0));
    }

    @Test
    void xapicMsrsFaultOutsideX2apicMode() {
        assertThrows(CpuException.class, () -> rig.cpu(0).readMsr(0x802));
    }

    @Test
    void taskPriorityHoldsBackLowerClasses() {
        rig.enableApic(0);
        rig.lapicWrite(0, 0x80, 0x50); // TPR class 5
        rig.cpu(0).setTaskPriority(5);
        rig.platform.signalMsi(0xFEE00000L, 0x45);
        assertFalse(rig.cpu(0).hasInterrupt(), "vector 0x45 is not above TPR class 5");
        rig.platform.signalMsi(0xFEE00000L, 0x61);
        assertEquals(0x61, rig.take(0));
        assertEquals(0x60, rig.lapicRead(0, 0xA0), "PPR = in-service class");
        rig.lapicWrite(0, EOI, 0);
        rig.cpu(0).setTaskPriority(0);
        assertEquals(0x45, rig.take(0));
    }

    @Test
    void saveRestoreAndLapicPageRoundTrip() {
        rig.enableApic(0);
        rig.lapicWrite(0, DIVIDE, 0xB);
        rig.lapicWrite(0, LVT_TIMER, 0x40 | (1 << 17));
        rig.lapicWrite(0, INITIAL, 1000);
        rig.clock.advance(300);
        var page = rig.platform.apic(0).toLapicState();
        assertEquals(700, page.register(0x390));
        PlatformRig other = new PlatformRig(1);
        other.platform.apic(0).loadLapicState(page);
        assertEquals(700, other.lapicRead(0, CURRENT));
        other.clock.advance(700);
        assertEquals(0x40, other.take(0));
        LocalApic.State s = rig.platform.apic(0).save();
        PlatformRig third = new PlatformRig(1);
        third.platform.apic(0).restore(s);
        assertEquals(700, third.lapicRead(0, CURRENT));
    }
}

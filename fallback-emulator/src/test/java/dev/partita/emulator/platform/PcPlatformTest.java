package dev.partita.emulator.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The whole platform as the real-mode timer guest uses it: PIT channel 0 → 8259 IRQ0 → LINT0 ExtINT → the BSP. */
class PcPlatformTest {

    private final PlatformRig rig = new PlatformRig(2);

    private void startPit100Hz() {
        rig.out(0x43, 0x34);
        rig.out(0x40, 11932 & 0xFF);
        rig.out(0x40, 11932 >>> 8);
    }

    @Test
    void pitTicksReachTheBootProcessorThroughThePic() {
        rig.initPic(0x08, 0x70, false);
        startPit100Hz();
        rig.out(0x21, 0xFE);
        long tenMs = TickMath.nanosFor(11932, PitChannel.HZ);
        assertEquals(tenMs, rig.cpu(0).nanosToNextEvent(), "a halted BSP waits exactly until the next tick");
        for (int tick = 1; tick <= 5; tick++) {
            rig.clock.advance(rig.cpu(0).nanosToNextEvent());
            assertTrue(rig.cpu(0).hasInterrupt(), "tick " + tick);
            assertFalse(rig.cpu(1).hasInterrupt(), "the AP's LINT0 is masked");
            assertEquals(0x08, rig.cpu(0).acknowledgeInterrupt());
            rig.out(0x20, 0x20);
        }
    }

    @Test
    void irrLatchesWithInterruptsOffWhenTheGuestPollsThePic() {
        rig.initPic(0x08, 0x70, false);
        startPit100Hz();
        rig.out(0x21, 0xFE);
        rig.out(0x20, 0x0A);
        assertEquals(0, rig.in(0x20) & 1);
        rig.clock.advance(20_000_000);
        assertEquals(1, rig.in(0x20) & 1, "a port read alone brings the PIT up to date");
    }

    @Test
    void picOutputWakesTheBootProcessor() {
        rig.initPic(0x08, 0x70, false);
        rig.out(0x21, 0x00);
        int before = rig.wakeups[0].get();
        rig.platform.setGsiLevel(1, true);
        assertTrue(rig.wakeups[0].get() > before);
    }

    @Test
    void emptyLapicPageLeavesTheResetStateAlone() {
        rig.platform.apic(0).loadLapicState(new dev.partita.hv.vp.LapicState(new byte[dev.partita.hv.vp.LapicState.SIZE]));
        assertEquals(0x700, rig.lapicRead(0, 0x350), "LINT0 still ExtINT");
        assertEquals(0x14, rig.lapicRead(0, 0x30) & 0xFF);
    }

    @Test
    void msiReachesItsDestination() {
        rig.enableApic(1);
        rig.platform.signalMsi(0xFEE0_1000L, 0x4A);
        assertEquals(0x4A, rig.take(1));
        rig.platform.signalMsi(0x1234_0000L, 0x4B); // not an interrupt address
        assertEquals(-1, rig.take(1));
    }

    @Test
    void gsiOutsideTheIoApicIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> rig.platform.setGsiLevel(24, true));
        assertThrows(IllegalArgumentException.class, () -> rig.platform.setGsiLevel(-1, true));
    }

    @Test
    void wholePlatformSaveRestore() {
        rig.initPic(0x08, 0x70, false);
        startPit100Hz();
        rig.out(0x21, 0xFE);
        rig.enableApic(1);
        rig.platform.signalMsi(0xFEE0_1000L, 0x4A);
        rig.clock.advance(3_000_000);
        PcPlatform.State s = rig.platform.save();
        PlatformRig other = new PlatformRig(2);
        other.platform.restore(s);
        assertEquals(0x4A, other.take(1));
        assertEquals(rig.platform.pit().count(0), other.platform.pit().count(0));
        other.clock.advance(other.cpu(0).nanosToNextEvent());
        assertEquals(0x08, other.take(0));
        assertThrows(IllegalArgumentException.class, () -> new PlatformRig(1).platform.restore(s));
    }

    @Test
    void apicPageFollowsTheApicBase() {
        assertTrue(rig.dev(0).claimsMmio(0xFEE0_0030L));
        rig.platform.apic(0).apicBaseWritten(0xFED0_0000L | (1 << 11) | (1 << 8));
        assertFalse(rig.dev(0).claimsMmio(0xFEE0_0030L));
        assertEquals(0x14, rig.dev(0).readMmio(0xFED0_0030L, 4) & 0xFF);
        assertEquals(0x14, rig.dev(1).readMmio(0xFEE0_0030L, 4) & 0xFF, "each vCPU has its own page");
    }
}

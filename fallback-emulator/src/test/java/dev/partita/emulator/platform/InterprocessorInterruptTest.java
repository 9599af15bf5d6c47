package dev.partita.emulator.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.partita.hv.vp.MpState;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** IPIs through the ICR between two local APICs: fixed, shorthands, NMI, INIT and startup. */
class InterprocessorInterruptTest {

    private static final int ICR_LOW = 0x300;
    private static final int ICR_HIGH = 0x310;

    private final PlatformRig rig = new PlatformRig(2);

    private void ipi(int from, int destination, int low) {
        rig.lapicWrite(from, ICR_HIGH, destination << 24);
        rig.lapicWrite(from, ICR_LOW, low);
    }

    @Test
    void fixedIpiReachesTheOtherCpu() {
        rig.enableApic(0);
        rig.enableApic(1);
        int before = rig.wakeups[1].get();
        ipi(0, 1, 0x4E);
        assertTrue(rig.wakeups[1].get() > before);
        assertEquals(-1, rig.take(0));
        assertEquals(0x4E, rig.take(1));
        assertEquals(0, rig.lapicRead(0, ICR_LOW) & (1 << 12), "delivery status idle");
    }

    @Test
    void shorthandsSelfAndAllExcludingSelf() {
        rig.enableApic(0);
        rig.enableApic(1);
        ipi(0, 0, 0x41 | (1 << 18)); // self
        assertEquals(0x41, rig.take(0));
        assertEquals(-1, rig.take(1));
        rig.lapicWrite(0, 0xB0, 0);
        ipi(1, 0, 0x52 | (3 << 18)); // all excluding self
        assertEquals(0x52, rig.take(0));
        assertEquals(-1, rig.take(1));
        rig.lapicWrite(0, 0xB0, 0);
        ipi(1, 0, 0x43 | (2 << 18)); // all including self
        assertEquals(0x43, rig.take(0));
        assertEquals(0x43, rig.take(1));
    }

    @Test
    void illegalVectorSetsSendErrorInsteadOfSending() {
        rig.enableApic(0);
        rig.enableApic(1);
        ipi(0, 1, 0x05);
        assertEquals(-1, rig.take(1));
        rig.lapicWrite(0, 0x280, 0);
        assertEquals(1 << 5, rig.lapicRead(0, 0x280), "ESR: send illegal vector");
    }

    @Test
    void softwareDisabledApicDropsFixedButTakesNmi() {
        ipi(0, 1, 0x4E);
        assertEquals(-1, rig.take(1));
        ipi(0, 1, 4 << 8);
        assertTrue(rig.cpu(1).takeNmi());
    }

    @Test
    void initThenStartupStartsTheApplicationProcessor() throws Exception {
        LocalApic ap = rig.platform.apic(1);
        ap.waitForStartup();
        assertEquals(MpState.INIT_RECEIVED, ap.mpState());
        assertEquals(-1, ap.takeStartupVector(), "no startup IPI yet");

        rig.enableApic(1);
        ipi(1, 1, 0x99 | (1 << 18)); // something pending in the AP's IRR before INIT
        ipi(0, 1, (5 << 8) | (1 << 14)); // INIT assert
        ipi(0, 1, (5 << 8) | (1 << 15)); // INIT level de-assert: ignored
        assertTrue(ap.takeInit());
        assertFalse(ap.takeInit(), "INIT is taken once");
        assertEquals(MpState.INIT_RECEIVED, ap.mpState());
        assertEquals(-1, rig.take(1), "INIT cleared the IRR");
        assertEquals(0xFF, rig.lapicRead(1, 0xF0), "INIT software-disables the APIC");

        CountDownLatch woken = new CountDownLatch(1);
        Thread apThread = Thread.ofPlatform().start(() -> {
            while (ap.takeStartupVector() < 0 && !Thread.currentThread().isInterrupted()) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
            woken.countDown();
        });
        ap.setWakeup(() -> java.util.concurrent.locks.LockSupport.unpark(apThread));
        ipi(0, 1, (6 << 8) | 0x9A); // STARTUP, vector 0x9A (start at 9A00:0000)
        assertTrue(woken.await(10, TimeUnit.SECONDS));
        assertEquals(MpState.RUNNABLE, ap.mpState());
        ipi(0, 1, (6 << 8) | 0x9B); // a second SIPI after start is ignored
        assertEquals(-1, ap.takeStartupVector());
    }

    @Test
    void startupVectorDeliveredOnceToWaitingCpu() {
        LocalApic ap = rig.platform.apic(1);
        ipi(0, 1, (5 << 8) | (1 << 14));
        assertTrue(ap.takeInit());
        ipi(0, 1, (6 << 8) | 0x10);
        assertEquals(MpState.SIPI_RECEIVED, ap.mpState());
        assertEquals(0x10, ap.takeStartupVector());
        assertEquals(-1, ap.takeStartupVector());
    }

    @Test
    void initToTheBootProcessorDoesNotWaitForStartup() {
        LocalApic bsp = rig.platform.apic(0);
        ipi(1, 0, (5 << 8) | (1 << 14));
        assertTrue(bsp.takeInit());
        assertEquals(MpState.RUNNABLE, bsp.mpState());
    }

    @Test
    void ipisFromManyThreadsAllArrive() throws Exception {
        PlatformRig big = new PlatformRig(4);
        for (int i = 0; i < 4; i++) {
            big.enableApic(i);
        }
        Thread[] senders = new Thread[3];
        for (int s = 1; s <= 3; s++) {
            int from = s;
            senders[s - 1] = Thread.ofPlatform().start(() -> {
                big.lapicWrite(from, ICR_HIGH, 0);
                big.lapicWrite(from, ICR_LOW, 0x40 + 0x10 * from);
            });
        }
        for (Thread t : senders) {
            t.join();
        }
        int seen = 0;
        int v;
        while ((v = big.take(0)) >= 0) {
            seen |= 1 << ((v - 0x40) / 0x10);
            big.lapicWrite(0, 0xB0, 0);
        }
        assertEquals(0b1110, seen);
    }
}

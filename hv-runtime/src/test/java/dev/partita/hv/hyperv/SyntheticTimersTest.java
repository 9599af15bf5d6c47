package dev.partita.hv.hyperv;

import dev.partita.hv.msr.MsrFault;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.*;

/**
 * STIMER0-3 CONFIG/COUNT with the TLFS's edge cases, on a manual clock and scheduler: one-shot and
 * periodic, direct and message mode, a disabled timer, count 0, expiry in the past, reserved
 * vectors and bits, save/restore.
 */
class SyntheticTimersTest {
    private static final long ENABLE = SyntheticTimer.ENABLE, PERIODIC = SyntheticTimer.PERIODIC,
            AUTO = SyntheticTimer.AUTO_ENABLE, DIRECT = SyntheticTimer.DIRECT_MODE;
    private static final int VECTOR = 0xED;

    /** An expiry as delivered. */
    record Expiry(String mode, int vp, int vectorOrSint, int timer, long expiration) {
    }

    private final ManualTime time = new ManualTime();
    private final ReferenceClock clock = ReferenceClock.fromTsc(time);
    private final List<Expiry> expiries = new CopyOnWriteArrayList<>();
    private final SyntheticTimers timers = new SyntheticTimers(2, clock, new TimerExpiry() {
        @Override
        public void direct(int vp, int vector) {
            expiries.add(new Expiry("direct", vp, vector, -1, -1));
        }

        @Override
        public void message(int vp, int sint, int timer, long expiration, long delivery) {
            expiries.add(new Expiry("message", vp, sint, timer, expiration));
        }
    }, time);

    private static long directConfig(long flags) {
        return flags | DIRECT | (long) VECTOR << SyntheticTimer.VECTOR_SHIFT;
    }

    @Test
    void oneShotDirectModeExpiresAtItsAbsoluteTimeThenDisables() throws Exception {
        timers.write(0, HvMsr.STIMER0_CONFIG, directConfig(ENABLE | AUTO));
        assertEquals(0, timers.read(0, HvMsr.STIMER0_CONFIG) & ENABLE, "enabled with count 0 is disabled");
        long due = clock.now() + 1000;
        timers.write(0, HvMsr.STIMER0_COUNT, due);
        assertEquals(ENABLE, timers.read(0, HvMsr.STIMER0_CONFIG) & ENABLE, "auto-enable on a non-zero count");
        assertEquals(1, time.live().size());
        assertEquals(1000 * 100, time.live().get(0).delayNanos(), "scheduled for the expiry, in host nanoseconds");

        time.advanceUnits(999);
        time.runLive();
        assertTrue(expiries.isEmpty(), "one unit early: nothing yet");
        time.advanceUnits(1);
        time.runLive();
        assertEquals(List.of(new Expiry("direct", 0, VECTOR, -1, -1)), expiries);
        assertEquals(0, timers.read(0, HvMsr.STIMER0_CONFIG) & ENABLE, "a one-shot timer disables itself");
        assertEquals(due, timers.read(0, HvMsr.STIMER0_COUNT), "count keeps its value");
        assertTrue(time.live().isEmpty());
    }

    @Test
    void disabledTimerNeverFires() throws Exception {
        timers.write(1, HvMsr.STIMER0_CONFIG + 2, directConfig(0)); // STIMER1, no enable, no auto-enable
        timers.write(1, HvMsr.STIMER0_COUNT + 2, clock.now() + 10);
        assertEquals(0, timers.read(1, HvMsr.STIMER0_CONFIG + 2) & ENABLE);
        time.advanceUnits(100);
        time.runLive();
        assertTrue(time.tasks.isEmpty(), "nothing was ever scheduled");
        assertTrue(expiries.isEmpty());
    }

    @Test
    void countZeroDisablesAndCancels() throws Exception {
        timers.write(0, HvMsr.STIMER0_CONFIG, directConfig(AUTO));
        timers.write(0, HvMsr.STIMER0_COUNT, clock.now() + 50);
        assertEquals(1, time.live().size());
        timers.write(0, HvMsr.STIMER0_COUNT, 0);
        assertEquals(0, timers.read(0, HvMsr.STIMER0_CONFIG) & ENABLE, "count 0 clears enable");
        assertTrue(time.live().isEmpty(), "the pending expiry was cancelled");
        time.advanceUnits(100);
        time.tasks.get(0).task().run(); // even a stale task that ran anyway does nothing
        assertTrue(expiries.isEmpty());
    }

    @Test
    void oneShotWithAPastExpiryFiresAtOnce() throws Exception {
        time.advanceUnits(10_000);
        timers.write(0, HvMsr.STIMER0_CONFIG, directConfig(AUTO));
        timers.write(0, HvMsr.STIMER0_COUNT, clock.now() - 5000);
        assertEquals(0, time.live().get(0).delayNanos(), "no delay");
        time.runLive();
        assertEquals(1, expiries.size());
    }

    @Test
    void periodicWithPastExpiriesFiresOnceAndKeepsItsGrid() throws Exception {
        timers.write(0, HvMsr.STIMER0_COUNT + 4, 100); // STIMER2 period 100 units, not yet enabled
        long start = clock.now();
        timers.write(0, HvMsr.STIMER0_CONFIG + 4, directConfig(ENABLE | PERIODIC));
        assertEquals(start + 100, timers.timer(0, 2).deadline(), "first expiry one period after enabling");
        time.advanceUnits(350); // the host was late by two and a half periods
        time.runLive();
        assertEquals(1, expiries.size(), "missed periods are not replayed");
        assertEquals(start + 400, timers.timer(0, 2).deadline(), "the next expiry stays on the grid");
        assertEquals(ENABLE, timers.read(0, HvMsr.STIMER0_CONFIG + 4) & ENABLE, "periodic timers stay enabled");
        time.advanceUnits(50);
        time.runLive();
        assertEquals(2, expiries.size());
        assertEquals(start + 500, timers.timer(0, 2).deadline());
    }

    @Test
    void messageModePostsTimerExpiredOnTheSint() throws Exception {
        try (SynicFixture f = new SynicFixture(1)) {
            long simp = 0x10000;
            f.enable(0, simp, 0x11000, 3, 0x40);
            SyntheticTimers real = new SyntheticTimers(1, clock, TimerExpiry.through(f.synic, (vp, v) -> f.raised.add(new SynicFixture.Raised(vp, v))), time);
            long due = clock.now() + 20;
            real.write(0, HvMsr.STIMER0_CONFIG + 6, ENABLE | 3L << SyntheticTimer.SINT_SHIFT); // STIMER3 on SINT3, enable first
            assertEquals(0, real.read(0, HvMsr.STIMER0_CONFIG + 6) & ENABLE, "count 0: still disabled");
            real.write(0, HvMsr.STIMER0_CONFIG + 6, AUTO | 3L << SyntheticTimer.SINT_SHIFT);
            real.write(0, HvMsr.STIMER3_COUNT, due);
            time.advanceUnits(25);
            time.runLive();
            long slot = simp + 3 * MessagePage.SLOT_SIZE;
            assertEquals(TimerExpiry.HVMSG_TIMER_EXPIRED, (int) f.memory.readU32(slot), "HVMSG_TIMER_EXPIRED");
            assertEquals(24, f.memory.readU8(slot + MessagePage.OFFSET_PAYLOAD_SIZE));
            ByteBuffer p = ByteBuffer.wrap(f.memory.read(slot + MessagePage.OFFSET_PAYLOAD, 24)).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(3, p.getInt(0), "timer index");
            assertEquals(due, p.getLong(8), "expiration time");
            assertEquals(due + 5, p.getLong(16), "delivery time");
            assertEquals(List.of(new SynicFixture.Raised(0, 0x40)), f.raised);
        }
    }

    @Test
    void countsBeyond2To63AreFarFutureNotPast() throws Exception {
        timers.write(0, HvMsr.STIMER0_CONFIG, directConfig(AUTO));
        timers.write(0, HvMsr.STIMER0_COUNT, -5); // 2^64 - 5 as an unsigned absolute time
        assertEquals(Long.MAX_VALUE, timers.timer(0, 0).deadline());
        timers.write(0, HvMsr.STIMER0_CONFIG + 2, directConfig(PERIODIC));
        timers.write(0, HvMsr.STIMER0_COUNT + 2, Long.MIN_VALUE); // period 2^63
        timers.write(0, HvMsr.STIMER0_CONFIG + 2, directConfig(ENABLE | PERIODIC));
        assertEquals(Long.MAX_VALUE, timers.timer(0, 1).deadline(), "now + a huge period saturates");
        time.advanceUnits(1_000_000);
        time.runLive();
        assertTrue(expiries.isEmpty(), "neither fires");
    }

    @Test
    void reservedVectorsAndBitsAreRefusedOrDropped() throws Exception {
        assertThrows(MsrFault.class, () -> timers.write(0, HvMsr.STIMER0_CONFIG, ENABLE | DIRECT | 15L << SyntheticTimer.VECTOR_SHIFT));
        timers.write(0, HvMsr.STIMER0_CONFIG, AUTO | DIRECT | 15L << SyntheticTimer.VECTOR_SHIFT);
        assertThrows(MsrFault.class, () -> timers.write(0, HvMsr.STIMER0_COUNT, clock.now() + 10), "auto-enable with a reserved vector");
        timers.write(0, HvMsr.STIMER0_CONFIG, 0xFFFF_FFFF_FFFF_FFF0L & ~DIRECT | 0x7L << 13 | 1L << 20);
        assertEquals(0, timers.read(0, HvMsr.STIMER0_CONFIG) & (0x7L << 13 | ~0xF_FFFFL), "reserved bits read as zero");
        assertThrows(MsrFault.class, () -> timers.read(2, HvMsr.STIMER0_CONFIG), "unknown vCPU");
        assertTrue(timers.claims(HvMsr.STIMER0_CONFIG) && timers.claims(HvMsr.STIMER3_COUNT));
        assertFalse(timers.claims(HvMsr.STIMER0_CONFIG - 1) || timers.claims(HvMsr.STIMER3_COUNT + 1));
    }

    @Test
    void restoredTimerContinuesTowardsItsSavedDeadline() throws Exception {
        timers.write(1, HvMsr.STIMER0_CONFIG, directConfig(AUTO));
        long due = clock.now() + 300;
        timers.write(1, HvMsr.STIMER0_COUNT, due);
        List<TimerSnapshot> saved = timers.save(1);
        timers.close();
        assertTrue(time.live().isEmpty(), "close cancels");

        SyntheticTimers other = new SyntheticTimers(2, clock, (TimerExpiry) new TimerExpiry() {
            @Override
            public void direct(int vp, int vector) {
                expiries.add(new Expiry("restored", vp, vector, -1, -1));
            }

            @Override
            public void message(int vp, int sint, int timer, long expiration, long delivery) {
                fail("direct mode");
            }
        }, time);
        other.restore(1, saved);
        assertEquals(due, other.timer(1, 0).deadline());
        time.advanceUnits(300);
        time.runLive();
        assertEquals(List.of(new Expiry("restored", 1, VECTOR, -1, -1)), expiries);
    }
}

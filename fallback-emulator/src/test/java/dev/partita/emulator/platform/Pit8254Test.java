package dev.partita.emulator.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The 8254 on a manual clock: counts, periods, latches, read-back and channel 2 through port 0x61. */
class Pit8254Test {

    private final ManualClock clock = new ManualClock(5_000_000_000L);
    private final List<Long> edges = new ArrayList<>();
    private boolean level;
    private final Pit8254 pit = new Pit8254(clock, l -> {
        if (l && !level) {
            edges.add(clock.nanoTime());
        }
        level = l;
    });

    /** Nanoseconds of {@code ticks} 1.193182 MHz ticks. */
    private static long nanos(long ticks) {
        return TickMath.nanosFor(ticks, PitChannel.HZ);
    }

    private void program(int channel, int mode, int count) {
        pit.write(0x43, (channel << 6) | 0x30 | (mode << 1));
        pit.write(0x40 + channel, count & 0xFF);
        pit.write(0x40 + channel, count >>> 8);
    }

    private int latchedCount(int channel) {
        pit.write(0x43, channel << 6);
        int lo = pit.read(0x40 + channel);
        return lo | pit.read(0x40 + channel) << 8;
    }

    @Test
    void mode2RateGeneratorInterruptsOncePerPeriod() {
        program(0, 2, 11932); // 100 Hz
        assertEquals(11932, latchedCount(0));
        clock.advance(nanos(1000));
        assertEquals(11932 - 1000, latchedCount(0));
        long period = nanos(11932);
        assertEquals(period - nanos(1000), pit.nanosToNextEvent());
        for (int i = 1; i <= 5; i++) {
            clock.advance(pit.nanosToNextEvent());
            pit.poll();
            assertEquals(i, edges.size(), "one IRQ0 edge at the end of period " + i);
            pit.poll();
            assertEquals(i, edges.size(), "no second edge in the same period");
        }
        // The count reloads: right after the 5th period it is back near the top.
        clock.advance(nanos(10));
        assertEquals(11932 - 10, latchedCount(0), 1);
    }

    @Test
    void mode3SquareWaveHasPeriodAndHalfDutyOutput() {
        program(0, 3, 1000);
        assertTrue(pit.output(0));
        clock.advance(nanos(400));
        assertTrue(pit.output(0), "high in the first half");
        clock.advance(nanos(200));
        assertFalse(pit.output(0), "low in the second half");
        assertEquals(1000 - (2 * 600) % 1000, pit.count(0), "mode 3 counts down by two");
        clock.advance(nanos(400) + 1);
        pit.poll();
        assertEquals(1, edges.size());
        clock.advance(nanos(1000) * 3);
        pit.poll();
        assertEquals(2, edges.size(), "missed periods coalesce into one edge");
        long next = pit.nanosToNextEvent();
        assertTrue(next > 0 && next <= nanos(1000));
    }

    @Test
    void latchFreezesValueUntilRead() {
        program(0, 2, 0); // 0 = 65536
        clock.advance(nanos(100));
        pit.write(0x43, 0x00);
        clock.advance(nanos(5000));
        int lo = pit.read(0x40);
        int hi = pit.read(0x40);
        assertEquals((65536 - 100) & 0xFFFF, lo | hi << 8);
        int unlatched = pit.read(0x40) | pit.read(0x40) << 8;
        assertEquals(65536 - 5100, unlatched);
    }

    @Test
    void readBackStatusAndLsbOnlyAccess() {
        pit.write(0x43, 0x80 | 0x10 | (2 << 1)); // channel 2, LSB only, mode 2
        pit.write(0x61, 0x01); // gate 2 high
        pit.write(0x42, 50);
        pit.write(0x43, 0xC0 | 0x20 | (1 << 3)); // read-back status of channel 2 only (count not latched)
        int status = pit.read(0x42);
        assertEquals(0x10 | (2 << 1), status & 0x3F, "access LSB, mode 2, binary");
        assertEquals(50, pit.read(0x42));
    }

    @Test
    void channel2GateAndOutputThroughPort61ForTscCalibration() {
        pit.write(0x61, 0x00); // gate low
        pit.write(0x43, 0xB0); // channel 2, word, mode 0
        pit.write(0x42, 0xFF);
        pit.write(0x42, 0xFF);
        clock.advance(nanos(70000));
        assertEquals(0, pit.read(0x61) & 0x20, "gate low: counting paused, OUT low");
        assertEquals(0xFFFF, latchedCount(2));
        pit.write(0x61, 0x01); // gate high: counting starts
        assertEquals(0x01, pit.read(0x61) & 0x03);
        clock.advance(nanos(0x8000));
        assertEquals(0xFFFF - 0x8000, latchedCount(2));
        assertEquals(0, pit.read(0x61) & 0x20);
        clock.advance(nanos(0x8000));
        assertEquals(0x20, pit.read(0x61) & 0x20, "terminal count: OUT2 high");
        assertTrue(edges.isEmpty(), "channel 2 does not drive IRQ0");
    }

    @Test
    void mode0InterruptsOnceAtTerminalCount() {
        program(0, 0, 100);
        assertFalse(pit.output(0));
        clock.advance(nanos(99));
        pit.poll();
        assertTrue(edges.isEmpty());
        clock.advance(nanos(1));
        pit.poll();
        assertEquals(1, edges.size());
        assertEquals(Long.MAX_VALUE, pit.nanosToNextEvent());
        clock.advance(nanos(100000));
        pit.poll();
        assertEquals(1, edges.size());
    }

    @Test
    void bcdCounting() {
        pit.write(0x43, 0x30 | (2 << 1) | 1); // channel 0, word, mode 2, BCD
        pit.write(0x40, 0x00);
        pit.write(0x40, 0x10); // 1000 decimal
        clock.advance(nanos(1));
        assertEquals(0x0999, latchedCount(0));
        clock.advance(nanos(998));
        assertEquals(0x0001, latchedCount(0));
    }

    @Test
    void saveRestoreContinuesCounting() {
        program(0, 2, 5000);
        clock.advance(nanos(1234));
        Pit8254.State s = pit.save();
        ManualClock other = new ManualClock(-777);
        Pit8254 copy = new Pit8254(other, l -> { });
        copy.restore(s);
        assertEquals(pit.count(0), copy.count(0));
        other.advance(nanos(100));
        assertEquals(5000 - 1334, copy.count(0), 1);
    }
}

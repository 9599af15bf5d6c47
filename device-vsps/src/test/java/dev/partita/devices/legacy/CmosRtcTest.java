package dev.partita.devices.legacy;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.*;

class CmosRtcTest {
    // 2026-11-21 22:07:09 UTC, a Saturday
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-21T22:07:09Z"), ZoneOffset.UTC);
    private final CmosRtc rtc = new CmosRtc(clock);

    private int reg(int r) {
        rtc.write(0, 1, r);
        return rtc.read(1, 1);
    }

    private void set(int r, int v) {
        rtc.write(0, 1, r);
        rtc.write(1, 1, v);
    }

    @Test
    void readsHostTimeInBcd() {
        assertEquals(0x09, reg(0x00));
        assertEquals(0x07, reg(0x02));
        assertEquals(0x22, reg(0x04));
        assertEquals(0x07, reg(0x06), "Saturday = 7");
        assertEquals(0x21, reg(0x07));
        assertEquals(0x11, reg(0x08));
        assertEquals(0x26, reg(0x09));
        assertEquals(0x20, reg(0x32), "century");
        assertEquals(0x80, reg(0x0D), "valid RAM and time");
        assertEquals(0, reg(0x0A) & 0x80, "no update in progress");
    }

    @Test
    void binaryAnd12HourModesFollowRegisterB() {
        set(0x0B, 0x04); // binary, 12-hour
        assertEquals(22 - 12 | 0x80, reg(0x04), "10 PM");
        assertEquals(21, reg(0x07));
        set(0x0B, 0x06);
        assertEquals(22, reg(0x04));
    }

    @Test
    void guestSetsTheClockWithTheSetBit() {
        set(0x0B, 0x82); // SET, BCD, 24 h
        set(0x09, 0x30);
        set(0x04, 0x01);
        set(0x0B, 0x02);
        assertEquals(0x30, reg(0x09));
        assertEquals(0x01, reg(0x04));
        assertEquals(0x07, reg(0x02), "untouched fields keep running from the host clock");
    }

    @Test
    void nmiMaskBitAndRamBytes() {
        rtc.write(0, 1, 0x80 | 0x40);
        assertTrue(rtc.nmiDisabled());
        rtc.write(1, 1, 0x99);
        rtc.write(0, 1, 0x40);
        assertFalse(rtc.nmiDisabled());
        assertEquals(0x99, rtc.read(1, 1));
    }
}

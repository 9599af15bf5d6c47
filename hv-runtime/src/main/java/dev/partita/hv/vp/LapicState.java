package dev.partita.hv.vp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The local APIC's registers as the 1 KiB xAPIC register page (register at MMIO offset
 * {@code o} is the 32-bit little-endian word at {@code o}, for offsets 0-0x3F0). The APIC ID
 * is in bits 31:24 of offset 0x20 (xAPIC format) regardless of x2APIC mode. Immutable.
 */
public record LapicState(byte[] page) {
    public static final int SIZE = 1024;
    public static final int ID = 0x20;
    public static final int VERSION = 0x30;
    public static final int TPR = 0x80;
    public static final int SVR = 0xF0;
    public static final int ISR0 = 0x100;
    public static final int IRR0 = 0x200;
    public static final int LVT_TIMER = 0x320;
    public static final int TIMER_INITIAL_COUNT = 0x380;
    public static final int TIMER_DIVIDE = 0x3E0;

    public LapicState {
        if (page.length != SIZE) {
            throw new IllegalArgumentException("LAPIC register page must be " + SIZE + " bytes, got " + page.length);
        }
        page = page.clone();
    }

    @Override
    public byte[] page() {
        return page.clone();
    }

    /** The 32-bit register at {@code offset} (a multiple of 16 below 0x400). */
    public int register(int offset) {
        if ((offset & 0xF) != 0 || offset < 0 || offset >= SIZE) {
            throw new IllegalArgumentException("bad LAPIC register offset 0x" + Integer.toHexString(offset));
        }
        return ByteBuffer.wrap(page).order(ByteOrder.LITTLE_ENDIAN).getInt(offset);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LapicState l && Arrays.equals(page, l.page);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(page);
    }

    @Override
    public String toString() {
        return "LapicState[id=0x" + Integer.toHexString(register(ID) >>> 24) + "]";
    }
}

package dev.partita.emulator.platform;

/**
 * Local APIC register offsets in the xAPIC MMIO page (the x2APIC MSR of the register at offset
 * {@code o} is {@code 0x800 + o / 16}). Names follow Intel SDM vol. 3 table 11-1.
 */
final class LapicRegister {

    static final int ID = 0x020;
    static final int VERSION = 0x030;
    static final int TPR = 0x080;
    static final int APR = 0x090;
    static final int PPR = 0x0A0;
    static final int EOI = 0x0B0;
    static final int RRD = 0x0C0;
    static final int LDR = 0x0D0;
    static final int DFR = 0x0E0;
    static final int SVR = 0x0F0;
    static final int ISR0 = 0x100;
    static final int TMR0 = 0x180;
    static final int IRR0 = 0x200;
    static final int ESR = 0x280;
    static final int LVT_CMCI = 0x2F0;
    static final int ICR_LOW = 0x300;
    static final int ICR_HIGH = 0x310;
    static final int LVT_TIMER = 0x320;
    static final int LVT_THERMAL = 0x330;
    static final int LVT_PERF = 0x340;
    static final int LVT_LINT0 = 0x350;
    static final int LVT_LINT1 = 0x360;
    static final int LVT_ERROR = 0x370;
    static final int TIMER_INITIAL = 0x380;
    static final int TIMER_CURRENT = 0x390;
    static final int TIMER_DIVIDE = 0x3E0;
    static final int SELF_IPI = 0x3F0;      // x2APIC only

    /** MSR numbers outside the register-page mapping. */
    static final int MSR_X2APIC_FIRST = 0x800;
    static final int MSR_X2APIC_LAST = 0x8FF;
    static final int MSR_TSC_DEADLINE = 0x6E0;     // IA32_TSC_DEADLINE

    /** LVT bits. */
    static final int LVT_MASKED = 1 << 16;
    static final int LVT_LEVEL = 1 << 15;

    /** The version register: version 0x14 (integrated APIC), bits 23:16 = number of LVT entries - 1 (six). */
    static final int VERSION_VALUE = 0x14 | (5 << 16);

    /** Index of each LVT register in {@link LocalApic}'s table. */
    static final int LVT_COUNT = 6;

    private LapicRegister() {
    }

    /** The LVT slot of register {@code offset} (0x320-0x370), or -1. */
    static int lvtSlot(int offset) {
        return offset >= LVT_TIMER && offset <= LVT_ERROR ? (offset - LVT_TIMER) >>> 4 : -1;
    }

    /** Writable bits of each LVT slot (timer, thermal, performance, LINT0, LINT1, error). */
    static int lvtWritable(int slot, boolean tscDeadline) {
        return switch (slot) {
            case 0 -> 0x300FF | (tscDeadline ? 0x40000 : 0) | LVT_MASKED;
            case 1, 2 -> 0x107FF;
            case 3, 4 -> 0x1A7FF;
            default -> 0x100FF;
        };
    }
}

package dev.partita.emulator.platform;

/**
 * Interrupt message fields shared by the local APIC's ICR and LVTs, the I/O APIC's redirection
 * entries and MSIs (Intel SDM vol. 3, 11.6.1 and 11.11).
 */
final class ApicDelivery {

    static final int FIXED = 0;
    static final int LOWEST_PRIORITY = 1;
    static final int SMI = 2;
    static final int NMI = 4;
    static final int INIT = 5;
    static final int STARTUP = 6;
    static final int EXTINT = 7;

    /** ICR destination shorthands (bits 19:18). */
    static final int NO_SHORTHAND = 0;
    static final int SELF = 1;
    static final int ALL_INCLUDING_SELF = 2;
    static final int ALL_EXCLUDING_SELF = 3;

    private ApicDelivery() {
    }

    /** A message on the APIC bus: who receives it ({@code logical}, {@code destination}) and what. */
    record Message(int mode, int vector, boolean logical, int destination, boolean levelTriggered) {
    }
}

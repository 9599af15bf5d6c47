package dev.partita.emulator.platform;

/**
 * What a {@link LocalApic} needs from the rest of its partition's platform. Implemented by
 * {@link PcPlatform}. A local APIC never holds its own lock while calling these (they take the
 * platform's device lock, which is ordered before every local APIC's lock).
 */
interface ApicHost {

    /** Whether the 8259's INT output is high. Any thread, no lock. */
    boolean picOutput();

    /** The 8259 INTA cycle: the vector to deliver. */
    int acknowledgePic();

    /** Delivers partition-wide timer events (the PIT) whose time has come. */
    void pollSharedTimers();

    /** Nanoseconds until the next partition-wide timer event, or {@link Long#MAX_VALUE}. */
    long nanosToSharedEvent();

    /** A level-triggered vector was EOI'd: the I/O APIC clears its remote IRR for it. */
    void broadcastEoi(int vector);

    /** Sends an interprocessor interrupt from {@code source}. */
    void sendIpi(LocalApic source, ApicDelivery.Message message, int shorthand);
}

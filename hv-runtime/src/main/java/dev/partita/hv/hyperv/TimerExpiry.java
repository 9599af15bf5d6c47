package dev.partita.hv.hyperv;

/**
 * Where a synthetic timer's expiry goes: straight to the processor's local APIC (direct mode) or
 * as an HVMSG_TIMER_EXPIRED message on a SINT (message mode).
 *
 * <p>Called on the timer thread, never while a timer's lock is held.
 */
interface TimerExpiry {
    /** Message type of a timer expiry (HVMSG_TIMER_EXPIRED). */
    int HVMSG_TIMER_EXPIRED = 0x8000_0010;

    /** Raises {@code vector} on processor {@code vp}. */
    void direct(int vp, int vector);

    /**
     * Posts the expiry message of timer {@code timer} to SINT {@code sint} of processor {@code vp}:
     * payload timer index u32 @0, reserved u32 @4, expiration time u64 @8, delivery time u64 @16.
     */
    void message(int vp, int sint, int timer, long expiration, long delivery);

    /** Expiry through a partition's SynIC and interrupt sink. */
    static TimerExpiry through(SynicDelivery synic, InterruptSink interrupts) {
        return new TimerExpiry() {
            @Override
            public void direct(int vp, int vector) {
                interrupts.raise(vp, vector);
            }

            @Override
            public void message(int vp, int sint, int timer, long expiration, long delivery) {
                byte[] payload = new byte[24];
                java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(payload).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                b.putInt(0, timer).putLong(8, expiration).putLong(16, delivery);
                synic.postMessage(vp, sint, HVMSG_TIMER_EXPIRED, payload);
            }
        };
    }
}

package dev.partita.emulator.platform;

/**
 * The virtual time base of one partition's platform devices (PIT, local APIC timers): a monotonic
 * nanosecond counter. Every device of a partition shares one clock, so their timers agree. Timers
 * never run threads of their own: devices compare their deadlines with {@link #nanoTime()} when a
 * vCPU checks for interrupts or touches a device, and report the next deadline so a halted vCPU
 * can bound its wait.
 *
 * <p>Threading: implementations are safe to call from any thread.
 */
public interface PlatformClock {

    /** The host clock ({@link System#nanoTime()}), for real runs. */
    PlatformClock SYSTEM = System::nanoTime;

    /** The current time in nanoseconds (arbitrary origin, monotonic, may be negative). */
    long nanoTime();
}

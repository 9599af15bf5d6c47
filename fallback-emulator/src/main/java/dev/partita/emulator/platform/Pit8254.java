package dev.partita.emulator.platform;

/**
 * The 8254 programmable interval timer at ports 0x40-0x43 plus the bits of system control port B
 * (0x61) that belong to it: channel 0 drives ISA IRQ0 (an edge per period in modes 2 and 3, one at
 * terminal count otherwise); channel 1 (DRAM refresh) only counts; channel 2's gate is port 0x61
 * bit 0 and its output is bit 5 (what Linux's TSC calibration polls). Port 0x61 bit 4 is the
 * refresh toggle (flips every 15.085 µs). Supports the counter latch command, read-back (0xC0-0xFF
 * control words), LSB/MSB/word access and BCD counting.
 *
 * <p>Nothing runs in the background: {@link #poll} compares channel 0's next event with the clock
 * (the platform calls it at every interrupt check and device access) and raises IRQ0 as one
 * edge (several periods missed between polls coalesce into one interrupt, as lost ticks do on real
 * hardware); {@link #nanosToNextEvent} bounds a halted vCPU's wait.
 *
 * <p>Threading: not thread-safe; the platform serializes every call under its device lock.
 */
public final class Pit8254 {

    /** Saved state for checkpoints. */
    public record State(PitChannel.State channel0, PitChannel.State channel1, PitChannel.State channel2,
                        int portB, long sincePollNanos) {
    }

    public static final int CHANNEL0 = 0x40;
    public static final int CONTROL = 0x43;
    public static final int PORT_B = 0x61;   // system control port B

    private static final long REFRESH_TOGGLE_NANOS = 15_085;

    private final PlatformClock clock;
    private final IrqLine irq0;
    private final PitChannel[] channels = {new PitChannel(true), new PitChannel(true), new PitChannel(false)};
    /** Port 0x61 bits kept as written (bits 0-3). */
    private int portB;
    /** Clock time up to which channel 0's events have been delivered. */
    private long polledUpTo;

    /** An interrupt input the PIT drives (ISA IRQ0 through the platform's router). */
    @FunctionalInterface
    public interface IrqLine {
        void set(boolean level);
    }

    public Pit8254(PlatformClock clock, IrqLine irq0) {
        this.clock = clock;
        this.irq0 = irq0;
        this.polledUpTo = clock.nanoTime();
    }

    /** Whether this object decodes {@code port}. */
    public static boolean claims(int port) {
        return (port >= CHANNEL0 && port <= CONTROL) || port == PORT_B;
    }

    /** Raises IRQ0 (one edge) when channel 0 had an output event since the last poll. */
    public void poll() {
        long now = clock.nanoTime();
        if (now <= polledUpTo) {
            return;
        }
        long events = channels[0].eventsBetween(polledUpTo, now);
        polledUpTo = now;
        if (events > 0) {
            irq0.set(true);
            irq0.set(false);
        }
    }

    /** Nanoseconds until channel 0's next interrupt, or {@link Long#MAX_VALUE}. */
    public long nanosToNextEvent() {
        long now = clock.nanoTime();
        long next = channels[0].nextEventAfter(now);
        return next == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(0, next - now);
    }

    /** Byte read from a claimed port. */
    public int read(int port) {
        long now = clock.nanoTime();
        if (port == PORT_B) {
            PitChannel c2 = channels[2];
            int refresh = (int) (Math.floorDiv(now, REFRESH_TOGGLE_NANOS) & 1) << 4;
            return (portB & 0x0F) | refresh | (c2.output(now) ? 0x20 : 0);
        }
        if (port == CONTROL) {
            return 0xFF; // the control register is write-only
        }
        return channels[port - CHANNEL0].read(now);
    }

    /** Byte write to a claimed port. */
    public void write(int port, int value) {
        value &= 0xFF;
        long now = clock.nanoTime();
        if (port == PORT_B) {
            portB = value & 0x0F;
            channels[2].setGate((value & 1) != 0, now);
            return;
        }
        if (port != CONTROL) {
            int ch = port - CHANNEL0;
            if (ch == 0) {
                poll();
            }
            channels[ch].writeCount(value, now);
            if (ch == 0) {
                polledUpTo = now;
            }
            return;
        }
        int select = value >>> 6;
        int access = (value >>> 4) & 3;
        if (select == 3) {
            readBack(value, now);
            return;
        }
        if (access == 0) {
            channels[select].latchCount(now);
        } else {
            if (select == 0) {
                poll();
                polledUpTo = now;
            }
            channels[select].control(access, (value >>> 1) & 7, (value & 1) != 0);
        }
    }

    /** Read-back command: bit 5 clear = latch counts, bit 4 clear = latch status, bits 1-3 select channels. */
    private void readBack(int value, long now) {
        for (int ch = 0; ch < 3; ch++) {
            if ((value & (2 << ch)) == 0) {
                continue;
            }
            if ((value & 0x20) == 0) {
                channels[ch].latchCount(now);
            }
            if ((value & 0x10) == 0) {
                channels[ch].latchStatus(now);
            }
        }
    }

    /** Channel {@code ch}'s current count (diagnostics, tests). */
    public int count(int ch) {
        return channels[ch].count(clock.nanoTime());
    }

    /** Channel {@code ch}'s output pin now (diagnostics, tests). */
    public boolean output(int ch) {
        return channels[ch].output(clock.nanoTime());
    }

    public State save() {
        long now = clock.nanoTime();
        return new State(channels[0].save(now), channels[1].save(now), channels[2].save(now), portB,
                Math.max(0, now - polledUpTo));
    }

    public void restore(State s) {
        long now = clock.nanoTime();
        channels[0].restore(s.channel0(), now);
        channels[1].restore(s.channel1(), now);
        channels[2].restore(s.channel2(), now);
        portB = s.portB() & 0x0F;
        polledUpTo = now - Math.max(0, s.sincePollNanos());
    }
}

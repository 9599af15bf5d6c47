package dev.partita.emulator.platform;

/**
 * The I/O APIC at 0xFEC00000: IOREGSEL (+0x00) and IOWIN (+0x10); registers ID (0), version (1:
 * 0x11, 24 redirection entries), arbitration ID (2) and the redirection table (0x10 + 2n low half,
 * 0x11 + 2n high half). Each of the 24 pins is edge- or level-triggered per its entry; level
 * interrupts set remote IRR until the local APIC's EOI for the vector comes back
 * ({@link #endOfInterrupt}), and re-fire while the pin is still asserted. Masking, physical and
 * logical destinations, fixed, lowest-priority, NMI, INIT and ExtINT delivery go through
 * {@link ApicBus}.
 *
 * <p>Pins are driven by logical levels (true = asserted); the polarity bit is stored for the guest
 * but does not invert the input (devices of this platform report assertion, not wire voltage).
 *
 * <p>Threading: not thread-safe; the platform serializes every call under its device lock.
 */
public final class IoApic {

    /** Saved state for checkpoints. */
    public record State(int id, int select, long[] entries, int pinLevels) {
    }

    public static final long BASE = 0xFEC0_0000L;
    public static final int SIZE = 0x1000;
    public static final int PINS = 24;
    static final int VERSION = 0x11 | ((PINS - 1) << 16);

    private static final int REGSEL = 0x00;
    private static final int WINDOW = 0x10;
    private static final long MASKED = 1L << 16;
    private static final long LEVEL = 1L << 15;
    private static final long REMOTE_IRR = 1L << 14;
    private static final long DELIVERY_STATUS = 1L << 12;
    /** Bits the guest may write: vector, delivery mode, destination mode, polarity, trigger, mask, destination. */
    private static final long WRITABLE = 0xFF00_0000_0001_AFFFL;

    private final ApicBus bus;
    private int id;
    private int select;
    private final long[] entries = new long[PINS];
    private int pinLevels;

    public IoApic(ApicBus bus) {
        this.bus = bus;
        for (int i = 0; i < PINS; i++) {
            entries[i] = MASKED;
        }
    }

    /** Drives pin {@code pin} (0-23) to {@code level}. */
    public void setPin(int pin, boolean level) {
        if (pin < 0 || pin >= PINS) {
            throw new IllegalArgumentException("I/O APIC: pin " + pin + " outside 0.." + (PINS - 1));
        }
        int mask = 1 << pin;
        boolean was = (pinLevels & mask) != 0;
        pinLevels = level ? pinLevels | mask : pinLevels & ~mask;
        long e = entries[pin];
        if ((e & LEVEL) != 0) {
            if (level) {
                service(pin);
            }
        } else if (level && !was) {
            service(pin);
        }
    }

    /** Delivers pin {@code pin}'s interrupt if its entry allows it now. */
    private void service(int pin) {
        long e = entries[pin];
        if ((e & MASKED) != 0) {
            return;
        }
        boolean level = (e & LEVEL) != 0;
        if (level && (e & REMOTE_IRR) != 0) {
            return;
        }
        int mode = (int) (e >>> 8) & 7;
        boolean delivered = bus.deliver(new ApicDelivery.Message(mode, (int) e & 0xFF, (e & (1L << 11)) != 0,
                (int) (e >>> 56) & 0xFF, level));
        if (level && delivered && mode != ApicDelivery.NMI && mode != ApicDelivery.INIT
                && mode != ApicDelivery.EXTINT) {
            entries[pin] |= REMOTE_IRR;
        }
    }

    /** A local APIC's EOI of level-triggered {@code vector}: clears remote IRR and re-fires still-asserted pins. */
    public void endOfInterrupt(int vector) {
        for (int pin = 0; pin < PINS; pin++) {
            long e = entries[pin];
            if ((e & 0xFF) == vector && (e & REMOTE_IRR) != 0) {
                entries[pin] = e & ~REMOTE_IRR;
                if ((pinLevels & (1 << pin)) != 0) {
                    service(pin);
                }
            }
        }
    }

    /** MMIO read at page offset {@code offset}. */
    public long read(int offset, int size) {
        int reg = offset & ~3;
        long v = switch (reg) {
            case REGSEL -> select;
            case WINDOW -> readRegister(select) & 0xFFFF_FFFFL;
            default -> 0;
        };
        v >>>= (offset & 3) * 8;
        return size >= 4 ? v : v & ((1L << (size * 8)) - 1);
    }

    /** MMIO write at page offset {@code offset}. */
    public void write(int offset, int size, long value) {
        switch (offset) {
            case REGSEL -> select = (int) value & 0xFF;
            case WINDOW -> {
                if (size >= 4) {
                    writeRegister(select, (int) value);
                }
            }
            default -> {
                // other offsets (the EOI register exists only from version 0x20)
            }
        }
    }

    private int readRegister(int index) {
        if (index == 0) {
            return id << 24;
        }
        if (index == 1) {
            return VERSION;
        }
        if (index == 2) {
            return id << 24;
        }
        int pin = (index - 0x10) >>> 1;
        if (index < 0x10 || pin >= PINS) {
            return 0;
        }
        long e = entries[pin];
        return (index & 1) == 0 ? (int) e : (int) (e >>> 32);
    }

    private void writeRegister(int index, int value) {
        if (index == 0) {
            id = (value >>> 24) & 0xF;
            return;
        }
        int pin = (index - 0x10) >>> 1;
        if (index < 0x10 || pin >= PINS) {
            return; // version, arbitration and reserved registers are read-only
        }
        long e = entries[pin];
        long w = (index & 1) == 0
                ? (e & 0xFFFF_FFFF_0000_0000L) | (value & 0xFFFF_FFFFL)
                : (e & 0xFFFF_FFFFL) | ((long) value << 32);
        long updated = (w & WRITABLE) | (e & REMOTE_IRR);
        if ((updated & LEVEL) == 0) {
            updated &= ~REMOTE_IRR; // an edge entry has no remote IRR
        }
        entries[pin] = updated & ~DELIVERY_STATUS;
        if ((updated & MASKED) == 0 && (updated & LEVEL) != 0 && (pinLevels & (1 << pin)) != 0) {
            service(pin);
        }
    }

    /** Redirection entry {@code pin} (tests, diagnostics). */
    public long entry(int pin) {
        return entries[pin];
    }

    public State save() {
        return new State(id, select, entries.clone(), pinLevels);
    }

    public void restore(State s) {
        if (s.entries().length != PINS) {
            throw new IllegalArgumentException("I/O APIC restore: " + s.entries().length + " entries, expected " + PINS);
        }
        id = s.id() & 0xF;
        select = s.select() & 0xFF;
        System.arraycopy(s.entries(), 0, entries, 0, PINS);
        pinLevels = s.pinLevels() & ((1 << PINS) - 1);
    }
}

package dev.partita.devices.legacy;

import dev.partita.hv.bus.PortIoDevice;
import dev.partita.hv.state.Saveable;
import dev.partita.hv.state.SectionReader;
import dev.partita.hv.state.SectionWriter;
import dev.partita.hv.state.StateFileException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The MC146818-style CMOS RTC and its 128 bytes of CMOS RAM: index port 0x70 (bit 7 = NMI disable,
 * kept as the NMI mask), data port 0x71. Time and date registers (0-9, century at 0x32) read the
 * host clock (UTC) plus an offset the guest sets by writing them with register B's SET bit; values in
 * BCD or binary and 12- or 24-hour form per register B. Register A reports the 32.768 kHz divider and
 * never an update in progress; register D reports valid RAM and time.
 *
 * <p>Partial: no periodic, alarm or update-ended interrupts (register C always reads 0); the alarm
 * registers are plain storage.
 *
 * <p>Threads: vCPU threads; state guarded by this object's monitor.
 */
public final class CmosRtc implements PortIoDevice, Saveable {
    public static final int BASE_PORT = 0x70;
    static final int SECONDS = 0x00, MINUTES = 0x02, HOURS = 0x04, WEEKDAY = 0x06, DAY = 0x07, MONTH = 0x08, YEAR = 0x09,
            REG_A = 0x0A, REG_B = 0x0B, REG_C = 0x0C, REG_D = 0x0D, CENTURY = 0x32;
    static final int B_SET = 0x80, B_BINARY = 0x04, B_24H = 0x02;
    static final int D_VRT = 0x80;
    static final int NMI_DISABLE = 0x80;

    private final Clock clock;
    private final byte[] ram = new byte[128];
    private int index;
    private boolean nmiDisabled;
    private Duration offset = Duration.ZERO;
    /** The time the guest is writing while SET is on (register values in the current format). */
    private LocalDateTime staged;

    public CmosRtc(Clock clock) {
        this.clock = clock;
        ram[REG_A] = 0x26; // 32.768 kHz time base, 1024 Hz rate
        ram[REG_B] = B_24H;
        ram[REG_D] = (byte) D_VRT;
        ram[0x14] = 0x06; // equipment: no floppy, 80x25 colour, FPU present
        ram[0x15] = (byte) 0x80; // 640 KiB base memory (low)
        ram[0x16] = 0x02;        // (high)
    }

    /** Whether the guest masked NMIs through the index port. */
    public synchronized boolean nmiDisabled() {
        return nmiDisabled;
    }

    @Override
    public synchronized int read(int offset, int size) {
        if (offset == 0) {
            return index | (nmiDisabled ? NMI_DISABLE : 0);
        }
        return readRegister(index);
    }

    @Override
    public synchronized void write(int offset, int size, int value) {
        if (offset == 0) {
            index = value & 0x7F;
            nmiDisabled = (value & NMI_DISABLE) != 0;
            return;
        }
        writeRegister(index, value & 0xFF);
    }

    private LocalDateTime now() {
        if (staged != null) {
            return staged;
        }
        return LocalDateTime.ofInstant(clock.instant().plus(offset), ZoneOffset.UTC);
    }

    private int readRegister(int reg) {
        LocalDateTime t = now();
        return switch (reg) {
            case SECONDS -> encode(t.getSecond());
            case MINUTES -> encode(t.getMinute());
            case HOURS -> encodeHour(t.getHour());
            case WEEKDAY -> encode(t.getDayOfWeek().getValue() % 7 + 1); // Sunday = 1
            case DAY -> encode(t.getDayOfMonth());
            case MONTH -> encode(t.getMonthValue());
            case YEAR -> encode(t.getYear() % 100);
            case CENTURY -> encode(t.getYear() / 100);
            case REG_A -> ram[REG_A] & 0x7F; // UIP never set
            case REG_C -> 0;
            case REG_D -> D_VRT;
            default -> ram[reg] & 0xFF;
        };
    }

    private void writeRegister(int reg, int v) {
        switch (reg) {
            case SECONDS, MINUTES, HOURS, DAY, MONTH, YEAR, CENTURY -> {
                if (staged == null) {
                    staged = now(); // a write without SET still sets the clock, as if SET were toggled around it
                    setField(reg, v);
                    commit();
                } else {
                    setField(reg, v);
                }
            }
            case REG_B -> {
                boolean wasSet = (ram[REG_B] & B_SET) != 0;
                ram[REG_B] = (byte) v;
                if ((v & B_SET) != 0 && !wasSet) {
                    staged = now();
                } else if ((v & B_SET) == 0 && wasSet) {
                    commit();
                }
            }
            case REG_A -> ram[REG_A] = (byte) (v & 0x7F);
            case REG_C, REG_D -> { } // read-only
            default -> ram[reg] = (byte) v;
        }
    }

    private void setField(int reg, int v) {
        try {
            staged = switch (reg) {
                case SECONDS -> staged.withSecond(decode(v));
                case MINUTES -> staged.withMinute(decode(v));
                case HOURS -> staged.withHour(decodeHour(v));
                case DAY -> staged.withDayOfMonth(decode(v));
                case MONTH -> staged.withMonth(decode(v));
                case YEAR -> staged.withYear(staged.getYear() / 100 * 100 + decode(v));
                case CENTURY -> staged.withYear(decode(v) * 100 + staged.getYear() % 100);
                default -> staged;
            };
        } catch (java.time.DateTimeException e) {
            // an out-of-range value (e.g. day 31 while the month is still 2): ignored, as the field keeps its value
        }
    }

    private void commit() {
        if (staged != null) {
            LocalDateTime host = LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
            offset = Duration.between(host, staged);
            staged = null;
        }
    }

    private boolean binary() {
        return (ram[REG_B] & B_BINARY) != 0;
    }

    private int encode(int v) {
        return binary() ? v : (v / 10) << 4 | v % 10;
    }

    private int decode(int v) {
        return binary() ? v : (v >>> 4) * 10 + (v & 0xF);
    }

    private int encodeHour(int h) {
        if ((ram[REG_B] & B_24H) != 0) {
            return encode(h);
        }
        int h12 = h % 12 == 0 ? 12 : h % 12;
        return encode(h12) | (h >= 12 ? 0x80 : 0);
    }

    private int decodeHour(int v) {
        if ((ram[REG_B] & B_24H) != 0) {
            return decode(v);
        }
        int h12 = decode(v & 0x7F) % 12;
        return (v & 0x80) != 0 ? h12 + 12 : h12;
    }

    // ------------------------------------------------------------------ saved state

    @Override
    public String stateName() {
        return "cmos-rtc";
    }

    /**
     * Version 1: the 128 bytes of CMOS RAM, the index register, the NMI mask, the guest's offset
     * from host time (seconds, nanoseconds) and the time being set (a flag, then epoch seconds and
     * nanoseconds in UTC). The clock keeps running with host time across a save and restore, as a
     * battery-backed clock would, so a restored guest reads the current time plus its offset.
     */
    @Override
    public int stateVersion() {
        return 1;
    }

    @Override
    public synchronized byte[] saveState() {
        SectionWriter w = new SectionWriter().raw(ram).u8(index).bool(nmiDisabled)
                .u64(offset.getSeconds()).u32(offset.getNano()).bool(staged != null);
        if (staged != null) {
            w.u64(staged.toEpochSecond(ZoneOffset.UTC)).u32(staged.getNano());
        }
        return w.toByteArray();
    }

    @Override
    public synchronized void restoreState(byte[] state, int version) throws StateFileException {
        SectionReader r = new SectionReader(stateName(), state);
        if (version != 1) {
            throw r.fail("layout version " + version + " (this build reads 1)");
        }
        byte[] newRam = r.raw(ram.length);
        int newIndex = r.u8();
        boolean newNmi = r.bool();
        long offsetSeconds = r.u64();
        int offsetNanos = r.u32();
        LocalDateTime newStaged = null;
        try {
            Duration newOffset = Duration.ofSeconds(offsetSeconds, offsetNanos);
            if (r.bool()) {
                newStaged = LocalDateTime.ofEpochSecond(r.u64(), r.u32(), ZoneOffset.UTC);
            }
            r.end();
            if (newIndex > 0x7F) {
                throw r.fail("index register " + newIndex + " outside 0..127");
            }
            System.arraycopy(newRam, 0, ram, 0, ram.length);
            index = newIndex;
            nmiDisabled = newNmi;
            offset = newOffset;
            staged = newStaged;
        } catch (java.time.DateTimeException | ArithmeticException e) {
            throw r.fail("time out of range: " + e.getMessage());
        }
    }
}

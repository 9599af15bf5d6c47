package dev.partita.emulator.platform;

/**
 * One counter of the 8254: mode 0-5, access mode (LSB, MSB, LSB then MSB), binary or BCD, the
 * count latch and read-back status latch, and the gate input. The counter is not stepped: its
 * value and output are computed from the time its count was loaded ({@link TickMath}, 1.193182
 * MHz), so it costs nothing while nobody looks.
 *
 * <p>Threading: not thread-safe; {@link Pit8254} serializes every call.
 */
final class PitChannel {

    /** The 8254's input clock. */
    static final long HZ = 1_193_182L;

    /** Saved state; {@code elapsedNanos} is the time counted since the count was loaded (-1: no count yet). */
    record State(int mode, int access, boolean bcd, int reload, boolean loaded, long elapsedNanos, boolean gate,
                 int latchedCount, int latchedBytes, int status, boolean statusLatched,
                 boolean readHigh, boolean writeHigh, int pendingLow) {
    }

    private int mode;
    /** 1 = LSB only, 2 = MSB only, 3 = LSB then MSB. */
    private int access = 3;
    private boolean bcd;
    /** The count register as written (0 means 65536, or 10000 in BCD). */
    private int reload;
    /** Clock value when counting started; {@link Long#MIN_VALUE} = no count loaded yet. */
    private long loadNanos = Long.MIN_VALUE;
    /** While the gate is low (modes 0, 2, 3, 4 pause), the elapsed time frozen at that moment. */
    private long frozenElapsed = -1;
    private boolean gate;
    /** A count has been written since the last control word (modes 1 and 5 may still wait for the gate). */
    private boolean loaded;
    private int latchedCount;
    /** Bytes of the latched count still to read (0 = no latch). */
    private int latchedBytes;
    private int status;
    private boolean statusLatched;
    private boolean readHigh;
    private boolean writeHigh;
    private int pendingLow;

    PitChannel(boolean gate) {
        this.gate = gate;
    }

    // ------------------------------------------------------------------ time

    private long period() {
        if (bcd) {
            int v = fromBcd(reload);
            return v == 0 ? 10_000 : v;
        }
        return reload == 0 ? 0x10000 : reload;
    }

    private boolean counting() {
        return loadNanos != Long.MIN_VALUE;
    }

    private long elapsedNanos(long now) {
        if (!counting()) {
            return -1;
        }
        if (frozenElapsed >= 0) {
            return frozenElapsed;
        }
        return Math.max(0, now - loadNanos);
    }

    /** Input clock ticks counted since the count was loaded. */
    private long ticks(long now) {
        return TickMath.ticksIn(elapsedNanos(now), HZ);
    }

    /** The counting element's value now. */
    int count(long now) {
        if (!counting()) {
            return reload;
        }
        long d = ticks(now);
        long p = period();
        long v = switch (mode) {
            case 2 -> p - d % p;
            case 3 -> p - (2 * d) % p;
            default -> (p - d) & 0xFFFF;
        };
        v &= 0xFFFF;
        return bcd ? toBcd((int) (v % 10_000)) : (int) v;
    }

    /** The OUT pin now. */
    boolean output(long now) {
        if (!counting()) {
            return mode != 0;
        }
        long d = ticks(now);
        long p = period();
        return switch (mode) {
            case 0 -> d >= p;
            case 1 -> d >= p;
            case 2 -> d % p != p - 1;
            case 3 -> d % p < (p + 1) / 2;
            default -> d != p;
        };
    }

    /**
     * The clock time of the first output event (the moment an edge-triggered interrupt fires:
     * terminal count in modes 0, 1, 4, 5, each period end in modes 2 and 3) strictly after
     * {@code now}, or {@link Long#MAX_VALUE} when none will come.
     */
    long nextEventAfter(long now) {
        if (!counting() || frozenElapsed >= 0 || (!gate && mode != 1 && mode != 5)) {
            return Long.MAX_VALUE;
        }
        long d = ticks(now);
        long p = period();
        long target;
        if (mode == 2 || mode == 3) {
            target = (d / p + 1) * p;
        } else if (d < p) {
            target = p;
        } else {
            return Long.MAX_VALUE;
        }
        return TickMath.saturatingAdd(loadNanos, TickMath.nanosFor(target, HZ));
    }

    /** Number of output events in the time interval (from, to]. */
    long eventsBetween(long from, long to) {
        if (!counting() || frozenElapsed >= 0 || to <= from) {
            return 0;
        }
        long p = period();
        long a = TickMath.ticksIn(Math.max(0, from - loadNanos), HZ);
        long b = TickMath.ticksIn(Math.max(0, to - loadNanos), HZ);
        if (mode == 2 || mode == 3) {
            return b / p - a / p;
        }
        return a < p && b >= p ? 1 : 0;
    }

    // ------------------------------------------------------------------ programming

    /** Control word for this channel with a non-zero access field: new mode; the count must be written again. */
    void control(int access, int mode, boolean bcd) {
        this.access = access;
        this.mode = mode > 5 ? mode - 4 : mode; // modes 6 and 7 are aliases of 2 and 3
        this.bcd = bcd;
        loadNanos = Long.MIN_VALUE;
        loaded = false;
        frozenElapsed = -1;
        latchedBytes = 0;
        statusLatched = false;
        readHigh = false;
        writeHigh = false;
    }

    /** Counter latch command. A second latch before the first is read is ignored. */
    void latchCount(long now) {
        if (latchedBytes == 0) {
            latchedCount = count(now);
            latchedBytes = access == 3 ? 2 : 1;
        }
    }

    /** Read-back status latch. */
    void latchStatus(long now) {
        if (!statusLatched) {
            status = (output(now) ? 0x80 : 0) | (counting() ? 0 : 0x40) | (access << 4) | (mode << 1) | (bcd ? 1 : 0);
            statusLatched = true;
        }
    }

    /** Byte write to the channel's port. */
    void writeCount(int value, long now) {
        value &= 0xFF;
        switch (access) {
            case 1 -> load(value, now);
            case 2 -> load(value << 8, now);
            default -> {
                if (!writeHigh) {
                    pendingLow = value;
                    writeHigh = true;
                } else {
                    writeHigh = false;
                    load(pendingLow | value << 8, now);
                }
            }
        }
    }

    private void load(int count, long now) {
        reload = count;
        loaded = true;
        loadNanos = now;
        frozenElapsed = gate || mode == 1 || mode == 5 ? -1 : 0;
        if (mode == 1 || mode == 5) {
            // Hardware-triggered modes wait for a rising gate edge.
            loadNanos = gate ? now : Long.MIN_VALUE;
        }
    }

    /** Byte read from the channel's port. */
    int read(long now) {
        if (statusLatched) {
            statusLatched = false;
            return status;
        }
        if (latchedBytes > 0) {
            int v;
            if (access == 3) {
                v = latchedBytes == 2 ? latchedCount & 0xFF : latchedCount >>> 8;
            } else {
                v = access == 1 ? latchedCount & 0xFF : latchedCount >>> 8;
            }
            latchedBytes--;
            return v & 0xFF;
        }
        int c = count(now);
        return switch (access) {
            case 1 -> c & 0xFF;
            case 2 -> (c >>> 8) & 0xFF;
            default -> {
                int v = readHigh ? c >>> 8 : c & 0xFF;
                readHigh = !readHigh;
                yield v & 0xFF;
            }
        };
    }

    /** The gate input (channel 2: port 0x61 bit 0; channels 0 and 1: always high). */
    void setGate(boolean level, long now) {
        if (level == gate) {
            return;
        }
        gate = level;
        boolean triggered = mode == 1 || mode == 5;
        if (level) {
            if ((triggered && loaded) || ((mode == 2 || mode == 3) && counting())) {
                loadNanos = now; // a rising gate (re)starts the count
                frozenElapsed = -1;
            } else if (frozenElapsed >= 0) {
                loadNanos = now - frozenElapsed;
                frozenElapsed = -1;
            }
        } else if (counting() && !triggered) {
            frozenElapsed = Math.max(0, now - loadNanos);
        }
    }

    boolean gate() {
        return gate;
    }

    int mode() {
        return mode;
    }

    // ------------------------------------------------------------------ BCD

    private static int fromBcd(int v) {
        return (v >>> 12 & 0xF) * 1000 + (v >>> 8 & 0xF) * 100 + (v >>> 4 & 0xF) * 10 + (v & 0xF);
    }

    private static int toBcd(int v) {
        return (v / 1000 % 10) << 12 | (v / 100 % 10) << 8 | (v / 10 % 10) << 4 | v % 10;
    }

    // ------------------------------------------------------------------ checkpoints

    State save(long now) {
        return new State(mode, access, bcd, reload, loaded, elapsedNanos(now), gate, latchedCount, latchedBytes, status,
                statusLatched, readHigh, writeHigh, pendingLow);
    }

    void restore(State s, long now) {
        if (s.mode() < 0 || s.mode() > 5 || s.access() < 1 || s.access() > 3 || s.latchedBytes() < 0
                || s.latchedBytes() > 2) {
            throw new IllegalArgumentException("8254 restore: bad channel state " + s);
        }
        mode = s.mode();
        access = s.access();
        bcd = s.bcd();
        reload = s.reload() & 0xFFFF;
        loaded = s.loaded();
        gate = s.gate();
        frozenElapsed = -1;
        if (s.elapsedNanos() < 0) {
            loadNanos = Long.MIN_VALUE;
        } else {
            loadNanos = now - s.elapsedNanos();
            if (!gate && mode != 1 && mode != 5) {
                frozenElapsed = s.elapsedNanos();
            }
        }
        latchedCount = s.latchedCount() & 0xFFFF;
        latchedBytes = s.latchedBytes();
        status = s.status() & 0xFF;
        statusLatched = s.statusLatched();
        readHigh = s.readHigh();
        writeHigh = s.writeHigh();
        pendingLow = s.pendingLow() & 0xFF;
    }
}

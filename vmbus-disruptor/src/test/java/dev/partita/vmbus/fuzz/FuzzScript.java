package dev.partita.vmbus.fuzz;

/** Reads fuzz input front to back as little-endian values; past the end everything reads 0. */
final class FuzzScript {
    private final byte[] data;
    private int at;

    FuzzScript(byte[] data) {
        this.data = data;
    }

    boolean more() {
        return at < data.length;
    }

    int u8() {
        return at < data.length ? data[at++] & 0xFF : 0;
    }

    boolean bit() {
        return (u8() & 1) != 0;
    }

    int u16() {
        return u8() | u8() << 8;
    }

    int u32() {
        return u16() | u16() << 16;
    }

    long u64() {
        return (u32() & 0xFFFFFFFFL) | (long) u32() << 32;
    }

    byte[] bytes(int n) {
        int k = Math.max(0, Math.min(n, data.length - at));
        byte[] b = java.util.Arrays.copyOfRange(data, at, at + k);
        at += k;
        return b;
    }
}

package dev.partita.hv.fuzz;

import java.util.Arrays;

/**
 * Reads a fuzz input front to back as little-endian values; past the end everything reads 0, so
 * every input, however short, is a complete script. Shared by the fuzz targets of hv-runtime (vmbus-disruptor, which cannot see these test sources, has the same reader for itself and device-vsps).
 */
public final class FuzzScript {
    private final byte[] data;
    private int at;

    public FuzzScript(byte[] data) {
        this.data = data;
    }

    public boolean more() {
        return at < data.length;
    }

    public int u8() {
        return at < data.length ? data[at++] & 0xFF : 0;
    }

    public int u16() {
        return u8() | u8() << 8;
    }

    public int u32() {
        return u16() | u16() << 16;
    }

    public long u64() {
        return (u32() & 0xFFFFFFFFL) | (long) u32() << 32;
    }

    public boolean bit() {
        return (u8() & 1) != 0;
    }

    /** Up to {@code n} bytes (fewer at the end of the input). */
    public byte[] bytes(int n) {
        int k = Math.max(0, Math.min(n, data.length - at));
        byte[] b = Arrays.copyOfRange(data, at, at + k);
        at += k;
        return b;
    }

    /** Everything not read yet. */
    public byte[] rest() {
        return bytes(data.length - at);
    }
}

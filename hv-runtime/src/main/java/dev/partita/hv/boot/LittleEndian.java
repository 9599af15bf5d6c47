package dev.partita.hv.boot;

/** Little-endian reads and writes on byte arrays, with the bounds checked by the array. Stateless. */
final class LittleEndian {
    private LittleEndian() {}

    static int u8(byte[] d, int off) {
        return d[off] & 0xFF;
    }

    static int u16(byte[] d, int off) {
        return (d[off] & 0xFF) | (d[off + 1] & 0xFF) << 8;
    }

    static long u32(byte[] d, int off) {
        return (u16(d, off) | (long) u16(d, off + 2) << 16) & 0xFFFF_FFFFL;
    }

    static long u64(byte[] d, int off) {
        return u32(d, off) | u32(d, off + 4) << 32;
    }

    static void put8(byte[] d, int off, int v) {
        d[off] = (byte) v;
    }

    static void put16(byte[] d, int off, int v) {
        d[off] = (byte) v;
        d[off + 1] = (byte) (v >>> 8);
    }

    static void put32(byte[] d, int off, long v) {
        put16(d, off, (int) v);
        put16(d, off + 2, (int) (v >>> 16));
    }

    static void put64(byte[] d, int off, long v) {
        put32(d, off, v);
        put32(d, off + 4, v >>> 32);
    }
}

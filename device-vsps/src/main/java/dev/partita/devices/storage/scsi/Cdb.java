package dev.partita.devices.storage.scsi;

/** Big-endian field access to a command descriptor block whose length was checked by the caller. */
final class Cdb {
    private Cdb() {
    }

    static int u8(byte[] cdb, int at) {
        return cdb[at] & 0xFF;
    }

    static int u16(byte[] cdb, int at) {
        return (cdb[at] & 0xFF) << 8 | (cdb[at + 1] & 0xFF);
    }

    static int u24(byte[] cdb, int at) {
        return (cdb[at] & 0xFF) << 16 | u16(cdb, at + 1);
    }

    static long u32(byte[] cdb, int at) {
        return (long) (cdb[at] & 0xFF) << 24 | u24(cdb, at + 1);
    }

    static long u64(byte[] cdb, int at) {
        return u32(cdb, at) << 32 | u32(cdb, at + 4);
    }

    static void put16(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    static void put32(byte[] b, int at, long v) {
        put16(b, at, (int) (v >>> 16));
        put16(b, at + 2, (int) v);
    }

    static void put64(byte[] b, int at, long v) {
        put32(b, at, v >>> 32);
        put32(b, at + 4, v);
    }
}

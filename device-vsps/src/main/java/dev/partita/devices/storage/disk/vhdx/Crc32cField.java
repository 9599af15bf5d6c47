package dev.partita.devices.storage.disk.vhdx;

import dev.partita.vmbus.protocol.LittleEndian;

import java.util.zip.CRC32C;

/**
 * The VHDX checksum: CRC-32C over a structure with its own 4-byte checksum field taken as zero.
 * Stateless; any thread (the buffer is not modified).
 */
final class Crc32cField {
    private static final byte[] ZEROS = new byte[4];

    private Crc32cField() {
    }

    /** CRC-32C of {@code b[from, from+length)} with the u32 at {@code from + fieldAt} read as zero. */
    static int compute(byte[] b, int from, int length, int fieldAt) {
        CRC32C crc = new CRC32C();
        crc.update(b, from, fieldAt);
        crc.update(ZEROS, 0, 4);
        crc.update(b, from + fieldAt + 4, length - fieldAt - 4);
        return (int) crc.getValue();
    }

    static boolean valid(byte[] b, int from, int length, int fieldAt) {
        return compute(b, from, length, fieldAt) == LittleEndian.u32(b, from + fieldAt);
    }

    /** Stores the checksum into its field. */
    static void seal(byte[] b, int from, int length, int fieldAt) {
        LittleEndian.put32(b, from + fieldAt, compute(b, from, length, fieldAt));
    }
}

package dev.partita.devices.storage.scsi;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * What a disk reports about itself in INQUIRY: T10 vendor (8 ASCII), product (16), revision (4),
 * unit serial number (VPD 0x80) and a locally assigned NAA identifier (VPD 0x83).
 */
public record DiskIdentity(String vendor, String product, String revision, String serial, long naa) {
    public DiskIdentity {
        requirePrintable("vendor", vendor, 8);
        requirePrintable("product", product, 16);
        requirePrintable("revision", revision, 4);
        requirePrintable("serial", serial, 64);
        if ((naa >>> 60) != 3) {
            throw new IllegalArgumentException("NAA identifier must be locally assigned (NAA 3): " + Long.toHexString(naa));
        }
    }

    /** Partita's identity for a disk with {@code serial}: NAA 3 derived from the serial's CRC32C. */
    public static DiskIdentity of(String serial) {
        CRC32C crc = new CRC32C();
        crc.update(serial.getBytes(StandardCharsets.US_ASCII));
        long naa = 3L << 60 | 0x0A17_17A0L << 32 | crc.getValue();
        return new DiskIdentity("PARTITA", "Virtual Disk", "0001", serial, naa);
    }

    private static void requirePrintable(String what, String s, int max) {
        if (s.isEmpty() || s.length() > max) {
            throw new IllegalArgumentException(what + " must have 1.." + max + " characters: '" + s + "'");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                throw new IllegalArgumentException(what + " must be printable ASCII: '" + s + "'");
            }
        }
    }

    /** {@code s} as ASCII, space-padded to {@code width} bytes, written at {@code at} of {@code b}. */
    static void putPadded(byte[] b, int at, String s, int width) {
        byte[] a = s.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < width; i++) {
            b[at + i] = i < a.length ? a[i] : (byte) ' ';
        }
    }
}

package dev.partita.hv.acpi;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes one ACPI system description table: the 36-byte header (signature, length, revision,
 * checksum, OEM ids, creator) followed by the body appended with the little-endian helpers; the length
 * and checksum are filled by {@link #finish()}. Not thread-safe.
 */
public final class AcpiTableWriter {
    public static final int HEADER_SIZE = 36;
    static final String OEM_ID = "PARTIT";
    static final String OEM_TABLE_ID = "PARTITA ";
    static final String CREATOR_ID = "PRTA";
    static final int CHECKSUM_OFFSET = 9;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public AcpiTableWriter(String signature, int revision) {
        ascii(signature, 4);
        u32(0); // length, set by finish()
        u8(revision);
        u8(0); // checksum, set by finish()
        ascii(OEM_ID, 6);
        ascii(OEM_TABLE_ID, 8);
        u32(1); // OEM revision
        ascii(CREATOR_ID, 4);
        u32(1); // creator revision
    }

    public AcpiTableWriter u8(int v) {
        out.write(v);
        return this;
    }

    public AcpiTableWriter u16(int v) {
        out.write(v);
        out.write(v >>> 8);
        return this;
    }

    public AcpiTableWriter u32(long v) {
        for (int i = 0; i < 4; i++) {
            out.write((int) (v >>> (8 * i)));
        }
        return this;
    }

    public AcpiTableWriter u64(long v) {
        return u32(v).u32(v >>> 32);
    }

    public AcpiTableWriter bytes(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    /** Zero bytes. */
    public AcpiTableWriter zeros(int n) {
        out.writeBytes(new byte[n]);
        return this;
    }

    /** A Generic Address Structure for a system-I/O register (access size 0 = legacy "undefined"). */
    public AcpiTableWriter ioGas(int port, int bitWidth, int accessSize) {
        if (port == 0) {
            return zeros(12);
        }
        return u8(1).u8(bitWidth).u8(0).u8(accessSize).u64(port);
    }

    /** Current size in bytes. */
    public int size() {
        return out.size();
    }

    /** The table with its length and checksum set. */
    public byte[] finish() {
        byte[] t = out.toByteArray();
        t[4] = (byte) t.length;
        t[5] = (byte) (t.length >>> 8);
        t[6] = (byte) (t.length >>> 16);
        t[7] = (byte) (t.length >>> 24);
        t[CHECKSUM_OFFSET] = 0;
        t[CHECKSUM_OFFSET] = checksumByte(t, 0, t.length);
        return t;
    }

    /** The byte that makes {@code b[off..off+len)} sum to zero modulo 256 when stored in a zeroed checksum field. */
    public static byte checksumByte(byte[] b, int off, int len) {
        int sum = 0;
        for (int i = off; i < off + len; i++) {
            sum += b[i];
        }
        return (byte) -sum;
    }

    private void ascii(String s, int width) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        if (b.length != width) {
            throw new IllegalArgumentException("ACPI id '" + s + "' must be " + width + " characters");
        }
        out.writeBytes(b);
    }
}

package dev.partita.hv.state;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Builds a section payload: little-endian integers, booleans as one byte, byte arrays and strings
 * with a u32 length. Not thread-safe; one per payload.
 */
public final class SectionWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    private final byte[] scratch = new byte[8];

    public SectionWriter u8(int v) {
        out.write(v);
        return this;
    }

    public SectionWriter bool(boolean v) {
        return u8(v ? 1 : 0);
    }

    public SectionWriter u16(int v) {
        scratch[0] = (byte) v;
        scratch[1] = (byte) (v >>> 8);
        out.write(scratch, 0, 2);
        return this;
    }

    public SectionWriter u32(int v) {
        for (int i = 0; i < 4; i++) {
            scratch[i] = (byte) (v >>> (8 * i));
        }
        out.write(scratch, 0, 4);
        return this;
    }

    public SectionWriter u64(long v) {
        for (int i = 0; i < 8; i++) {
            scratch[i] = (byte) (v >>> (8 * i));
        }
        out.write(scratch, 0, 8);
        return this;
    }

    /** A u32 length, then the bytes. */
    public SectionWriter bytes(byte[] v) {
        u32(v.length);
        out.write(v, 0, v.length);
        return this;
    }

    /** The bytes as they are, no length. */
    public SectionWriter raw(byte[] v) {
        out.write(v, 0, v.length);
        return this;
    }

    /** UTF-8 with a u32 length. */
    public SectionWriter string(String v) {
        return bytes(v.getBytes(StandardCharsets.UTF_8));
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }
}

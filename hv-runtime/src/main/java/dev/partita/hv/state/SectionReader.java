package dev.partita.hv.state;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;

/**
 * Reads a payload written by {@link SectionWriter}, checking every length against what is left:
 * running past the end, an oversized array or trailing bytes end in a {@link StateFileException}
 * naming the section. Not thread-safe; one per payload.
 */
public final class SectionReader {
    private final String section;
    private final byte[] data;
    private int pos;

    public SectionReader(String section, byte[] data) {
        this.section = section;
        this.data = data;
    }

    private void need(int n, String what) throws StateFileException {
        if (n < 0 || data.length - pos < n) {
            throw new StateFileException("section '" + section + "' is too short: " + what + " needs " + n
                    + " bytes at offset " + pos + ", " + (data.length - pos) + " left");
        }
    }

    public int u8() throws StateFileException {
        need(1, "a byte");
        return data[pos++] & 0xFF;
    }

    public boolean bool() throws StateFileException {
        int v = u8();
        if (v > 1) {
            throw fail("boolean at offset " + (pos - 1) + " is " + v);
        }
        return v == 1;
    }

    public int u16() throws StateFileException {
        need(2, "a u16");
        int v = (data[pos] & 0xFF) | (data[pos + 1] & 0xFF) << 8;
        pos += 2;
        return v;
    }

    public int u32() throws StateFileException {
        need(4, "a u32");
        int v = 0;
        for (int i = 3; i >= 0; i--) {
            v = v << 8 | (data[pos + i] & 0xFF);
        }
        pos += 4;
        return v;
    }

    public long u64() throws StateFileException {
        need(8, "a u64");
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (data[pos + i] & 0xFF);
        }
        pos += 8;
        return v;
    }

    /** Exactly {@code n} bytes, no length field. */
    public byte[] raw(int n) throws StateFileException {
        need(n, n + " bytes");
        byte[] v = new byte[n];
        System.arraycopy(data, pos, v, 0, n);
        pos += n;
        return v;
    }

    /** A u32-length byte array of at most {@code max} bytes. */
    public byte[] bytes(int max) throws StateFileException {
        int n = u32();
        if (n < 0 || n > max) {
            throw fail("array length " + Integer.toUnsignedString(n) + " at offset " + (pos - 4) + " exceeds " + max);
        }
        need(n, "an array");
        byte[] v = new byte[n];
        System.arraycopy(data, pos, v, 0, n);
        pos += n;
        return v;
    }

    /** A u32-length UTF-8 string of at most {@code max} bytes. */
    public String string(int max) throws StateFileException {
        byte[] b = bytes(max);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw fail("string at offset " + (pos - b.length) + " is not UTF-8");
        }
    }

    /** A u32 count checked to be in {@code 0..max}. */
    public int count(int max, String what) throws StateFileException {
        int n = u32();
        if (n < 0 || n > max) {
            throw fail(what + " count " + Integer.toUnsignedString(n) + " exceeds " + max);
        }
        return n;
    }

    /** Fails unless every byte was read. */
    public void end() throws StateFileException {
        if (pos != data.length) {
            throw fail((data.length - pos) + " unexpected bytes after offset " + pos);
        }
    }

    /** An exception naming this section. */
    public StateFileException fail(String problem) {
        return new StateFileException("section '" + section + "': " + problem);
    }
}

package dev.partita.hv.acpi;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A small ACPI Machine Language encoder (ACPI 6.x §20, "AML Specification"): names and name paths,
 * integers, strings, EISA ids, buffers, packages, Name/Method/Device/Scope/Return. Each method returns
 * the encoded term as a byte array; composite terms take their already-encoded children. Enough for a
 * DSDT of fixed devices; no control flow beyond Return. Stateless.
 */
public final class AmlEncoder {
    // Opcodes (ACPI §20.3).
    static final int ZERO_OP = 0x00, ONE_OP = 0x01, NAME_OP = 0x08, BYTE_PREFIX = 0x0A, WORD_PREFIX = 0x0B,
            DWORD_PREFIX = 0x0C, STRING_PREFIX = 0x0D, QWORD_PREFIX = 0x0E, SCOPE_OP = 0x10, BUFFER_OP = 0x11,
            PACKAGE_OP = 0x12, METHOD_OP = 0x14, DUAL_NAME_PREFIX = 0x2E, MULTI_NAME_PREFIX = 0x2F, EXT_OP_PREFIX = 0x5B,
            DEVICE_OP = 0x82, ROOT_CHAR = '\\', RETURN_OP = 0xA4;
    /** The largest value a PkgLength can encode (28 bits). */
    public static final int MAX_PKG_LENGTH = 0x0FFF_FFFF;

    private AmlEncoder() {}

    /**
     * The PkgLength of a package whose contents after the PkgLength are {@code bodyLength} bytes: the
     * encoded value counts the PkgLength bytes themselves. One byte up to 63 in total; else 2-4 bytes,
     * the lead byte holding the byte count - 1 in bits 7:6 and the low nibble of the length.
     */
    public static byte[] pkgLength(int bodyLength) {
        if (bodyLength < 0) {
            throw new IllegalArgumentException("negative AML package length " + bodyLength);
        }
        if (bodyLength + 1 <= 0x3F) {
            return new byte[] {(byte) (bodyLength + 1)};
        }
        for (int n = 2; n <= 4; n++) {
            long total = (long) bodyLength + n;
            if (total <= (1L << (4 + 8 * (n - 1))) - 1) {
                byte[] out = new byte[n];
                out[0] = (byte) (((n - 1) << 6) | (total & 0xF));
                for (int i = 1; i < n; i++) {
                    out[i] = (byte) (total >>> (4 + 8 * (i - 1)));
                }
                return out;
            }
        }
        throw new IllegalArgumentException("AML package of " + bodyLength + " bytes exceeds the 28-bit PkgLength");
    }

    /** A 4-character NameSeg, padded with '_' ("COM" → "COM_"); leading A-Z or '_', then A-Z, 0-9, '_'. */
    public static byte[] nameSeg(String seg) {
        if (seg.isEmpty() || seg.length() > 4) {
            throw new IllegalArgumentException("AML NameSeg '" + seg + "' must be 1-4 characters");
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            char c = i < seg.length() ? seg.charAt(i) : '_';
            boolean ok = (c >= 'A' && c <= 'Z') || c == '_' || (i > 0 && c >= '0' && c <= '9');
            if (!ok) {
                throw new IllegalArgumentException("AML NameSeg '" + seg + "' has invalid character '" + c + "'");
            }
            out[i] = (byte) c;
        }
        return out;
    }

    /** A NameString: optional root '\', segments separated by '.' ("\_SB.COM1", "_HID"). */
    public static byte[] nameString(String path) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String rest = path;
        if (rest.startsWith("\\")) {
            out.write(ROOT_CHAR);
            rest = rest.substring(1);
        }
        if (rest.isEmpty()) {
            out.write(0); // NullName
            return out.toByteArray();
        }
        String[] segs = rest.split("\\.", -1);
        if (segs.length == 2) {
            out.write(DUAL_NAME_PREFIX);
        } else if (segs.length > 2) {
            if (segs.length > 255) {
                throw new IllegalArgumentException("AML name path too long: " + path);
            }
            out.write(MULTI_NAME_PREFIX);
            out.write(segs.length);
        }
        for (String s : segs) {
            out.writeBytes(nameSeg(s));
        }
        return out.toByteArray();
    }

    /** The shortest integer encoding: ZeroOp, OneOp, or Byte/Word/DWord/QWord prefix + little-endian value. */
    public static byte[] integer(long v) {
        if (v == 0) {
            return new byte[] {ZERO_OP};
        }
        if (v == 1) {
            return new byte[] {ONE_OP};
        }
        int size;
        int prefix;
        if ((v & ~0xFFL) == 0) {
            size = 1;
            prefix = BYTE_PREFIX;
        } else if ((v & ~0xFFFFL) == 0) {
            size = 2;
            prefix = WORD_PREFIX;
        } else if ((v & ~0xFFFF_FFFFL) == 0) {
            size = 4;
            prefix = DWORD_PREFIX;
        } else {
            size = 8;
            prefix = QWORD_PREFIX;
        }
        byte[] out = new byte[1 + size];
        out[0] = (byte) prefix;
        for (int i = 0; i < size; i++) {
            out[1 + i] = (byte) (v >>> (8 * i));
        }
        return out;
    }

    /** A String: printable ASCII, NUL-terminated. */
    public static byte[] string(String s) {
        byte[] ascii = s.getBytes(StandardCharsets.US_ASCII);
        for (byte b : ascii) {
            if (b < 0x01 || b > 0x7F) {
                throw new IllegalArgumentException("AML string must be 7-bit ASCII without NUL: " + s);
            }
        }
        return concat(new byte[] {STRING_PREFIX}, ascii, new byte[] {0});
    }

    /** A compressed EISA id ("PNP0501") as the DWord integer _HID/_CID use. */
    public static byte[] eisaId(String id) {
        return integer(EisaId.encode(id));
    }

    /** Buffer (BufferSize = contents length) of {@code contents}. */
    public static byte[] buffer(byte[] contents) {
        byte[] body = concat(integer(contents.length), contents);
        return concat(new byte[] {BUFFER_OP}, pkgLength(body.length), body);
    }

    /** Package of already-encoded elements (at most 255). */
    public static byte[] pkg(byte[]... elements) {
        if (elements.length > 255) {
            throw new IllegalArgumentException("AML Package of " + elements.length + " elements (max 255)");
        }
        byte[] body = concat(new byte[] {(byte) elements.length}, concat(elements));
        return concat(new byte[] {PACKAGE_OP}, pkgLength(body.length), body);
    }

    /** Name(name, value). */
    public static byte[] name(String name, byte[] value) {
        return concat(new byte[] {NAME_OP}, nameString(name), value);
    }

    /** Method(name, argCount, NotSerialized) { body }. */
    public static byte[] method(String name, int argCount, byte[]... body) {
        if (argCount < 0 || argCount > 7) {
            throw new IllegalArgumentException("AML method " + name + " with " + argCount + " arguments (0-7)");
        }
        byte[] inner = concat(nameString(name), new byte[] {(byte) argCount}, concat(body));
        return concat(new byte[] {METHOD_OP}, pkgLength(inner.length), inner);
    }

    /** Return(value). */
    public static byte[] returnValue(byte[] value) {
        return concat(new byte[] {(byte) RETURN_OP}, value);
    }

    /** Device(name) { body }. */
    public static byte[] device(String name, byte[]... body) {
        byte[] inner = concat(nameString(name), concat(body));
        return concat(new byte[] {EXT_OP_PREFIX, (byte) DEVICE_OP}, pkgLength(inner.length), inner);
    }

    /** Scope(path) { body }. */
    public static byte[] scope(String path, byte[]... body) {
        byte[] inner = concat(nameString(path), concat(body));
        return concat(new byte[] {SCOPE_OP}, pkgLength(inner.length), inner);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}

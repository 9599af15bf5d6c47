package dev.partita.emulator.platform;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The checkpoint form of the platform's saved state ({@link PcPlatform.State}): a versioned,
 * checksummed byte image. Layout: magic "PPLT", format version (u16), schema fingerprint (u32: a hash
 * of every saved record's component names and types, so a build whose device state differs refuses
 * the image instead of misreading it), the record tree in component order (big-endian ints, longs,
 * booleans as bytes, arrays and lists with a u16 length), then the CRC-32 of everything before it.
 *
 * <p>Stateless and thread-safe.
 */
public final class PlatformStateCodec {

    private static final int MAGIC = 0x50504C54; // "PPLT"
    private static final int VERSION = 1;
    private static final int MAX_ELEMENTS = 4096;

    private PlatformStateCodec() {
    }

    /** Encodes {@code state}. */
    public static byte[] encode(PcPlatform.State state) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeShort(VERSION);
            out.writeInt(fingerprint());
            writeRecord(out, state);
            out.flush();
            CRC32 crc = new CRC32();
            crc.update(bytes.toByteArray());
            out.writeInt((int) crc.getValue());
        } catch (IOException e) {
            throw new IllegalStateException("platform state encode: " + e.getMessage(), e);
        }
        return bytes.toByteArray();
    }

    /**
     * Decodes an image made by {@link #encode}; throws {@link IllegalArgumentException} naming what is
     * wrong. Only the canonical form is accepted (booleans are 0 or 1), so a decoded image encodes
     * to the same bytes.
     */
    public static PcPlatform.State decode(byte[] image) {
        if (image.length < 14) {
            throw new IllegalArgumentException("platform state image too short: " + image.length + " bytes");
        }
        CRC32 crc = new CRC32();
        crc.update(image, 0, image.length - 4);
        int stored = ((image[image.length - 4] & 0xFF) << 24) | ((image[image.length - 3] & 0xFF) << 16)
                | ((image[image.length - 2] & 0xFF) << 8) | (image[image.length - 1] & 0xFF);
        if ((int) crc.getValue() != stored) {
            throw new IllegalArgumentException("platform state image: CRC-32 mismatch (corrupt image)");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(image, 0, image.length - 4))) {
            if (in.readInt() != MAGIC) {
                throw new IllegalArgumentException("platform state image: bad magic (not a platform state)");
            }
            int version = in.readUnsignedShort();
            if (version != VERSION) {
                throw new IllegalArgumentException("platform state image: format version " + version
                        + " not supported (this build reads " + VERSION + ")");
            }
            int fp = in.readInt();
            if (fp != fingerprint()) {
                throw new IllegalArgumentException("platform state image: device state layout differs from this build's"
                        + " (fingerprint " + Integer.toHexString(fp) + " vs " + Integer.toHexString(fingerprint()) + ")");
            }
            PcPlatform.State s = (PcPlatform.State) readRecord(in, PcPlatform.State.class);
            if (in.available() != 0) {
                throw new IllegalArgumentException("platform state image: " + in.available() + " trailing bytes");
            }
            return s;
        } catch (IOException e) {
            throw new IllegalArgumentException("platform state image truncated: " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ schema

    private static int fingerprint() {
        StringBuilder sb = new StringBuilder();
        describe(PcPlatform.State.class, sb);
        return sb.toString().hashCode();
    }

    private static void describe(Class<?> record, StringBuilder sb) {
        sb.append(record.getSimpleName()).append('(');
        for (RecordComponent c : record.getRecordComponents()) {
            sb.append(c.getName()).append(':');
            Class<?> t = c.getType();
            if (t.isRecord()) {
                describe(t, sb);
            } else if (t == List.class) {
                sb.append("List<");
                describe(elementType(c.getGenericType()), sb);
                sb.append('>');
            } else {
                sb.append(t.getSimpleName());
            }
            sb.append(',');
        }
        sb.append(')');
    }

    private static Class<?> elementType(Type listType) {
        if (listType instanceof ParameterizedType p && p.getActualTypeArguments()[0] instanceof Class<?> c && c.isRecord()) {
            return c;
        }
        throw new IllegalStateException("platform state codec: unsupported list type " + listType);
    }

    // ------------------------------------------------------------------ writing

    private static void writeRecord(DataOutputStream out, Record r) throws IOException {
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            Object v;
            try {
                v = c.getAccessor().invoke(r);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("platform state encode: reading " + c.getName() + ": " + e, e);
            }
            writeValue(out, c.getType(), v);
        }
    }

    private static void writeValue(DataOutputStream out, Class<?> t, Object v) throws IOException {
        if (t == int.class) {
            out.writeInt((Integer) v);
        } else if (t == long.class) {
            out.writeLong((Long) v);
        } else if (t == boolean.class) {
            out.writeBoolean((Boolean) v);
        } else if (t == int[].class) {
            int[] a = (int[]) v;
            out.writeShort(a.length);
            for (int x : a) {
                out.writeInt(x);
            }
        } else if (t == long[].class) {
            long[] a = (long[]) v;
            out.writeShort(a.length);
            for (long x : a) {
                out.writeLong(x);
            }
        } else if (t.isRecord()) {
            writeRecord(out, (Record) v);
        } else if (t == List.class) {
            List<?> l = (List<?>) v;
            out.writeShort(l.size());
            for (Object e : l) {
                writeRecord(out, (Record) e);
            }
        } else {
            throw new IllegalStateException("platform state codec: unsupported component type " + t);
        }
    }

    // ------------------------------------------------------------------ reading

    private static Object readRecord(DataInputStream in, Class<?> type) throws IOException {
        RecordComponent[] cs = type.getRecordComponents();
        Object[] args = new Object[cs.length];
        Class<?>[] types = new Class<?>[cs.length];
        for (int i = 0; i < cs.length; i++) {
            types[i] = cs[i].getType();
            args[i] = readValue(in, cs[i]);
        }
        try {
            Constructor<?> k = type.getDeclaredConstructor(types);
            return k.newInstance(args);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("platform state image: invalid " + type.getSimpleName() + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("platform state codec: cannot build " + type.getSimpleName() + ": " + e, e);
        }
    }

    private static int length(DataInputStream in) throws IOException {
        int n = in.readUnsignedShort();
        if (n > MAX_ELEMENTS) {
            throw new IllegalArgumentException("platform state image: element count " + n + " above " + MAX_ELEMENTS);
        }
        return n;
    }

    private static Object readValue(DataInputStream in, RecordComponent c) throws IOException {
        Class<?> t = c.getType();
        if (t == int.class) {
            return in.readInt();
        } else if (t == long.class) {
            return in.readLong();
        } else if (t == boolean.class) {
            int b = in.readUnsignedByte();
            if (b > 1) {
                throw new IllegalArgumentException("platform state image: boolean " + c.getName() + " is " + b + " (0 or 1)");
            }
            return b == 1;
        } else if (t == int[].class) {
            int[] a = new int[length(in)];
            for (int i = 0; i < a.length; i++) {
                a[i] = in.readInt();
            }
            return a;
        } else if (t == long[].class) {
            long[] a = new long[length(in)];
            for (int i = 0; i < a.length; i++) {
                a[i] = in.readLong();
            }
            return a;
        } else if (t.isRecord()) {
            return readRecord(in, t);
        } else if (t == List.class) {
            Class<?> e = elementType(c.getGenericType());
            int n = length(in);
            List<Object> l = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                l.add(readRecord(in, e));
            }
            return List.copyOf(l);
        }
        throw new IllegalStateException("platform state codec: unsupported component type " + t);
    }
}

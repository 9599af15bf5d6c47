package dev.partita.vmbus.protocol;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.UUID;

/**
 * GUIDs in Microsoft's mixed-endian wire layout: Data1 (u32), Data2 (u16), Data3 (u16) little-endian,
 * then Data4's 8 bytes in order. {@code ba6163d9-04a1-4d29-b605-72e2ffb1dc7f} is stored as
 * {@code D9 63 61 BA A1 04 29 4D B6 05 72 E2 FF B1 DC 7F}.
 */
public final class WireGuid {
    private WireGuid() {
    }

    public static final int SIZE = 16;

    /** Writes {@code id} at {@code offset} of {@code buf} (byte order of buf is ignored). */
    public static void write(ByteBuffer buf, int offset, UUID id) {
        long msb = id.getMostSignificantBits();
        ByteBuffer le = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        le.putInt(offset, (int) (msb >>> 32));
        le.putShort(offset + 4, (short) (msb >>> 16));
        le.putShort(offset + 6, (short) msb);
        le.order(ByteOrder.BIG_ENDIAN).putLong(offset + 8, id.getLeastSignificantBits());
    }

    /** Reads the GUID at {@code offset} of {@code buf}. */
    public static UUID read(ByteBuffer buf, int offset) {
        ByteBuffer le = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        long d1 = Integer.toUnsignedLong(le.getInt(offset));
        long d2 = Short.toUnsignedLong(le.getShort(offset + 4));
        long d3 = Short.toUnsignedLong(le.getShort(offset + 6));
        long lsb = le.order(ByteOrder.BIG_ENDIAN).getLong(offset + 8);
        return new UUID(d1 << 32 | d2 << 16 | d3, lsb);
    }

    /** The 16 wire bytes of {@code id}. */
    public static byte[] toBytes(UUID id) {
        byte[] b = new byte[SIZE];
        write(ByteBuffer.wrap(b), 0, id);
        return b;
    }
}

package dev.partita.vmbus.protocol;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Little-endian fields in byte arrays, for the VMBus wire formats (GPA-direct range lists, vstor,
 * integration components). Bounds are checked by the array views: an index past the end throws
 * {@link IndexOutOfBoundsException}. Stateless; any thread.
 */
public final class LittleEndian {
    private static final VarHandle U16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle U32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle U64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private LittleEndian() {}

    public static int u8(byte[] b, int at) {
        return b[at] & 0xFF;
    }

    public static int u16(byte[] b, int at) {
        return (short) U16.get(b, at) & 0xFFFF;
    }

    /** The u32 at {@code at} as an int (callers widen with {@link Integer#toUnsignedLong} where needed). */
    public static int u32(byte[] b, int at) {
        return (int) U32.get(b, at);
    }

    public static long u64(byte[] b, int at) {
        return (long) U64.get(b, at);
    }

    public static void put16(byte[] b, int at, int v) {
        U16.set(b, at, (short) v);
    }

    public static void put32(byte[] b, int at, int v) {
        U32.set(b, at, v);
    }

    public static void put64(byte[] b, int at, long v) {
        U64.set(b, at, v);
    }
}

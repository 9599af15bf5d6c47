package dev.partita.vmms.linux;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Minimal bzImage files for tests that need a kernel but no download: boot protocol 2.15, 64-bit entry,
 * relocatable, preferred address 16 MiB, init_size 4 MiB, with the given machine code at startup_64.
 * Stateless; any thread.
 */
public final class SyntheticBzImage {
    private static final int SETUP_BYTES = 1024;

    private SyntheticBzImage() {
    }

    /** A bzImage with {@code code} at startup_64 and a protected-mode payload of {@code payload} bytes. */
    public static byte[] of(byte[] code, int payload) {
        ByteBuffer b = ByteBuffer.allocate(SETUP_BYTES + payload).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0x1F1, (byte) 1).putInt(0x1F4, payload / 16).putShort(0x1FE, (short) 0xAA55);
        b.put(0x200, (byte) 0xEB).put(0x201, (byte) 0x6A).putInt(0x202, 0x53726448).putShort(0x206, (short) 0x020F);
        b.put(0x211, (byte) 1).putInt(0x22C, 0x7FFF_FFFF).putInt(0x230, 0x20_0000).put(0x234, (byte) 1);
        b.putShort(0x236, (short) 3).putInt(0x238, 2047).putLong(0x258, 0x100_0000).putInt(0x260, 4 << 20);
        b.put(SETUP_BYTES + 0x200, code);
        return b.array();
    }
}

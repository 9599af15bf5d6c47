package dev.partita.devices.storage.disk.vhdx;

import dev.partita.vmbus.protocol.LittleEndian;

import java.util.UUID;

/**
 * GUIDs as VHDX stores them (the Microsoft GUID layout: Data1 u32, Data2 u16 and Data3 u16 little-endian,
 * then Data4's eight bytes in order), converted to and from {@link UUID}, whose string form matches the
 * spec's. Stateless; any thread.
 */
final class MsGuid {
    static final int SIZE = 16;

    private MsGuid() {
    }

    static UUID read(byte[] b, int at) {
        long data1 = Integer.toUnsignedLong(LittleEndian.u32(b, at));
        long data2 = LittleEndian.u16(b, at + 4);
        long data3 = LittleEndian.u16(b, at + 6);
        long low = 0;
        for (int i = 0; i < 8; i++) {
            low = (low << 8) | (b[at + 8 + i] & 0xFF);
        }
        return new UUID(data1 << 32 | data2 << 16 | data3, low);
    }

    static void write(byte[] b, int at, UUID guid) {
        long high = guid.getMostSignificantBits();
        LittleEndian.put32(b, at, (int) (high >>> 32));
        LittleEndian.put16(b, at + 4, (int) (high >>> 16));
        LittleEndian.put16(b, at + 6, (int) high);
        long low = guid.getLeastSignificantBits();
        for (int i = 0; i < 8; i++) {
            b[at + 8 + i] = (byte) (low >>> (56 - 8 * i));
        }
    }

    static boolean isZero(UUID guid) {
        return guid.getMostSignificantBits() == 0 && guid.getLeastSignificantBits() == 0;
    }

    static final UUID ZERO = new UUID(0, 0);
}

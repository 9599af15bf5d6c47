package dev.partita.devices.storage.disk.vhdx;

import dev.partita.vmbus.protocol.LittleEndian;

import java.util.UUID;

/**
 * One of the two VHDX headers (4 KiB, CRC-32C protected). The current header is the valid one with the
 * higher sequence number; an update writes the other copy with a higher number.
 *
 * @param sequence      orders the two copies
 * @param fileWriteGuid changed before the first write to the file in a session
 * @param dataWriteGuid changed before the first change of what the virtual disk reads; a differencing
 *                      child records its parent's value
 * @param logGuid       zero when the log holds nothing to replay; log entries carry this value
 * @param logVersion    0
 * @param version       1
 * @param logLength     bytes, a multiple of 1 MiB
 * @param logOffset     file offset of the log, a multiple of 1 MiB
 */
record VhdxHeader(long sequence, UUID fileWriteGuid, UUID dataWriteGuid, UUID logGuid,
                  int logVersion, int version, long logLength, long logOffset) {

    /** The header in {@code b} (one 4 KiB block), or null if its signature, checksum or version is wrong. */
    static VhdxHeader parseOrNull(byte[] b) {
        if (b.length < VhdxLayout.HEADER_SIZE
                || LittleEndian.u32(b, 0) != VhdxLayout.HEADER_SIGNATURE
                || !Crc32cField.valid(b, 0, VhdxLayout.HEADER_SIZE, 4)) {
            return null;
        }
        VhdxHeader h = new VhdxHeader(LittleEndian.u64(b, 8), MsGuid.read(b, 16), MsGuid.read(b, 32), MsGuid.read(b, 48),
                LittleEndian.u16(b, 64), LittleEndian.u16(b, 66),
                Integer.toUnsignedLong(LittleEndian.u32(b, 68)), LittleEndian.u64(b, 72));
        return h.version == 1 ? h : null;
    }

    byte[] encode() {
        byte[] b = new byte[VhdxLayout.HEADER_SIZE];
        LittleEndian.put32(b, 0, VhdxLayout.HEADER_SIGNATURE);
        LittleEndian.put64(b, 8, sequence);
        MsGuid.write(b, 16, fileWriteGuid);
        MsGuid.write(b, 32, dataWriteGuid);
        MsGuid.write(b, 48, logGuid);
        LittleEndian.put16(b, 64, logVersion);
        LittleEndian.put16(b, 66, version);
        LittleEndian.put32(b, 68, (int) logLength);
        LittleEndian.put64(b, 72, logOffset);
        Crc32cField.seal(b, 0, VhdxLayout.HEADER_SIZE, 4);
        return b;
    }

    VhdxHeader next(UUID fileWrite, UUID dataWrite, UUID log) {
        return new VhdxHeader(sequence + 1, fileWrite, dataWrite, log, logVersion, version, logLength, logOffset);
    }
}

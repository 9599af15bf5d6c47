package dev.partita.devices.storage.disk.vhdx;

import dev.partita.vmbus.protocol.LittleEndian;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A log entry: a header (64 bytes), descriptors (32 bytes each, filling the rest of the first 4 KiB sector
 * and further sectors), then one 4 KiB data sector per data descriptor. A data sector keeps bytes 8-4091 of
 * the target sector between its own signature and sequence halves; bytes 0-7 and 4092-4095 live in the
 * descriptor. The CRC-32C covers the whole entry.
 *
 * @param sequence          entry sequence number, never 0; consecutive entries count up by one
 * @param tail              log offset of the first entry of the sequence this entry ends
 * @param flushedFileOffset file size when the entry was written
 * @param lastFileOffset    end of the file's allocated structures when the entry was written
 * @param logGuid           the header's log GUID when the entry was written
 * @param descriptors       the changes
 */
record LogEntry(long sequence, long tail, long flushedFileOffset, long lastFileOffset, UUID logGuid,
                List<LogDescriptor> descriptors) {
    static final int HEADER_SIZE = 64;
    static final int DESCRIPTOR_SIZE = 32;

    LogEntry {
        descriptors = List.copyOf(descriptors);
    }

    /** 4 KiB sectors holding the header and {@code count} descriptors. */
    static long descriptorSectors(long count) {
        return (count + 2 + 127) / 128;
    }

    int dataSectors() {
        int n = 0;
        for (LogDescriptor d : descriptors) {
            if (d instanceof LogDescriptor.DataSector) {
                n++;
            }
        }
        return n;
    }

    int length() {
        return (int) ((descriptorSectors(descriptors.size()) + dataSectors()) * VhdxLayout.LOG_SECTOR);
    }

    byte[] encode() {
        byte[] b = new byte[length()];
        LittleEndian.put32(b, 0, VhdxLayout.LOG_ENTRY_SIGNATURE);
        LittleEndian.put32(b, 8, b.length);
        LittleEndian.put32(b, 12, (int) tail);
        LittleEndian.put64(b, 16, sequence);
        LittleEndian.put32(b, 24, descriptors.size());
        MsGuid.write(b, 32, logGuid);
        LittleEndian.put64(b, 48, flushedFileOffset);
        LittleEndian.put64(b, 56, lastFileOffset);
        int data = (int) (descriptorSectors(descriptors.size()) * VhdxLayout.LOG_SECTOR);
        int at = HEADER_SIZE;
        for (LogDescriptor d : descriptors) {
            switch (d) {
                case LogDescriptor.DataSector s -> {
                    LittleEndian.put32(b, at, VhdxLayout.DATA_DESCRIPTOR_SIGNATURE);
                    LittleEndian.put32(b, at + 4, LittleEndian.u32(s.data(), 4092));
                    LittleEndian.put64(b, at + 8, LittleEndian.u64(s.data(), 0));
                    LittleEndian.put32(b, data, VhdxLayout.DATA_SECTOR_SIGNATURE);
                    LittleEndian.put32(b, data + 4, (int) (sequence >>> 32));
                    System.arraycopy(s.data(), 8, b, data + 8, 4084);
                    LittleEndian.put32(b, data + 4092, (int) sequence);
                    data += VhdxLayout.LOG_SECTOR;
                }
                case LogDescriptor.ZeroRange z -> {
                    LittleEndian.put32(b, at, VhdxLayout.ZERO_DESCRIPTOR_SIGNATURE);
                    LittleEndian.put64(b, at + 8, z.length());
                }
            }
            LittleEndian.put64(b, at + 16, d.fileOffset());
            LittleEndian.put64(b, at + 24, sequence);
            at += DESCRIPTOR_SIZE;
        }
        Crc32cField.seal(b, 0, b.length, 4);
        return b;
    }

    /**
     * Decodes the entry starting at {@code position} of the circular log {@code log} (an entry may wrap
     * past the end); null when no valid entry of log {@code guid} starts there.
     */
    static LogEntry decodeOrNull(byte[] log, int position, UUID guid) {
        int n = log.length;
        if (position % VhdxLayout.LOG_SECTOR != 0 || position + HEADER_SIZE > n) {
            return null;
        }
        if (LittleEndian.u32(log, position) != VhdxLayout.LOG_ENTRY_SIGNATURE) {
            return null;
        }
        long length = Integer.toUnsignedLong(LittleEndian.u32(log, position + 8));
        long sequence = LittleEndian.u64(log, position + 16);
        long count = Integer.toUnsignedLong(LittleEndian.u32(log, position + 24));
        if (length == 0 || length % VhdxLayout.LOG_SECTOR != 0 || length > n || sequence == 0
                || !MsGuid.read(log, position + 32).equals(guid)
                || descriptorSectors(count) * VhdxLayout.LOG_SECTOR > length) {
            return null;
        }
        byte[] e = new byte[(int) length];
        int first = Math.min((int) length, n - position);
        System.arraycopy(log, position, e, 0, first);
        System.arraycopy(log, 0, e, first, (int) length - first);
        if (!Crc32cField.valid(e, 0, e.length, 4)) {
            return null;
        }
        int data = (int) (descriptorSectors(count) * VhdxLayout.LOG_SECTOR);
        List<LogDescriptor> descriptors = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int at = HEADER_SIZE + i * DESCRIPTOR_SIZE;
            int sig = LittleEndian.u32(e, at);
            long fileOffset = LittleEndian.u64(e, at + 16);
            if (LittleEndian.u64(e, at + 24) != sequence || fileOffset % VhdxLayout.LOG_SECTOR != 0 || fileOffset < 0) {
                return null;
            }
            if (sig == VhdxLayout.ZERO_DESCRIPTOR_SIGNATURE) {
                long zeros = LittleEndian.u64(e, at + 8);
                if (zeros % VhdxLayout.LOG_SECTOR != 0 || zeros < 0 || fileOffset > Long.MAX_VALUE - zeros) {
                    return null;
                }
                descriptors.add(new LogDescriptor.ZeroRange(fileOffset, zeros));
            } else if (sig == VhdxLayout.DATA_DESCRIPTOR_SIGNATURE) {
                if (data + VhdxLayout.LOG_SECTOR > e.length
                        || LittleEndian.u32(e, data) != VhdxLayout.DATA_SECTOR_SIGNATURE
                        || LittleEndian.u32(e, data + 4) != (int) (sequence >>> 32)
                        || LittleEndian.u32(e, data + 4092) != (int) sequence) {
                    return null;
                }
                byte[] sector = new byte[VhdxLayout.LOG_SECTOR];
                LittleEndian.put64(sector, 0, LittleEndian.u64(e, at + 8));
                System.arraycopy(e, data + 8, sector, 8, 4084);
                LittleEndian.put32(sector, 4092, LittleEndian.u32(e, at + 4));
                descriptors.add(new LogDescriptor.DataSector(fileOffset, sector));
                data += VhdxLayout.LOG_SECTOR;
            } else {
                return null;
            }
        }
        return new LogEntry(sequence, Integer.toUnsignedLong(LittleEndian.u32(e, 12)), LittleEndian.u64(e, 48),
                LittleEndian.u64(e, 56), guid, descriptors);
    }
}

package dev.partita.devices.storage;

import dev.partita.hv.memory.GuestMemory;

import java.util.ArrayList;
import java.util.List;

/**
 * One range of a GPA-direct packet ({@code struct hv_mpb_array}): byte count u32, byte offset u32
 * into the first page, then {@code ceil((offset + count) / 4096)} page frame numbers (u64).
 */
public record GpaRange(int byteCount, int byteOffset, long[] pfns) {
    /** Offset of the range count in the packet (after the 16-byte descriptor and a reserved u32). */
    public static final int RANGE_COUNT_OFFSET = 20;
    /** Offset of the first range. */
    public static final int FIRST_RANGE_OFFSET = 24;
    /** Ranges per packet this VSP accepts (Linux sends one). */
    public static final int MAX_RANGES = 64;

    /** Page frames a range of {@code count} bytes at {@code offset} spans. */
    public static long pagesSpanned(long offset, long count) {
        return (offset + count + GuestMemory.PAGE_SIZE - 1) / GuestMemory.PAGE_SIZE;
    }

    /**
     * Parses the ranges of a GPA-direct packet held whole in {@code packet} (descriptor at 0, data
     * at {@code dataOffset}). Every value is checked: the range list must end at or before the data
     * offset, each offset must lie in the first page, each count must be positive and the PFN count
     * must match the span.
     */
    public static List<GpaRange> parse(byte[] packet, int dataOffset) throws StorageProtocolException {
        if (dataOffset < FIRST_RANGE_OFFSET || dataOffset > packet.length) {
            throw new StorageProtocolException(StorageProtocolException.Reason.BAD_RANGES, "GPA-direct packet with data offset " + dataOffset + " has no room for ranges");
        }
        long count = Integer.toUnsignedLong(VstorPacket.u32(packet, RANGE_COUNT_OFFSET));
        if (count == 0 || count > MAX_RANGES) {
            throw new StorageProtocolException(StorageProtocolException.Reason.BAD_RANGES, "GPA-direct packet with " + count + " ranges (1.." + MAX_RANGES + " accepted)");
        }
        List<GpaRange> out = new ArrayList<>((int) count);
        int at = FIRST_RANGE_OFFSET;
        for (int r = 0; r < count; r++) {
            if (at + 8 > dataOffset) {
                throw new StorageProtocolException(StorageProtocolException.Reason.BAD_RANGES, "range " + r + " header overruns the range area ending at " + dataOffset);
            }
            long bytes = Integer.toUnsignedLong(VstorPacket.u32(packet, at));
            long offset = Integer.toUnsignedLong(VstorPacket.u32(packet, at + 4));
            if (bytes == 0 || offset >= GuestMemory.PAGE_SIZE) {
                throw new StorageProtocolException(StorageProtocolException.Reason.BAD_RANGES, "range " + r + ": byte count " + bytes + ", offset " + offset
                        + " (count must be positive, offset inside the first page)");
            }
            long pages = pagesSpanned(offset, bytes);
            at += 8;
            if (pages > (dataOffset - at) / 8) {
                throw new StorageProtocolException(StorageProtocolException.Reason.BAD_RANGES, "range " + r + " needs " + pages + " PFNs but the range area holds "
                        + (dataOffset - at) / 8);
            }
            long[] pfns = new long[(int) pages];
            for (int i = 0; i < pfns.length; i++) {
                pfns[i] = VstorPacket.u64(packet, at);
                at += 8;
            }
            out.add(new GpaRange((int) bytes, (int) offset, pfns));
        }
        return out;
    }
}

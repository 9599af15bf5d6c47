package dev.partita.vmbus.ring;

import dev.partita.vmbus.protocol.LittleEndian;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One range of a GPA-direct packet ({@code VM_PKT_DATA_USING_GPA_DIRECT}, {@code struct hv_mpb_array}
 * in Linux): {@code byteCount} bytes starting {@code byteOffset} bytes into the first of {@code pfns},
 * which lists every 4 KiB guest page frame the range spans, in order.
 *
 * <p>The wire form of a packet's range list, which this class both writes ({@link #writeList}) and
 * parses ({@link #parseList}), follows the 16-byte packet descriptor: a reserved u32, the range count
 * u32, then each range as byte count u32, byte offset u32 and its PFNs (u64 each), all little-endian.
 * The packet's data offset points past the list.
 *
 * <p>Immutable (the PFN array is copied in and out); safe to share between threads.
 *
 * @param byteCount  bytes in the range, positive
 * @param byteOffset offset into the first page, {@code 0..4095}
 * @param pfns       exactly {@code ceil((byteOffset + byteCount) / 4096)} page frame numbers
 */
public record GpaDirectRange(int byteCount, int byteOffset, long[] pfns) {
    private static final long PAGE_SIZE = 4096;
    /** Offset of the range list (the reserved u32) from the start of the packet descriptor. */
    public static final int LIST_OFFSET = 16;
    /** Offset of the range count from the start of the packet descriptor. */
    public static final int RANGE_COUNT_OFFSET = LIST_OFFSET + 4;
    /** Offset of the first range from the start of the packet descriptor. */
    public static final int FIRST_RANGE_OFFSET = LIST_OFFSET + 8;

    /**
     * @throws IllegalArgumentException when the count is not positive, the offset lies outside the
     *                                  first page or the PFN count does not match the span
     */
    public GpaDirectRange {
        if (byteCount <= 0 || byteOffset < 0 || byteOffset >= PAGE_SIZE) {
            throw new IllegalArgumentException("GPA-direct range of " + byteCount + " bytes at offset " + byteOffset
                    + " (count must be positive, offset inside the first page)");
        }
        long pages = pagesSpanned(byteOffset, byteCount);
        if (pfns.length != pages) {
            throw new IllegalArgumentException("GPA-direct range of " + byteCount + " bytes at offset " + byteOffset
                    + " spans " + pages + " pages but " + pfns.length + " PFNs were given");
        }
        pfns = pfns.clone();
    }

    /** A range over {@code byteCount} bytes of guest-physically contiguous memory at {@code gpa}. */
    public static GpaDirectRange contiguous(long gpa, int byteCount) {
        if (gpa < 0) {
            throw new IllegalArgumentException("GPA-direct range at negative address 0x" + Long.toHexString(gpa));
        }
        int offset = (int) (gpa % PAGE_SIZE);
        long first = gpa / PAGE_SIZE;
        long[] pfns = new long[(int) Math.max(0, pagesSpanned(offset, byteCount))];
        for (int i = 0; i < pfns.length; i++) {
            pfns[i] = first + i;
        }
        return new GpaDirectRange(byteCount, offset, pfns);
    }

    /** Page frames a range of {@code count} bytes at {@code offset} into its first page spans. */
    public static long pagesSpanned(long offset, long count) {
        return (offset + count + PAGE_SIZE - 1) / PAGE_SIZE;
    }

    /** A copy of the page frame numbers. */
    @Override
    public long[] pfns() {
        return pfns.clone();
    }

    /** The number of page frames (without copying them). */
    public int pfnCount() {
        return pfns.length;
    }

    /** Page frame number {@code i} (without copying the array). */
    public long pfn(int i) {
        return pfns[i];
    }

    /** Bytes this range takes in the packet: byte count u32, byte offset u32, then the PFNs. */
    public int wireSize() {
        return 8 + 8 * pfns.length;
    }

    /** Bytes the range list of {@code ranges} takes: reserved u32, count u32, then each range. */
    public static long listWireSize(List<GpaDirectRange> ranges) {
        long size = 8;
        for (GpaDirectRange r : ranges) {
            size += r.wireSize();
        }
        return size;
    }

    /**
     * Writes the range list of {@code ranges} (reserved u32 zero, count, each range) at {@code at};
     * returns the offset after it. The array must hold {@link #listWireSize} bytes from {@code at}.
     */
    public static int writeList(byte[] b, int at, List<GpaDirectRange> ranges) {
        LittleEndian.put32(b, at, 0);
        LittleEndian.put32(b, at + 4, ranges.size());
        at += 8;
        for (GpaDirectRange r : ranges) {
            LittleEndian.put32(b, at, r.byteCount);
            LittleEndian.put32(b, at + 4, r.byteOffset);
            at += 8;
            for (long pfn : r.pfns) {
                LittleEndian.put64(b, at, pfn);
                at += 8;
            }
        }
        return at;
    }

    /**
     * Parses the range list of a GPA-direct packet held whole in {@code packet} (descriptor at 0,
     * data at {@code dataOffset}). Every guest value is checked before use: the list must end at or
     * before the data offset, hold 1 to {@code maxRanges} ranges, each with a positive count, an
     * offset inside the first page and as many PFNs as its span needs.
     *
     * @throws MalformedRangeListException when any of those checks fails (the packet is refused;
     *                                     the channel itself is not at fault)
     */
    public static List<GpaDirectRange> parseList(byte[] packet, int dataOffset, int maxRanges)
            throws MalformedRangeListException {
        if (dataOffset < FIRST_RANGE_OFFSET || dataOffset > packet.length) {
            throw new MalformedRangeListException("GPA-direct packet with data offset " + dataOffset + " has no room for ranges");
        }
        long count = Integer.toUnsignedLong(LittleEndian.u32(packet, RANGE_COUNT_OFFSET));
        if (count == 0 || count > maxRanges) {
            throw new MalformedRangeListException("GPA-direct packet with " + count + " ranges (1.." + maxRanges + " accepted)");
        }
        List<GpaDirectRange> out = new ArrayList<>((int) count);
        int at = FIRST_RANGE_OFFSET;
        for (int r = 0; r < count; r++) {
            if (at + 8 > dataOffset) {
                throw new MalformedRangeListException("range " + r + " header overruns the range area ending at " + dataOffset);
            }
            long bytes = Integer.toUnsignedLong(LittleEndian.u32(packet, at));
            long offset = Integer.toUnsignedLong(LittleEndian.u32(packet, at + 4));
            if (bytes == 0 || bytes > Integer.MAX_VALUE || offset >= PAGE_SIZE) {
                throw new MalformedRangeListException("range " + r + ": byte count " + bytes + ", offset " + offset
                        + " (count must be positive, offset inside the first page)");
            }
            long pages = pagesSpanned(offset, bytes);
            at += 8;
            if (pages > (dataOffset - at) / 8) {
                throw new MalformedRangeListException("range " + r + " needs " + pages + " PFNs but the range area holds "
                        + (dataOffset - at) / 8);
            }
            long[] pfns = new long[(int) pages];
            for (int i = 0; i < pfns.length; i++) {
                pfns[i] = LittleEndian.u64(packet, at);
                at += 8;
            }
            out.add(new GpaDirectRange((int) bytes, (int) offset, pfns));
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GpaDirectRange r && r.byteCount == byteCount && r.byteOffset == byteOffset
                && Arrays.equals(r.pfns, pfns);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * byteCount + byteOffset) + Arrays.hashCode(pfns);
    }

    @Override
    public String toString() {
        return "GpaDirectRange[byteCount=" + byteCount + ", byteOffset=" + byteOffset + ", pfns="
                + Arrays.toString(pfns) + "]";
    }
}

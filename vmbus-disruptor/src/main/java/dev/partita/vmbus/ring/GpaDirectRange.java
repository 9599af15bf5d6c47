package dev.partita.vmbus.ring;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * One range of a GPA-direct packet ({@code struct hv_mpb_array} in Linux): {@code byteCount} bytes
 * starting {@code byteOffset} bytes into the first of {@code pfns}, which lists every 4 KiB guest
 * page frame the range spans, in order.
 *
 * <p>The range list of a GPA-direct packet (type 9) follows the 16-byte descriptor: a reserved
 * u32, the range count u32, then each range (byte count u32, byte offset u32, PFNs u64). This
 * class writes it ({@link #writeList}) for the VSC client and parses it ({@link #parseList}) for
 * the ring reader, which hands devices the parsed ranges.
 *
 * <p>Immutable (the PFN array is copied in and out); safe to share between threads.
 *
 * @param byteCount  bytes in the range, positive
 * @param byteOffset offset into the first page, {@code 0..4095}
 * @param pfns       exactly {@code ceil((byteOffset + byteCount) / 4096)} page frame numbers
 */
public record GpaDirectRange(int byteCount, int byteOffset, long[] pfns) {
    private static final long PAGE_SIZE = 4096;
    private static final VarHandle U32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle U64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** Offset of the range count in the packet (after the descriptor and a reserved u32). */
    public static final int RANGE_COUNT_OFFSET = 20;
    /** Offset of the first range in the packet. */
    public static final int FIRST_RANGE_OFFSET = 24;

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

    /** Page frames the range spans. */
    public int pageCount() {
        return pfns.length;
    }

    /** Page frame {@code i} ({@code 0 <= i < pageCount()}), without copying the array. */
    public long pfn(int i) {
        return pfns[i];
    }

    /** A copy of the page frame numbers. */
    @Override
    public long[] pfns() {
        return pfns.clone();
    }

    /** Bytes this range takes in the packet: byte count u32, byte offset u32, then the PFNs. */
    private int wireSize() {
        return 8 + 8 * pfns.length;
    }

    /** Bytes of the range list of {@code ranges}: the reserved u32, the count u32 and every range. */
    public static long listWireSize(List<GpaDirectRange> ranges) {
        long wire = 8;
        for (GpaDirectRange r : ranges) {
            wire += r.wireSize();
        }
        return wire;
    }

    /**
     * Writes the range list of {@code ranges} at the start of {@code area} (which must hold
     * {@link #listWireSize} bytes); returns the bytes written.
     */
    public static int writeList(List<GpaDirectRange> ranges, byte[] area) {
        U32.set(area, 0, 0);
        U32.set(area, 4, ranges.size());
        int at = 8;
        for (GpaDirectRange r : ranges) {
            U32.set(area, at, r.byteCount);
            U32.set(area, at + 4, r.byteOffset);
            at += 8;
            for (long pfn : r.pfns) {
                U64.set(area, at, pfn);
                at += 8;
            }
        }
        return at;
    }

    /**
     * Parses the range list of a GPA-direct packet held whole in {@code packet} (descriptor at 0,
     * payload at {@code dataOffset}). Every value is checked: at least one range, each range's
     * header and PFNs before the data offset, each count positive, each offset inside the first
     * page, the PFN count implied by offset and count. PFNs are not checked against guest RAM here
     * (the device does that when it maps them).
     *
     * @throws IllegalArgumentException naming the first inconsistency
     */
    public static List<GpaDirectRange> parseList(byte[] packet, int dataOffset) {
        if (dataOffset < FIRST_RANGE_OFFSET || dataOffset > packet.length) {
            throw new IllegalArgumentException("GPA-direct packet with data offset " + dataOffset + " has no room for ranges");
        }
        long count = Integer.toUnsignedLong((int) U32.get(packet, RANGE_COUNT_OFFSET));
        if (count == 0 || count > (dataOffset - FIRST_RANGE_OFFSET) / 16) {
            throw new IllegalArgumentException("GPA-direct packet with " + count + " ranges in a "
                    + (dataOffset - FIRST_RANGE_OFFSET) + "-byte range area");
        }
        List<GpaDirectRange> out = new ArrayList<>((int) count);
        int at = FIRST_RANGE_OFFSET;
        for (int r = 0; r < count; r++) {
            if (at + 8 > dataOffset) {
                throw new IllegalArgumentException("range " + r + " header overruns the range area ending at " + dataOffset);
            }
            long bytes = Integer.toUnsignedLong((int) U32.get(packet, at));
            long offset = Integer.toUnsignedLong((int) U32.get(packet, at + 4));
            at += 8;
            if (bytes == 0 || bytes > Integer.MAX_VALUE || offset >= PAGE_SIZE) {
                throw new IllegalArgumentException("range " + r + ": byte count " + bytes + ", offset " + offset
                        + " (count must be positive, offset inside the first page)");
            }
            long pages = pagesSpanned(offset, bytes);
            if (pages > (dataOffset - at) / 8) {
                throw new IllegalArgumentException("range " + r + " needs " + pages + " PFNs but the range area holds "
                        + (dataOffset - at) / 8);
            }
            long[] pfns = new long[(int) pages];
            for (int i = 0; i < pfns.length; i++) {
                pfns[i] = (long) U64.get(packet, at);
                at += 8;
            }
            out.add(new GpaDirectRange((int) bytes, (int) offset, pfns));
        }
        return List.copyOf(out);
    }

    /** Page frames a range of {@code count} bytes at {@code offset} into its first page spans. */
    public static long pagesSpanned(long offset, long count) {
        return (offset + count + PAGE_SIZE - 1) / PAGE_SIZE;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GpaDirectRange r && r.byteCount == byteCount && r.byteOffset == byteOffset
                && java.util.Arrays.equals(r.pfns, pfns);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * byteCount + byteOffset) + java.util.Arrays.hashCode(pfns);
    }

    @Override
    public String toString() {
        return "GpaDirectRange[byteCount=" + byteCount + ", byteOffset=" + byteOffset + ", pfns="
                + java.util.Arrays.toString(pfns) + "]";
    }
}

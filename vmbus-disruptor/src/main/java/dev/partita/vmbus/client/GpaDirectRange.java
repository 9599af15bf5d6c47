package dev.partita.vmbus.client;

/**
 * One range of a GPA-direct packet ({@code struct hv_mpb_array} in Linux): {@code byteCount} bytes
 * starting {@code byteOffset} bytes into the first of {@code pfns}, which lists every 4 KiB guest
 * page frame the range spans, in order.
 *
 * <p>Immutable (the PFN array is copied in and out); safe to share between threads.
 *
 * @param byteCount  bytes in the range, positive
 * @param byteOffset offset into the first page, {@code 0..4095}
 * @param pfns       exactly {@code ceil((byteOffset + byteCount) / 4096)} page frame numbers
 */
public record GpaDirectRange(int byteCount, int byteOffset, long[] pfns) {
    private static final long PAGE_SIZE = 4096;

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

    /** A copy of the page frame numbers. */
    @Override
    public long[] pfns() {
        return pfns.clone();
    }

    /** Bytes this range takes in the packet: byte count u32, byte offset u32, then the PFNs. */
    int wireSize() {
        return 8 + 8 * pfns.length;
    }

    /** Writes the range's wire form little-endian at {@code at}; returns the offset after it. */
    int writeTo(byte[] b, int at) {
        ClientChannel.putLe(b, at, byteCount, 4);
        ClientChannel.putLe(b, at + 4, byteOffset, 4);
        at += 8;
        for (long pfn : pfns) {
            ClientChannel.putLe(b, at, pfn, 8);
            at += 8;
        }
        return at;
    }

    private static long pagesSpanned(long offset, long count) {
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

package dev.partita.vmbus.gpadl;

import java.util.List;

/**
 * A guest physical address descriptor list the guest established: its id, the channel it was
 * created for, and its ranges. Every PFN was checked to name a page of guest RAM.
 */
public record Gpadl(int id, int childRelid, List<GpadlRange> ranges) {

    /** One range: {@code byteCount} bytes starting {@code byteOffset} into the first of {@code pfns}. */
    public record GpadlRange(int byteCount, int byteOffset, long[] pfns) {
    }

    /** All PFNs of all ranges in order (a ring GPADL is one range starting at offset 0). */
    public long[] allPfns() {
        return ranges.stream().flatMapToLong(r -> java.util.Arrays.stream(r.pfns())).toArray();
    }

    public int pageCount() {
        return ranges.stream().mapToInt(r -> r.pfns().length).sum();
    }
}

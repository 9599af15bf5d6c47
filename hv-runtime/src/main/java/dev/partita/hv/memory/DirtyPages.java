package dev.partita.hv.memory;

import java.util.List;
import java.util.function.LongConsumer;

/**
 * The pages written since the previous collection, one bitmap per region
 * (bit {@code n} of word {@code n / 64} = page {@code n} of that region). Immutable once returned.
 */
public final class DirtyPages {
    private final List<RamRegion> regions;
    private final long[][] bitmaps;

    DirtyPages(List<RamRegion> regions, long[][] bitmaps) {
        this.regions = regions;
        this.bitmaps = bitmaps;
    }

    /** Number of dirty pages over all regions. */
    public long count() {
        long n = 0;
        for (long[] map : bitmaps) {
            for (long w : map) {
                n += Long.bitCount(w);
            }
        }
        return n;
    }

    /** Whether the page containing {@code gpa} is dirty; false outside RAM. */
    public boolean isDirty(long gpa) {
        for (int r = 0; r < regions.size(); r++) {
            RamRegion region = regions.get(r);
            if (region.contains(gpa, 1)) {
                long page = (gpa - region.gpa()) / GuestMemory.PAGE_SIZE;
                return (bitmaps[r][(int) (page >>> 6)] & (1L << (page & 63))) != 0;
            }
        }
        return false;
    }

    /** Calls {@code action} with the guest-physical address of every dirty page, ascending per region. */
    public void forEach(LongConsumer action) {
        for (int r = 0; r < regions.size(); r++) {
            long[] map = bitmaps[r];
            for (int w = 0; w < map.length; w++) {
                long word = map[w];
                while (word != 0) {
                    int bit = Long.numberOfTrailingZeros(word);
                    word &= word - 1;
                    action.accept(regions.get(r).gpa() + ((long) w * 64 + bit) * GuestMemory.PAGE_SIZE);
                }
            }
        }
    }
}

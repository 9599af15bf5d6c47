package dev.partita.vmbus.ring;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** A ring data area scattered over guest pages (one 4 KiB segment per page); copies split at page edges. */
public record PagedRingData(MemorySegment[] pages) implements RingData {
    private static final int PAGE = 4096;
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED;

    @Override
    public int size() {
        return pages.length * PAGE;
    }

    @Override
    public void read(int at, byte[] dst, int off, int len) {
        while (len > 0) {
            int inPage = at & (PAGE - 1);
            int n = Math.min(len, PAGE - inPage);
            MemorySegment.copy(pages[at >>> 12], ValueLayout.JAVA_BYTE, inPage, dst, off, n);
            at += n;
            off += n;
            len -= n;
        }
    }

    @Override
    public void write(int at, byte[] src, int off, int len) {
        while (len > 0) {
            int inPage = at & (PAGE - 1);
            int n = Math.min(len, PAGE - inPage);
            MemorySegment.copy(src, off, pages[at >>> 12], ValueLayout.JAVA_BYTE, inPage, n);
            at += n;
            off += n;
            len -= n;
        }
    }

    @Override
    public long getLong(int at) {
        return pages[at >>> 12].get(U64, at & (PAGE - 1));
    }

    @Override
    public void putLong(int at, long value) {
        pages[at >>> 12].set(U64, at & (PAGE - 1), value);
    }
}

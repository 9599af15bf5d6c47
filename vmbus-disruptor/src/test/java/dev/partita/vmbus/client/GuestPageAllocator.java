package dev.partita.vmbus.client;

import dev.partita.hv.memory.GuestMemory;

/** Hands out page-aligned guest-physical ranges from a fixed window, bump-style (tests and benchmarks). Thread-safe. */
public final class GuestPageAllocator {
    private final long limit;
    private long next;

    public GuestPageAllocator(long base, long limit) {
        if ((base & 0xFFF) != 0 || base < 0 || limit < base) {
            throw new IllegalArgumentException("window 0x" + Long.toHexString(base) + "-0x" + Long.toHexString(limit));
        }
        this.next = base;
        this.limit = limit;
    }

    /** GPA of {@code pages} fresh contiguous pages. */
    public synchronized long allocate(int pages) {
        long bytes = (long) pages * GuestMemory.PAGE_SIZE;
        if (pages <= 0 || next + bytes > limit) {
            throw new IllegalStateException("guest page window exhausted (" + pages + " pages wanted)");
        }
        long gpa = next;
        next += bytes;
        return gpa;
    }
}

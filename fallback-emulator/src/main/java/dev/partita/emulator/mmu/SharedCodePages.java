package dev.partita.emulator.mmu;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Which guest-physical pages hold code that some vCPU of the partition has decoded, shared by the
 * {@link PhysicalMemory} views of all its vCPUs, so that a write by one vCPU invalidates what the
 * others decoded from that page (cross-modifying code). The writer's own cache is told at once;
 * the others get the page in their queue and drop it at their next slice boundary
 * ({@link PhysicalMemory#drainCodeInvalidations()}), which comes before they take an interrupt —
 * the IPI that software sends after patching code.
 *
 * <p>Limitation: a vCPU that still holds a fast write translation to a page when another vCPU
 * marks it (decodes from it for the first time) can write it unnoticed until its next slice
 * boundary, where {@link #markEpoch()} makes it drop its write translations.
 *
 * <p>Thread-safe: bits are atomic, membership is copy-on-write.
 */
public final class SharedCodePages {

    private final long limit;
    private final AtomicLongArray bits;
    private final AtomicInteger epoch = new AtomicInteger();
    private final CopyOnWriteArrayList<PhysicalMemory> members = new CopyOnWriteArrayList<>();

    /** Tracks pages below {@code limitBytes} (the end of guest RAM). */
    public SharedCodePages(long limitBytes) {
        if (limitBytes < 0 || (limitBytes >>> 12) > Integer.MAX_VALUE * 32L) {
            throw new IllegalArgumentException("code-page tracking limit out of range: " + limitBytes);
        }
        this.limit = limitBytes;
        this.bits = new AtomicLongArray((int) (((limitBytes >>> 12) + 63) >>> 6));
    }

    /** The first address not tracked. */
    public long limit() {
        return limit;
    }

    void join(PhysicalMemory member) {
        members.addIfAbsent(member);
    }

    void leave(PhysicalMemory member) {
        members.remove(member);
    }

    /** Marks the page holding {@code gpa}; returns true when it was not marked before. */
    boolean mark(long gpa) {
        if (gpa < 0 || gpa >= limit) {
            return false;
        }
        long page = gpa >>> 12;
        int word = (int) (page >>> 6);
        long bit = 1L << page;
        long old = bits.getAndUpdate(word, w -> w | bit);
        if ((old & bit) == 0) {
            epoch.incrementAndGet();
            return true;
        }
        return false;
    }

    boolean isMarked(long gpa) {
        if (gpa < 0 || gpa >= limit) {
            return false;
        }
        long page = gpa >>> 12;
        return (bits.get((int) (page >>> 6)) & (1L << page)) != 0;
    }

    /**
     * A write by {@code writer} (null: the host) hit the page holding {@code gpa}: clears the mark and
     * invalidates every member's decoded code (the writer's at once, the others' at their next slice boundary).
     */
    void written(long gpa, PhysicalMemory writer) {
        long page = gpa >>> 12;
        int word = (int) (page >>> 6);
        long bit = 1L << page;
        long old = bits.getAndUpdate(word, w -> w & ~bit);
        if ((old & bit) == 0) {
            return;
        }
        long pageAddress = gpa & ~0xFFFL;
        for (PhysicalMemory m : members) {
            if (m == writer) {
                m.invalidateNow(pageAddress);
            } else {
                m.queueInvalidation(pageAddress);
            }
        }
    }

    /**
     * The host (not a vCPU: a device's DMA, the loader, the hypercall page) wrote
     * {@code [gpa, gpa + length)}: clears the marks of the pages touched that hold decoded code and
     * queues their invalidation for every member, which drops the stale decoded instructions at
     * its next slice boundary (before it takes an interrupt, so before a guest can learn of a
     * completed DMA). Call after the bytes are stored; any thread. Pages without decoded code cost
     * one word test per 64 pages.
     */
    public void hostWritten(long gpa, long length) {
        if (length <= 0 || gpa >= limit || gpa + length <= 0) {
            return;
        }
        long first = Math.max(0, gpa) >>> 12;
        long last = (Math.min(limit, gpa + length) - 1) >>> 12;
        for (long page = first; page <= last; page++) {
            long w = bits.get((int) (page >>> 6));
            if (w == 0) {
                page |= 63; // skip the rest of this unmarked word
                continue;
            }
            if ((w & (1L << page)) != 0) {
                written(page << 12, null);
            }
        }
    }

    /** Changes whenever a page becomes marked (members then drop their fast write translations). */
    int markEpoch() {
        return epoch.get();
    }
}

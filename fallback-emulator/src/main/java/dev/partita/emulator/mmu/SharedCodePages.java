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

    /** A write by {@code writer} hit the page holding {@code gpa}: clears the mark and invalidates every member's decoded code. */
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

    /** Changes whenever a page becomes marked (members then drop their fast write translations). */
    int markEpoch() {
        return epoch.get();
    }
}

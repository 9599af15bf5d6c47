package dev.partita.hv.memory;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One contiguous block of guest RAM: a host mapping ({@link #segment()}) that backs the
 * guest-physical range {@code [gpa, gpa + size)}. Owned by its {@link GuestMemory}, which unmaps
 * it on close; after that every access through {@link #segment()} throws
 * {@link IllegalStateException} instead of touching freed memory.
 *
 * <p>Backends use regions directly: KVM registers each one as a memory slot (slot number =
 * {@link #index()}), the emulator maps them into its TLB. Code that writes guest RAM through
 * {@link #segment()} instead of {@link GuestMemory} and wants those writes seen by dirty-page
 * tracking calls {@link #markDirty(long, long)}.
 *
 * <p>Thread safety: all methods may be called from any thread. The segment is plain shared memory
 * with no ordering beyond what the accessing code establishes; the dirty bitmap is updated with
 * atomic read-modify-write operations.
 */
public final class RamRegion {
    private final int index;
    private final long gpa;
    private final long size;
    private final MemorySegment segment;
    private final AtomicLongArray dirty;

    RamRegion(int index, long gpa, long size, MemorySegment segment) {
        this.index = index;
        this.gpa = gpa;
        this.size = size;
        this.segment = segment;
        this.dirty = new AtomicLongArray((int) ((pages() + 63) / 64));
    }

    /** Position of this region in {@link GuestMemory#regions()}; KVM uses it as the slot number. */
    public int index() {
        return index;
    }

    /** Guest-physical base address. */
    public long gpa() {
        return gpa;
    }

    /** Size in bytes, a multiple of {@link GuestMemory#PAGE_SIZE}. */
    public long size() {
        return size;
    }

    /** First guest-physical address after this region. */
    public long end() {
        return gpa + size;
    }

    /** Number of pages of {@link GuestMemory#PAGE_SIZE} bytes. */
    public long pages() {
        return size / GuestMemory.PAGE_SIZE;
    }

    /** Host address of the mapping (what KVM's {@code userspace_addr} takes). */
    public long hostAddress() {
        return segment.address();
    }

    /** The whole region as a segment; offset 0 is guest-physical {@link #gpa()}. */
    public MemorySegment segment() {
        return segment;
    }

    /** Whether {@code [gpa, gpa + length)} lies entirely inside this region. */
    public boolean contains(long gpa, long length) {
        return length >= 0 && gpa >= this.gpa && gpa - this.gpa <= size - length;
    }

    /**
     * Records a software write to {@code [offset, offset + length)} of this region in the dirty
     * bitmap. Offsets are region-relative and must be in range; any thread.
     */
    public void markDirty(long offset, long length) {
        if (length <= 0) {
            return;
        }
        long first = offset / GuestMemory.PAGE_SIZE;
        long last = (offset + length - 1) / GuestMemory.PAGE_SIZE;
        for (long page = first; page <= last; page++) {
            int word = (int) (page >>> 6);
            long bit = 1L << (page & 63);
            if ((dirty.get(word) & bit) == 0) {
                dirty.getAndAccumulate(word, bit, (w, b) -> w | b);
            }
        }
    }

    /** Moves the software dirty bits into {@code into} (OR) and clears them. */
    void drainSoftwareDirty(long[] into) {
        for (int i = 0; i < into.length; i++) {
            if (dirty.get(i) != 0) {
                into[i] |= dirty.getAndSet(i, 0);
            }
        }
    }

    @Override
    public String toString() {
        return "RamRegion[" + index + " gpa=0x" + Long.toHexString(gpa) + " size=0x" + Long.toHexString(size) + "]";
    }
}

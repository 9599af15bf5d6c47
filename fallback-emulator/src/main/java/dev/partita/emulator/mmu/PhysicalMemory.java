package dev.partita.emulator.mmu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * The guest-physical address space as the emulated CPU sees it: RAM regions backed by host
 * {@link MemorySegment}s (the same segments hv-runtime's guest memory maps, so every backend and
 * device sees the same bytes) and everything else sent to an {@link MmioHandler}. Also tracks which
 * RAM pages hold decoded code, so a write to such a page is reported to a {@link CodeWriteListener}
 * while writes to other pages cost one bitmap test.
 *
 * <p>Regions are added before the vCPU runs (not thread-safe against concurrent accesses). Accesses
 * are performed on the vCPU thread with plain (non-atomic, unordered) memory operations.
 */
public final class PhysicalMemory {

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED;

    private long[] starts = new long[0];
    private long[] ends = new long[0];
    private MemorySegment[] segments = new MemorySegment[0];
    private boolean[] readOnly = new boolean[0];
    private MmioHandler mmio = MmioHandler.UNASSIGNED;

    /** Pages holding decoded code (shared by the vCPUs of a partition, see {@link #shareCodePages}). */
    private SharedCodePages codePages = new SharedCodePages(0);
    private boolean codePagesShared;
    private final java.util.concurrent.ConcurrentLinkedQueue<Long> pendingInvalidations =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    private volatile boolean invalidationsPending;
    private CodeWriteListener codeListener = page -> { };
    private volatile WriteObserver writeObserver;
    private volatile int writeObserverEpoch;

    /** Sees every guest write to RAM while installed (dirty-page logging). Called on the vCPU thread. */
    @FunctionalInterface
    public interface WriteObserver {
        /** {@code size} bytes were written at {@code offset} of RAM region {@code region} (index in add order). */
        void written(int region, long offset, int size);
    }
    private java.util.function.LongConsumer codeMarkedHook = page -> { };

    /** An empty physical address space (everything unassigned until {@link #addRam} and {@link #setMmioHandler}). */
    public PhysicalMemory() {
    }

    /**
     * Maps {@code segment} at guest physical address {@code gpa}. Both must be page aligned and the
     * range must not overlap an existing region.
     *
     * @throws IllegalArgumentException on misalignment or overlap
     */
    public void addRam(long gpa, MemorySegment segment, boolean isReadOnly) {
        long size = segment.byteSize();
        if ((gpa & 0xFFF) != 0 || (size & 0xFFF) != 0 || size == 0 || gpa < 0 || gpa + size < gpa) {
            throw new IllegalArgumentException("addRam: region at " + Long.toHexString(gpa) + " size "
                    + Long.toHexString(size) + " is not page aligned or is empty");
        }
        for (int i = 0; i < starts.length; i++) {
            if (gpa < ends[i] && starts[i] < gpa + size) {
                throw new IllegalArgumentException("addRam: region at " + Long.toHexString(gpa)
                        + " overlaps region at " + Long.toHexString(starts[i]));
            }
        }
        int n = starts.length;
        starts = Arrays.copyOf(starts, n + 1);
        ends = Arrays.copyOf(ends, n + 1);
        segments = Arrays.copyOf(segments, n + 1);
        readOnly = Arrays.copyOf(readOnly, n + 1);
        starts[n] = gpa;
        ends[n] = gpa + size;
        segments[n] = segment;
        readOnly[n] = isReadOnly;
        long limit = 0;
        for (long e : ends) {
            limit = Math.max(limit, e);
        }
        if (!codePagesShared && limit > codePages.limit()) {
            codePages = new SharedCodePages(limit);
            codePages.join(this);
        }
    }

    /**
     * Makes this view use the partition-wide code-page set (call once, after the RAM regions are
     * added, before the vCPU runs). Views of one partition must share one set.
     */
    public void shareCodePages(SharedCodePages shared) {
        codePages.leave(this);
        codePages = shared;
        codePagesShared = true;
        shared.join(this);
    }

    /** The code-page set in use. */
    public SharedCodePages codePages() {
        return codePages;
    }

    /** Drops this view from its code-page set (the vCPU is closed). */
    public void leaveCodePages() {
        codePages.leave(this);
    }

    void queueInvalidation(long page) {
        pendingInvalidations.add(page);
        invalidationsPending = true;
    }

    void invalidateNow(long page) {
        codeListener.codeWritten(page);
    }

    /**
     * Tells this view's listener about pages other vCPUs wrote since the last call. Called on the
     * owning vCPU thread at slice boundaries (by {@link Mmu#syncSharedState()}).
     */
    public void drainCodeInvalidations() {
        if (!invalidationsPending) {
            return;
        }
        invalidationsPending = false;
        Long page;
        while ((page = pendingInvalidations.poll()) != null) {
            codeListener.codeWritten(page);
        }
    }

    /** Sets the handler for every non-RAM address. */
    public void setMmioHandler(MmioHandler handler) {
        this.mmio = handler == null ? MmioHandler.UNASSIGNED : handler;
    }

    /** Sets the listener for writes to pages holding decoded code. */
    public void setCodeWriteListener(CodeWriteListener listener) {
        this.codeListener = listener == null ? page -> { } : listener;
    }

    /**
     * Installs (non-null) or removes (null) the write observer. Any thread: the MMU notices the
     * change at its next {@link #writeObserverEpoch()} check and stops using fast write paths, so
     * every write reaches {@link #write} while an observer is installed.
     */
    public void setWriteObserver(WriteObserver observer) {
        writeObserver = observer;
        writeObserverEpoch++;
    }

    /** Whether a write observer is installed. */
    public boolean observingWrites() {
        return writeObserver != null;
    }

    /** Changes whenever the write observer is installed or removed. */
    public int writeObserverEpoch() {
        return writeObserverEpoch;
    }

    /** Called by the MMU so it can drop fast write paths to a page that becomes marked. */
    void setCodeMarkedHook(java.util.function.LongConsumer hook) {
        this.codeMarkedHook = hook;
    }

    /** Index of the RAM region containing {@code gpa}, or -1. */
    public int regionOf(long gpa) {
        for (int i = 0; i < starts.length; i++) {
            if (gpa >= starts[i] && gpa < ends[i]) {
                return i;
            }
        }
        return -1;
    }

    /** Host segment of region {@code index}. */
    public MemorySegment regionSegment(int index) {
        return segments[index];
    }

    /** Guest physical start of region {@code index}. */
    public long regionStart(int index) {
        return starts[index];
    }

    /** Whether region {@code index} is read-only (ROM: writes are dropped). */
    public boolean regionReadOnly(int index) {
        return readOnly[index];
    }

    /** Whether {@code gpa} is RAM. */
    public boolean isRam(long gpa) {
        return regionOf(gpa) >= 0;
    }

    /**
     * Marks the page holding {@code gpa} as containing decoded code. Returns false (and marks
     * nothing) when the page is not RAM. Fast write paths to the page are dropped.
     */
    public boolean markCode(long gpa) {
        if (gpa < 0 || gpa >= codePages.limit() || regionOf(gpa) < 0) {
            return false;
        }
        codePages.mark(gpa);
        codeMarkedHook.accept(gpa & ~0xFFFL);
        return true;
    }

    /** Whether the page holding {@code gpa} is marked as holding decoded code. */
    public boolean isCode(long gpa) {
        return codePages.isMarked(gpa);
    }

    /** If the page is marked, clears the mark and tells the listener. Called after each slow-path write. */
    void noteWrite(long gpa) {
        if (codePages.isMarked(gpa)) {
            codePages.written(gpa, this);
        }
    }

    /** Reads 1, 2, 4 or 8 bytes at a physical address (RAM or MMIO); the access must not cross a page. */
    public long read(long gpa, int size) {
        int r = regionOf(gpa);
        if (r < 0 || gpa + size > ends[r]) {
            return mmio.read(gpa, size);
        }
        MemorySegment s = segments[r];
        long off = gpa - starts[r];
        return switch (size) {
            case 1 -> s.get(ValueLayout.JAVA_BYTE, off) & 0xFFL;
            case 2 -> s.get(U16, off) & 0xFFFFL;
            case 4 -> s.get(U32, off) & 0xFFFF_FFFFL;
            case 8 -> s.get(U64, off);
            default -> throw new IllegalArgumentException("read: bad size " + size);
        };
    }

    /** Writes 1, 2, 4 or 8 bytes at a physical address (RAM, ROM = dropped, or MMIO) and reports code-page writes. */
    public void write(long gpa, int size, long value) {
        int r = regionOf(gpa);
        if (r < 0 || gpa + size > ends[r]) {
            mmio.write(gpa, size, value);
            return;
        }
        if (readOnly[r]) {
            return;
        }
        MemorySegment s = segments[r];
        long off = gpa - starts[r];
        switch (size) {
            case 1 -> s.set(ValueLayout.JAVA_BYTE, off, (byte) value);
            case 2 -> s.set(U16, off, (short) value);
            case 4 -> s.set(U32, off, (int) value);
            case 8 -> s.set(U64, off, value);
            default -> throw new IllegalArgumentException("write: bad size " + size);
        }
        WriteObserver observer = writeObserver;
        if (observer != null) {
            observer.written(r, off, size);
        }
        noteWrite(gpa);
    }

    /** The MMIO handler (for the MMU's slow path). */
    MmioHandler mmio() {
        return mmio;
    }
}

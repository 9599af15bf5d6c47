package dev.partita.hv.memory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The RAM of one partition: one or more {@link RamRegion}s, each an anonymous host mapping
 * owned here and unmapped by {@link #close()}.
 *
 * <p><b>Addresses.</b> Every {@code long gpa} parameter is a guest-physical address. Each
 * access (scalar or bulk) must lie entirely inside one region; anything else throws
 * {@link GuestMemoryException} naming the address and length, and touches nothing. Values are
 * little-endian. Unaligned accesses are allowed.
 *
 * <p><b>Threads.</b> All methods may be called from any thread, concurrently with running
 * virtual processors. Accesses are plain (not atomic, no ordering); code that publishes data to
 * the guest orders it itself (for example a release fence before the index store of a ring).
 * After {@link #close()} every access throws {@link IllegalStateException}; close only once no
 * virtual processor runs.
 *
 * <p><b>Dirty pages.</b> While {@link #setDirtyTracking tracking} is on, writes made through this
 * class mark their pages in the region's software bitmap; guest writes come from the backend
 * ({@link DirtyLogSource}, or the emulator marking {@link RamRegion#markDirty} itself).
 * {@link #collectDirtyPages()} returns both and starts a new interval.
 *
 * <p><b>Host-write observers.</b> {@link #addHostWriteObserver observers} (the emulator backend,
 * whose decoded-instruction cache must forget code the host overwrites) are told about every
 * write, copy and fill made through this class, after the bytes are stored, on the writing
 * thread. Writers through {@link #segment} views announce their writes with
 * {@link #noteHostWrite}. With no observer installed the cost is one volatile read per write.
 */
public final class GuestMemory implements AutoCloseable {
    /** Granularity of regions and of dirty-page tracking. */
    public static final long PAGE_SIZE = 4096;

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED;

    private final Arena arena;
    private final RamRegion[] regions;
    private final List<RamRegion> regionList;
    private volatile boolean tracking;
    private volatile DirtyLogSource dirtyLogSource;
    private volatile HostWriteObserver[] hostWriteObservers = NO_OBSERVERS;

    private static final HostWriteObserver[] NO_OBSERVERS = {};

    /**
     * Told about a host-side write into guest RAM ({@code [gpa, gpa + length)}, inside one region,
     * length &gt; 0). Called on the writing thread after the bytes are stored, possibly
     * concurrently from several threads and with running virtual processors; must be quick and
     * must not call back into this {@link GuestMemory}'s observer registration.
     */
    @FunctionalInterface
    public interface HostWriteObserver {
        void hostWrote(long gpa, long length);
    }

    private GuestMemory(Arena arena, RamRegion[] regions) {
        this.arena = arena;
        this.regions = regions;
        this.regionList = List.of(regions);
    }

    /** One anonymous RAM region of {@code bytes} (a page multiple) starting at guest-physical 0. */
    public static GuestMemory allocate(long bytes) {
        return allocate(List.of(new RamRegionSpec(0, bytes)));
    }

    /**
     * Anonymous RAM regions as specified; they must not overlap. Regions are kept sorted by
     * address and numbered in that order.
     *
     * @throws IllegalArgumentException when regions overlap or none is given
     * @throws GuestMemoryException     when the host cannot map them
     */
    public static GuestMemory allocate(List<RamRegionSpec> specs) {
        if (specs.isEmpty()) {
            throw new IllegalArgumentException("guest memory needs at least one RAM region");
        }
        List<RamRegionSpec> sorted = new ArrayList<>(specs);
        sorted.sort(Comparator.comparingLong(RamRegionSpec::gpa));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).gpa() < sorted.get(i - 1).end()) {
                throw new IllegalArgumentException("RAM regions overlap: " + sorted.get(i - 1) + " and " + sorted.get(i));
            }
        }
        Arena arena = Arena.ofShared();
        try {
            RamRegion[] regions = new RamRegion[sorted.size()];
            for (int i = 0; i < regions.length; i++) {
                RamRegionSpec spec = sorted.get(i);
                regions[i] = new RamRegion(i, spec.gpa(), spec.size(), AnonymousMapper.map(spec.size(), arena));
            }
            return new GuestMemory(arena, regions);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** The regions, sorted by guest-physical address; index in the list = {@link RamRegion#index()}. */
    public List<RamRegion> regions() {
        return regionList;
    }

    /** Total bytes of RAM over all regions. */
    public long totalSize() {
        long n = 0;
        for (RamRegion r : regions) {
            n += r.size();
        }
        return n;
    }

    /** Whether {@code [gpa, gpa + length)} lies inside one RAM region. */
    public boolean isRam(long gpa, long length) {
        return find(gpa, length) != null;
    }

    /** The region holding {@code [gpa, gpa + length)}, or null. */
    public RamRegion regionFor(long gpa, long length) {
        return find(gpa, length);
    }

    private RamRegion find(long gpa, long length) {
        for (RamRegion r : regions) {
            if (r.contains(gpa, length)) {
                return r;
            }
        }
        return null;
    }

    private RamRegion require(String op, long gpa, long length) {
        RamRegion r = find(gpa, length);
        if (r == null) {
            throw new GuestMemoryException(op, gpa, length, length < 0 ? "negative length" : "not inside guest RAM");
        }
        return r;
    }

    // ---- scalar reads ----

    /** The byte at {@code gpa}, zero-extended. */
    public int readU8(long gpa) {
        RamRegion r = require("readU8", gpa, 1);
        return Byte.toUnsignedInt(r.segment().get(ValueLayout.JAVA_BYTE, gpa - r.gpa()));
    }

    /** The 16-bit value at {@code gpa}, zero-extended. */
    public int readU16(long gpa) {
        RamRegion r = require("readU16", gpa, 2);
        return Short.toUnsignedInt(r.segment().get(U16, gpa - r.gpa()));
    }

    /** The 32-bit value at {@code gpa}, zero-extended to long. */
    public long readU32(long gpa) {
        RamRegion r = require("readU32", gpa, 4);
        return Integer.toUnsignedLong(r.segment().get(U32, gpa - r.gpa()));
    }

    /** The 64-bit value at {@code gpa}. */
    public long readU64(long gpa) {
        RamRegion r = require("readU64", gpa, 8);
        return r.segment().get(U64, gpa - r.gpa());
    }

    // ---- scalar writes (low bits of value) ----

    /** Stores the low 8 bits of {@code value}. */
    public void writeU8(long gpa, int value) {
        RamRegion r = require("writeU8", gpa, 1);
        r.segment().set(ValueLayout.JAVA_BYTE, gpa - r.gpa(), (byte) value);
        dirtied(r, gpa, 1);
    }

    /** Stores the low 16 bits of {@code value}. */
    public void writeU16(long gpa, int value) {
        RamRegion r = require("writeU16", gpa, 2);
        r.segment().set(U16, gpa - r.gpa(), (short) value);
        dirtied(r, gpa, 2);
    }

    /** Stores the low 32 bits of {@code value}. */
    public void writeU32(long gpa, long value) {
        RamRegion r = require("writeU32", gpa, 4);
        r.segment().set(U32, gpa - r.gpa(), (int) value);
        dirtied(r, gpa, 4);
    }

    /** Stores {@code value}. */
    public void writeU64(long gpa, long value) {
        RamRegion r = require("writeU64", gpa, 8);
        r.segment().set(U64, gpa - r.gpa(), value);
        dirtied(r, gpa, 8);
    }

    // ---- bulk ----

    /** Copies {@code length} bytes from guest {@code gpa} into {@code dst[offset..]}. */
    public void read(long gpa, byte[] dst, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, dst.length);
        RamRegion r = require("read", gpa, length);
        MemorySegment.copy(r.segment(), ValueLayout.JAVA_BYTE, gpa - r.gpa(), dst, offset, length);
    }

    /** A new array with {@code length} bytes from guest {@code gpa}. */
    public byte[] read(long gpa, int length) {
        byte[] b = new byte[length];
        read(gpa, b, 0, length);
        return b;
    }

    /** Copies {@code src[offset..offset+length)} to guest {@code gpa}. */
    public void write(long gpa, byte[] src, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, src.length);
        RamRegion r = require("write", gpa, length);
        MemorySegment.copy(src, offset, r.segment(), ValueLayout.JAVA_BYTE, gpa - r.gpa(), length);
        dirtied(r, gpa, length);
    }

    /** Copies all of {@code src} to guest {@code gpa}. */
    public void write(long gpa, byte[] src) {
        write(gpa, src, 0, src.length);
    }

    /** Copies guest bytes {@code [gpa, gpa + dst.byteSize())} into {@code dst}. */
    public void read(long gpa, MemorySegment dst) {
        RamRegion r = require("read", gpa, dst.byteSize());
        MemorySegment.copy(r.segment(), gpa - r.gpa(), dst, 0, dst.byteSize());
    }

    /** Copies all of {@code src} to guest {@code gpa}. */
    public void write(long gpa, MemorySegment src) {
        RamRegion r = require("write", gpa, src.byteSize());
        MemorySegment.copy(src, 0, r.segment(), gpa - r.gpa(), src.byteSize());
        dirtied(r, gpa, src.byteSize());
    }

    /** Copies {@code length} bytes inside guest RAM (overlapping ranges behave like memmove). */
    public void copy(long srcGpa, long dstGpa, long length) {
        RamRegion s = require("copy(source)", srcGpa, length);
        RamRegion d = require("copy(destination)", dstGpa, length);
        MemorySegment.copy(s.segment(), srcGpa - s.gpa(), d.segment(), dstGpa - d.gpa(), length);
        dirtied(d, dstGpa, length);
    }

    /** Sets {@code length} bytes at {@code gpa} to {@code value}. */
    public void fill(long gpa, long length, byte value) {
        RamRegion r = require("fill", gpa, length);
        r.segment().asSlice(gpa - r.gpa(), length).fill(value);
        dirtied(r, gpa, length);
    }

    /**
     * A view of {@code [gpa, gpa + length)} for fast paths (device DMA, ring buffers). The view
     * cannot reach outside that range. Writes through it are neither dirty-tracked nor seen by
     * host-write observers; call {@link #noteHostWrite} after writing when that matters (data a
     * guest may execute, such as disk reads into guest pages).
     */
    public MemorySegment segment(long gpa, long length) {
        RamRegion r = require("segment", gpa, length);
        return r.segment().asSlice(gpa - r.gpa(), length);
    }

    /**
     * Announces that the host wrote {@code [gpa, gpa + length)} through a {@link #segment} view:
     * marks the pages dirty while tracking and tells the host-write observers. Any thread.
     *
     * @throws GuestMemoryException when the range is not inside one RAM region
     */
    public void noteHostWrite(long gpa, long length) {
        RamRegion r = require("noteHostWrite", gpa, length);
        dirtied(r, gpa, length);
    }

    // ---- host-write observers ----

    /** Installs {@code observer} (see {@link HostWriteObserver}); any thread. */
    public synchronized void addHostWriteObserver(HostWriteObserver observer) {
        Objects.requireNonNull(observer, "observer");
        HostWriteObserver[] old = hostWriteObservers;
        HostWriteObserver[] now = java.util.Arrays.copyOf(old, old.length + 1);
        now[old.length] = observer;
        hostWriteObservers = now;
    }

    /** Removes {@code observer} (no effect when it is not installed); any thread. */
    public synchronized void removeHostWriteObserver(HostWriteObserver observer) {
        HostWriteObserver[] old = hostWriteObservers;
        for (int i = 0; i < old.length; i++) {
            if (old[i] == observer) {
                HostWriteObserver[] now = new HostWriteObserver[old.length - 1];
                System.arraycopy(old, 0, now, 0, i);
                System.arraycopy(old, i + 1, now, i, old.length - i - 1);
                hostWriteObservers = now;
                return;
            }
        }
    }

    // ---- dirty pages ----

    /** Turns recording of writes made through this class on or off; the backend's own log follows the partition. */
    public void setDirtyTracking(boolean on) {
        this.tracking = on;
    }

    /** Whether host writes are currently recorded. */
    public boolean isDirtyTracking() {
        return tracking;
    }

    /** Installs the backend's log of guest writes (null removes it). */
    public void setDirtyLogSource(DirtyLogSource source) {
        this.dirtyLogSource = source;
    }

    /**
     * The pages written since the previous call (by the host through this class while tracking,
     * by the guest as the backend reports), and resets the record. Call from one thread at a time.
     */
    public synchronized DirtyPages collectDirtyPages() {
        long[][] maps = new long[regions.length][];
        DirtyLogSource source = dirtyLogSource;
        for (int i = 0; i < regions.length; i++) {
            maps[i] = new long[(int) ((regions[i].pages() + 63) / 64)];
            regions[i].drainSoftwareDirty(maps[i]);
            if (source != null) {
                source.harvest(regions[i], maps[i]);
            }
        }
        return new DirtyPages(regionList, maps);
    }

    private void dirtied(RamRegion r, long gpa, long length) {
        if (tracking) {
            r.markDirty(gpa - r.gpa(), length);
        }
        HostWriteObserver[] observers = hostWriteObservers;
        if (observers.length != 0 && length > 0) {
            for (HostWriteObserver o : observers) {
                o.hostWrote(gpa, length);
            }
        }
    }

    /** Unmaps all regions. Idempotent; later accesses throw {@link IllegalStateException}. */
    @Override
    public synchronized void close() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }
}

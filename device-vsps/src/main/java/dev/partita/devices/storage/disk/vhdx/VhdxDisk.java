package dev.partita.devices.storage.disk.vhdx;

import dev.partita.devices.storage.disk.BlockDevice;
import dev.partita.devices.storage.disk.DiskImageException;
import dev.partita.vmbus.protocol.LittleEndian;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A VHDX virtual disk (Hyper-V's format, [MS-VHDX]): dynamic (blocks allocated on first write, unallocated
 * blocks read as zero) or differencing (blocks and sectors not in this file come from the parent, which is
 * opened read-only). Payload blocks are allocated at the end of the file; BAT and sector bitmap changes go
 * through the VHDX log (entry written and flushed, applied, flushed), and a log left by a crash is replayed
 * when the file is opened read-write. Headers are updated by the format's two-copy scheme.
 *
 * <p>Opening validates the whole structure: signature, both headers (CRC-32C, sequence), region tables,
 * metadata items and sizes, the BAT (states, offsets inside the file, no overlap between blocks, regions
 * and log) and, for a differencing disk, the parent's path and DataWriteGuid linkage. Any violation is one
 * {@link DiskImageException}.
 *
 * <p>Within the process a file is open either for any number of readers or for one writer; a read-write
 * disk also holds an exclusive advisory lock on its file, so a second writing process is refused. A parent
 * in use cannot be merged into.
 *
 * <p><b>Threads.</b> Reads, and writes into allocated blocks, run concurrently (read lock); writes that
 * allocate or change the sector bitmap hold the write lock. {@link #flush()} is fdatasync, as for
 * {@link dev.partita.devices.storage.disk.RawImageDisk}; metadata updates are durable when they return.
 * {@link #close()} only after all I/O ended.
 */
public final class VhdxDisk implements BlockDevice {
    private static final int MAX_CHAIN = 16;
    private static final long MAX_METADATA = 16 * VhdxLayout.MIB;
    private static final long MAX_BAT_ENTRIES = 32L << 20;

    private final VhdxFile file;
    private final boolean readOnly;
    private final VhdxMetadata metadata;
    private final BatGeometry geometry;
    private final RegionTable regions;
    private final HeaderPair headers;
    private final BlockDevice parent;
    private final Path parentPath;
    private final MetadataLog log;
    private final UUID sessionGuid;
    private final UUID sessionLogGuid;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    /** Guarded by {@link #lock}. */
    private final long[] bat;
    /** Guarded by {@link #lock}. */
    private final SectorBitmaps bitmaps;
    private volatile boolean dataGuidChanged;
    private volatile IOException broken;

    private VhdxDisk(VhdxFile file, boolean readOnly, VhdxMetadata metadata, BatGeometry geometry, RegionTable regions,
                     HeaderPair headers, long[] bat, SectorBitmaps bitmaps, BlockDevice parent, Path parentPath, CommitHook hook)
            throws IOException {
        this.file = file;
        this.readOnly = readOnly;
        this.metadata = metadata;
        this.geometry = geometry;
        this.regions = regions;
        this.headers = headers;
        this.bat = bat;
        this.bitmaps = bitmaps;
        this.parent = parent;
        this.parentPath = parentPath;
        if (readOnly) {
            this.sessionGuid = null;
            this.sessionLogGuid = null;
            this.log = null;
        } else {
            this.sessionGuid = UUID.randomUUID();
            this.sessionLogGuid = UUID.randomUUID();
            VhdxHeader h = headers.current();
            headers.update(sessionGuid, h.dataWriteGuid(), sessionLogGuid);
            this.log = new MetadataLog(file, h.logOffset(), h.logLength(), sessionLogGuid, hook);
        }
    }

    /**
     * Opens a VHDX image; a differencing disk opens its parent chain read-only.
     *
     * @throws DiskImageException when the file is missing, unreadable, or not a valid VHDX image
     */
    public static VhdxDisk open(Path path, boolean readOnly) throws DiskImageException {
        return open(path, readOnly, false, CommitHook.NONE, 0);
    }

    /** Opens with the parent writable (for merging) and a hook on metadata commits (for crash tests). */
    static VhdxDisk open(Path path, boolean readOnly, boolean parentWritable, CommitHook hook, int depth)
            throws DiskImageException {
        return open(path, readOnly, parentWritable, true, hook, depth);
    }

    /**
     * As {@link #open(Path, boolean, boolean, CommitHook, int)}; without {@code checkLinkage} the parent's
     * DataWriteGuid is not compared (only for finishing an interrupted merge, which changed it).
     */
    static VhdxDisk open(Path path, boolean readOnly, boolean parentWritable, boolean checkLinkage, CommitHook hook,
                         int depth) throws DiskImageException {
        if (!Files.exists(path)) {
            throw new DiskImageException(path, "no such file", null);
        }
        if (!Files.isRegularFile(path)) {
            throw new DiskImageException(path, "not a regular file", null);
        }
        VhdxFile file = VhdxFile.open(path, readOnly);
        try {
            return load(file, readOnly, parentWritable, checkLinkage, hook, depth);
        } catch (VhdxFormatException e) {
            closeQuietly(file);
            throw new DiskImageException(path, "not a valid VHDX image: " + e.getMessage(), e);
        } catch (IOException e) {
            closeQuietly(file);
            throw new DiskImageException(path, "cannot read the VHDX structures: " + e.getMessage(), e);
        } catch (DiskImageException | RuntimeException e) {
            closeQuietly(file);
            throw e;
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // already failing; the first error is the one reported
        }
    }

    private static VhdxDisk load(VhdxFile file, boolean readOnly, boolean parentWritable, boolean checkLinkage,
                                 CommitHook hook, int depth)
            throws IOException, VhdxFormatException, DiskImageException {
        long size = file.size();
        if (size < VhdxLayout.HEADER_SECTION_SIZE) {
            throw new VhdxFormatException("file of " + size + " bytes is shorter than the 1 MiB header section");
        }
        if (LittleEndian.u64(file.read(VhdxLayout.FILE_IDENTIFIER_OFFSET, 8), 0) != VhdxLayout.FILE_SIGNATURE) {
            throw new VhdxFormatException("no 'vhdxfile' signature");
        }
        HeaderPair headers = HeaderPair.read(file);
        VhdxHeader h = headers.current();
        FileLayoutCheck.checkLog(h, size);
        if (!MsGuid.isZero(h.logGuid())) {
            List<LogEntry> pending = LogSearch.activeSequence(file.read(h.logOffset(), (int) h.logLength()), h.logGuid());
            if (!pending.isEmpty()) {
                if (readOnly) {
                    throw new VhdxFormatException("the image was not closed cleanly and its metadata log must be "
                            + "replayed; open it read-write once (e.g. partita disk info --repair)");
                }
                LogReplay.apply(file, h, pending);
                size = file.size();
            }
        }
        RegionTable regions = FileLayoutCheck.readRegions(file, size, h);
        if (regions.metadataLength() > MAX_METADATA) {
            throw new VhdxFormatException("metadata region of " + regions.metadataLength() + " bytes exceeds "
                    + MAX_METADATA + " bytes");
        }
        VhdxMetadata metadata = VhdxMetadata.parse(file.read(regions.metadataOffset(), (int) regions.metadataLength()));
        BatGeometry geometry = new BatGeometry(metadata.blockSize(), metadata.logicalSectorSize(), metadata.virtualSize(),
                metadata.differencing());
        long entries = geometry.entries();
        if (entries > MAX_BAT_ENTRIES) {
            throw new VhdxFormatException("BAT of " + entries + " entries exceeds the " + MAX_BAT_ENTRIES + " supported");
        }
        if (entries * 8 > regions.batLength()) {
            throw new VhdxFormatException("BAT region of " + regions.batLength() + " bytes cannot hold the " + entries
                    + " entries a " + metadata.virtualSize() + "-byte disk with " + metadata.blockSize() + "-byte blocks needs");
        }
        int batBytes = (int) VhdxLayout.alignUp(entries * 8, VhdxLayout.LOG_SECTOR);
        byte[] raw = file.read(regions.batOffset(), batBytes);
        long[] bat = new long[batBytes / 8];
        ByteBuffer.wrap(raw).order(java.nio.ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(bat);
        BatCheck.check(bat, entries, geometry, regions, h, size);
        SectorBitmaps bitmaps = new SectorBitmaps((int) geometry.bitmapBlocks());
        if (metadata.differencing()) {
            for (int c = 0; c < geometry.bitmapBlocks(); c++) {
                long e = bat[geometry.bitmapIndex(c)];
                if (BatEntry.state(e) == BatEntry.BITMAP_PRESENT) {
                    bitmaps.put(c, file.read(BatEntry.fileOffset(e), VhdxLayout.BITMAP_BLOCK_SIZE));
                }
            }
        }
        BlockDevice parent = null;
        Path parentPath = null;
        if (metadata.differencing()) {
            if (depth >= MAX_CHAIN) {
                throw new VhdxFormatException("differencing chain deeper than " + MAX_CHAIN + " disks (a loop?)");
            }
            parentPath = ParentResolver.resolve(file.path(), metadata.parent());
            VhdxDisk p = open(parentPath, !parentWritable, false, hook, depth + 1);
            try {
                ParentResolver.checkParent(metadata, p, checkLinkage);
            } catch (VhdxFormatException e) {
                p.close();
                throw e;
            }
            parent = p;
        }
        try {
            return new VhdxDisk(file, readOnly, metadata, geometry, regions, headers, bat, bitmaps, parent, parentPath, hook);
        } catch (IOException e) {
            if (parent != null) {
                parent.close();
            }
            throw e;
        }
    }

    @Override
    public long sectorCount() {
        return metadata.virtualSize() / SECTOR_SIZE;
    }

    @Override
    public boolean readOnly() {
        return readOnly;
    }

    /** The disk's SCSI page 83 identifier (Virtual Disk ID). */
    public UUID page83Id() {
        return metadata.page83();
    }

    /** The parent's file, or null for a disk without parent. */
    public Path parentPath() {
        return parentPath;
    }

    /** Payload block size in bytes. */
    public long blockSize() {
        return metadata.blockSize();
    }

    /** Logical sector size of the VHDX (512 or 4096); reads and writes still address 512-byte sectors. */
    public int logicalSectorSize() {
        return metadata.logicalSectorSize();
    }

    /** Physical sector size of the VHDX (512 or 4096). */
    public int physicalSectorSize() {
        return metadata.physicalSector();
    }

    /** The current header's DataWriteGuid: what a differencing child records as its parent linkage. */
    public UUID dataWriteGuid() {
        return headers.current().dataWriteGuid();
    }

    /** Payload blocks stored in this file (fully or partially present). */
    public long allocatedBlocks() {
        lock.readLock().lock();
        try {
            long n = 0;
            for (long b = 0; b < geometry.payloadBlocks(); b++) {
                if (BatEntry.allocated(BatEntry.state(bat[geometry.payloadIndex(b)]))) {
                    n++;
                }
            }
            return n;
        } finally {
            lock.readLock().unlock();
        }
    }

    private void checkRange(String op, long offset, long length) throws IOException {
        if (offset < 0 || length < 0 || offset > metadata.virtualSize() - length) {
            throw new IOException(op + " of " + length + " bytes at " + offset + " outside " + describe());
        }
        IOException b = broken;
        if (b != null) {
            throw new IOException(file.path() + ": an earlier metadata update failed (" + b.getMessage()
                    + "); reopen the image to replay its log", b);
        }
    }

    @Override
    public void read(long offset, MemorySegment dst) throws IOException {
        checkRange("read", offset, dst.byteSize());
        lock.readLock().lock();
        try {
            readLocked(offset, dst);
        } finally {
            lock.readLock().unlock();
        }
    }

    private void readLocked(long offset, MemorySegment dst) throws IOException {
        long blockSize = metadata.blockSize();
        long done = 0;
        while (done < dst.byteSize()) {
            long pos = offset + done;
            long block = pos / blockSize;
            long inBlock = pos % blockSize;
            long n = Math.min(dst.byteSize() - done, blockSize - inBlock);
            MemorySegment part = dst.asSlice(done, n);
            long e = bat[geometry.payloadIndex(block)];
            switch (BatEntry.state(e)) {
                case BatEntry.FULLY_PRESENT -> file.read(BatEntry.fileOffset(e) + inBlock, part.asByteBuffer());
                case BatEntry.PARTIALLY_PRESENT -> readPartial(BatEntry.fileOffset(e) + inBlock - pos, pos, part);
                case BatEntry.NOT_PRESENT -> {
                    if (parent != null) {
                        parent.read(pos, part);
                    } else {
                        part.fill((byte) 0);
                    }
                }
                default -> part.fill((byte) 0);
            }
            done += n;
        }
    }

    /** Reads a range of a partially present block: sectors whose bitmap bit is set from the file, others from the parent. */
    private void readPartial(long fileDelta, long pos, MemorySegment part) throws IOException {
        int lss = metadata.logicalSectorSize();
        long end = pos + part.byteSize();
        long p = pos;
        while (p < end) {
            boolean present = bitmaps.isSet(p / lss);
            long q = (p / lss + 1) * lss;
            while (q < end && bitmaps.isSet(q / lss) == present) {
                q += lss;
            }
            q = Math.min(q, end);
            MemorySegment run = part.asSlice(p - pos, q - p);
            if (present) {
                file.read(fileDelta + p, run.asByteBuffer());
            } else {
                parent.read(p, run);
            }
            p = q;
        }
    }

    @Override
    public void write(long offset, MemorySegment src) throws IOException {
        if (readOnly) {
            throw new IOException("write to read-only image " + file.path());
        }
        checkRange("write", offset, src.byteSize());
        ensureDataWriteGuid();
        long blockSize = metadata.blockSize();
        long done = 0;
        while (done < src.byteSize()) {
            long pos = offset + done;
            long block = pos / blockSize;
            long n = Math.min(src.byteSize() - done, blockSize - pos % blockSize);
            MemorySegment part = src.asSlice(done, n);
            boolean written = false;
            lock.readLock().lock();
            try {
                long e = bat[geometry.payloadIndex(block)];
                if (BatEntry.state(e) == BatEntry.FULLY_PRESENT) {
                    file.write(BatEntry.fileOffset(e) + pos % blockSize, part.asByteBuffer());
                    written = true;
                }
            } finally {
                lock.readLock().unlock();
            }
            if (!written) {
                lock.writeLock().lock();
                try {
                    writeAllocating(block, pos, part);
                } catch (IOException | RuntimeException ex) {
                    broken = ex instanceof IOException io ? io : new IOException(ex);
                    throw ex;
                } finally {
                    lock.writeLock().unlock();
                }
            }
            done += n;
        }
    }

    private synchronized void ensureDataWriteGuid() throws IOException {
        if (!dataGuidChanged) {
            headers.update(sessionGuid, UUID.randomUUID(), sessionLogGuid);
            dataGuidChanged = true;
        }
    }

    /** Writes into a block that is not fully present: allocates it and/or records the sectors in the bitmap. */
    private void writeAllocating(long block, long pos, MemorySegment part) throws IOException {
        long blockSize = metadata.blockSize();
        int index = geometry.payloadIndex(block);
        long e = bat[index];
        int state = BatEntry.state(e);
        long blockStart = block * blockSize;
        if (state == BatEntry.FULLY_PRESENT) {
            file.write(BatEntry.fileOffset(e) + pos - blockStart, part.asByteBuffer());
            return;
        }
        boolean fromParent = parent != null && (state == BatEntry.NOT_PRESENT || state == BatEntry.PARTIALLY_PRESENT);
        boolean wholeBlock = pos == blockStart && part.byteSize() == blockSize;
        if (!fromParent || wholeBlock) {
            // the rest of the block reads as zero (or is overwritten): a zero-filled fully present block, or a
            // partially present one whose every sector this write replaces
            long off = state == BatEntry.PARTIALLY_PRESENT ? BatEntry.fileOffset(e) : allocate(blockSize);
            file.write(off + pos - blockStart, part.asByteBuffer());
            List<LogDescriptor.DataSector> changes = new ArrayList<>();
            bat[index] = BatEntry.of(BatEntry.FULLY_PRESENT, off);
            changes.add(batSector(index));
            log.commit(changes);
            return;
        }
        // differencing: keep the parent's sectors, mark the written ones in the sector bitmap
        int lss = metadata.logicalSectorSize();
        long alignedPos = pos / lss * lss;
        long alignedEnd = VhdxLayout.alignUp(pos + part.byteSize(), lss);
        MemorySegment data = part;
        if (alignedPos != pos || alignedEnd != pos + part.byteSize()) {
            data = MemorySegment.ofArray(new byte[(int) (alignedEnd - alignedPos)]);
            readLocked(alignedPos, data);
            MemorySegment.copy(part, 0, data, pos - alignedPos, part.byteSize());
        }
        List<LogDescriptor.DataSector> changes = new ArrayList<>();
        int chunk = (int) (block / geometry.chunkRatio());
        int sbIndex = geometry.bitmapIndex(chunk);
        if (!bitmaps.present(chunk)) {
            long sbOff = allocate(VhdxLayout.BITMAP_BLOCK_SIZE);
            bitmaps.put(chunk, new byte[VhdxLayout.BITMAP_BLOCK_SIZE]);
            bat[sbIndex] = BatEntry.of(BatEntry.BITMAP_PRESENT, sbOff);
            changes.add(batSector(sbIndex));
        }
        long off;
        if (state == BatEntry.PARTIALLY_PRESENT) {
            off = BatEntry.fileOffset(e);
        } else {
            off = allocate(blockSize);
            bat[index] = BatEntry.of(BatEntry.PARTIALLY_PRESENT, off);
            LogDescriptor.DataSector s = batSector(index);
            if (changes.isEmpty() || changes.getFirst().fileOffset() != s.fileOffset()) {
                changes.add(s);
            } else {
                changes.set(0, s);
            }
        }
        file.write(off + alignedPos - blockStart, data.asByteBuffer());
        changes.addAll(bitmaps.set(chunk, alignedPos / lss, (alignedEnd - alignedPos) / lss,
                BatEntry.fileOffset(bat[sbIndex])));
        if (!changes.isEmpty()) {
            log.commit(changes);
        }
    }

    private LogDescriptor.DataSector batSector(int index) {
        int first = index / 512 * 512;
        byte[] b = new byte[VhdxLayout.LOG_SECTOR];
        for (int i = 0; i < 512; i++) {
            LittleEndian.put64(b, i * 8, bat[first + i]);
        }
        return new LogDescriptor.DataSector(regions.batOffset() + first * 8L, b);
    }

    /** Space for a new block at the (1 MiB-aligned) end of the file; the file grows to cover it. */
    private long allocate(long length) throws IOException {
        long off = VhdxLayout.alignUp(file.size(), VhdxLayout.MIB);
        file.extendTo(off + length);
        return off;
    }

    /**
     * The byte ranges of the virtual disk this file defines itself (allocated blocks and sectors, and blocks
     * that read as zero), in order: what a merge copies into the parent.
     */
    List<long[]> ownRanges() {
        lock.readLock().lock();
        try {
            List<long[]> out = new ArrayList<>();
            long size = metadata.virtualSize();
            int lss = metadata.logicalSectorSize();
            for (long b = 0; b < geometry.payloadBlocks(); b++) {
                long start = b * metadata.blockSize();
                long end = Math.min(size, start + metadata.blockSize());
                int state = BatEntry.state(bat[geometry.payloadIndex(b)]);
                if (state == BatEntry.PARTIALLY_PRESENT) {
                    long runStart = -1;
                    for (long p = start; p < end; p += lss) {
                        boolean set = bitmaps.isSet(p / lss);
                        if (set && runStart < 0) {
                            runStart = p;
                        } else if (!set && runStart >= 0) {
                            out.add(new long[] {runStart, p});
                            runStart = -1;
                        }
                    }
                    if (runStart >= 0) {
                        out.add(new long[] {runStart, end});
                    }
                } else if (state != BatEntry.NOT_PRESENT) {
                    out.add(new long[] {start, end});
                }
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The parent disk (for merging), or null. */
    BlockDevice parent() {
        return parent;
    }

    @Override
    public void flush() throws IOException {
        if (!readOnly) {
            file.flush();
        }
    }

    @Override
    public String describe() {
        return file.path() + " (VHDX " + (parent != null ? "differencing" : "dynamic") + ", " + sectorCount() + " sectors"
                + (readOnly ? ", read-only" : "") + ")";
    }

    /** Flushes, marks the log empty (unless a metadata update failed: then the log stays for replay), closes. */
    @Override
    public void close() throws IOException {
        try {
            if (!readOnly && broken == null) {
                file.flush();
                VhdxHeader h = headers.current();
                headers.update(sessionGuid, h.dataWriteGuid(), MsGuid.ZERO);
            }
        } finally {
            try {
                file.close();
            } finally {
                if (parent != null) {
                    parent.close();
                }
            }
        }
    }
}

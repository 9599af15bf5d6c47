package dev.partita.devices.storage.disk.vhdx;

import dev.partita.devices.storage.disk.BlockDevice;
import dev.partita.devices.storage.disk.DiskImageException;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Creating VHDX files (dynamic, differencing), merging a differencing disk into its parent, and
 * recognising a VHDX file by its signature. Stateless; any thread (two calls on the same files at once
 * are the caller's mistake).
 */
public final class VhdxImages {
    /** Hyper-V's default block size for dynamic disks. */
    public static final long DEFAULT_DYNAMIC_BLOCK = 32 * VhdxLayout.MIB;
    /** Hyper-V's default block size for differencing disks. */
    public static final long DEFAULT_DIFFERENCING_BLOCK = 2 * VhdxLayout.MIB;

    private static final long LOG_OFFSET = VhdxLayout.MIB;
    private static final long LOG_LENGTH = VhdxLayout.MIB;
    private static final long METADATA_OFFSET = 2 * VhdxLayout.MIB;
    private static final long METADATA_LENGTH = VhdxLayout.MIB;
    private static final long BAT_OFFSET = 3 * VhdxLayout.MIB;

    private VhdxImages() {
    }

    /** Whether {@code path} starts with the VHDX file signature ({@code vhdxfile}). */
    public static boolean isVhdx(Path path) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            byte[] sig = in.readNBytes(8);
            return sig.length == 8 && ByteBuffer.wrap(sig).order(ByteOrder.LITTLE_ENDIAN).getLong() == VhdxLayout.FILE_SIGNATURE;
        }
    }

    /**
     * Creates a dynamic VHDX of {@code virtualSize} bytes (a multiple of 512) with {@code blockSize}-byte
     * blocks (a power of two from 1 to 256 MiB); every block reads as zero until written.
     *
     * @throws DiskImageException when the file exists or cannot be written, or a size is out of range
     */
    public static void createDynamic(Path path, long virtualSize, long blockSize) throws DiskImageException {
        create(path, new VhdxMetadata(blockSize, false, virtualSize, 512, 4096, UUID.randomUUID(), null));
    }

    /**
     * Creates a differencing VHDX on {@code parent} (a VHDX); it reads as the parent until written. The
     * locator records the parent's path relative to the child's folder and its absolute path, and the
     * parent's current DataWriteGuid: a parent changed afterwards is refused when the child is opened.
     * The child takes the parent's page 83 identifier, so a guest moved onto the child (a checkpoint) sees
     * the same disk.
     */
    public static void createDifferencing(Path path, Path parent) throws DiskImageException {
        VhdxMetadata meta;
        try (VhdxDisk p = VhdxDisk.open(parent, true)) {
            Path absParent = parent.toAbsolutePath().normalize();
            Path dir = path.toAbsolutePath().normalize().getParent();
            Map<String, String> loc = new LinkedHashMap<>();
            loc.put(ParentLocator.LINKAGE, ParentLocator.linkageText(p.dataWriteGuid()));
            loc.put(ParentLocator.RELATIVE_PATH, dir.relativize(absParent).toString().replace('/', '\\'));
            loc.put(ParentLocator.ABSOLUTE_PATH, absParent.toString());
            meta = new VhdxMetadata(DEFAULT_DIFFERENCING_BLOCK, false, p.sectorCount() * BlockDevice.SECTOR_SIZE,
                    p.logicalSectorSize(), p.physicalSectorSize(), p.page83Id(), new ParentLocator(loc));
        } catch (IOException e) {
            throw new DiskImageException(parent, "cannot close: " + e.getMessage(), e);
        }
        create(path, meta);
    }

    private static void create(Path path, VhdxMetadata meta) throws DiskImageException {
        long size = meta.virtualSize();
        if (size <= 0 || size % meta.logicalSectorSize() != 0 || size > VhdxLayout.MAX_VIRTUAL_SIZE) {
            throw new DiskImageException(path, "virtual size " + size + " is not a positive multiple of "
                    + meta.logicalSectorSize() + " bytes up to 64 TiB", null);
        }
        long bs = meta.blockSize();
        if (bs < VhdxLayout.MIN_BLOCK_SIZE || bs > VhdxLayout.MAX_BLOCK_SIZE || Long.bitCount(bs) != 1) {
            throw new DiskImageException(path, "block size " + bs + " is not a power of two from 1 MiB to 256 MiB", null);
        }
        BatGeometry g = new BatGeometry(bs, meta.logicalSectorSize(), size, meta.differencing());
        long batLength = VhdxLayout.alignUp(g.entries() * 8, VhdxLayout.MIB);
        byte[] id = new byte[8 + 512];
        ByteBuffer.wrap(id).order(ByteOrder.LITTLE_ENDIAN).putLong(VhdxLayout.FILE_SIGNATURE);
        byte[] creator = "Partita".getBytes(StandardCharsets.UTF_16LE);
        System.arraycopy(creator, 0, id, 8, creator.length);
        VhdxHeader h0 = new VhdxHeader(0, UUID.randomUUID(), UUID.randomUUID(), MsGuid.ZERO, 0, 1, LOG_LENGTH, LOG_OFFSET);
        RegionTable regions = new RegionTable(BAT_OFFSET, batLength, METADATA_OFFSET, METADATA_LENGTH);
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            VhdxFile f = new VhdxFile(path, ch);
            f.write(VhdxLayout.FILE_IDENTIFIER_OFFSET, id);
            f.write(VhdxLayout.HEADER_OFFSETS[0], h0.encode());
            f.write(VhdxLayout.HEADER_OFFSETS[1], h0.next(h0.fileWriteGuid(), h0.dataWriteGuid(), h0.logGuid()).encode());
            f.write(VhdxLayout.REGION_TABLE_OFFSETS[0], regions.encode());
            f.write(VhdxLayout.REGION_TABLE_OFFSETS[1], regions.encode());
            f.write(METADATA_OFFSET, meta.encode((int) METADATA_LENGTH));
            f.extendTo(BAT_OFFSET + batLength);
            f.flush();
        } catch (FileAlreadyExistsException e) {
            throw new DiskImageException(path, "already exists", e);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException ignored) {
                // the create failed; that error is the one reported
            }
            throw new DiskImageException(path, "cannot create: " + e.getMessage(), e);
        }
    }

    /**
     * Copies everything the differencing disk {@code child} holds into its parent (opened read-write
     * through the child's locator) and flushes the parent; returns the parent's path. The child is left
     * in place but no longer matches its parent (the parent's DataWriteGuid changes), so callers delete it.
     *
     * @throws DiskImageException when the child or parent cannot be opened, or the child has no parent
     * @throws IOException        when copying fails (the parent's log keeps its metadata consistent)
     */
    public static Path merge(Path child) throws DiskImageException, IOException {
        return merge(child, false, CommitHook.NONE);
    }

    /**
     * Finishes a merge of {@code child} that was interrupted (a crash, an I/O error): the first merge write
     * changed the parent's DataWriteGuid, so the child no longer links to it, but the child is intact and
     * copying all of it again gives the merged parent. Only for a parent that nothing else wrote since.
     */
    public static Path resumeMerge(Path child) throws DiskImageException, IOException {
        return merge(child, true, CommitHook.NONE);
    }

    static Path merge(Path child, boolean resume, CommitHook parentHook) throws DiskImageException, IOException {
        try (VhdxDisk c = VhdxDisk.open(child, true, true, !resume, parentHook, 0)) {
            BlockDevice parent = c.parent();
            if (parent == null) {
                throw new DiskImageException(child, "is not a differencing disk: nothing to merge", null);
            }
            byte[] buf = new byte[(int) VhdxLayout.MIB];
            for (long[] r : c.ownRanges()) {
                for (long at = r[0]; at < r[1]; at += buf.length) {
                    MemorySegment s = MemorySegment.ofArray(buf).asSlice(0, Math.min(buf.length, r[1] - at));
                    c.read(at, s);
                    parent.write(at, s);
                }
            }
            parent.flush();
            return c.parentPath();
        }
    }

    /** Sizes and layout of a VHDX, for people. */
    public static List<String> describe(Path path) throws DiskImageException {
        try (VhdxDisk d = VhdxDisk.open(path, true)) {
            return List.of(
                    "format: VHDX " + (d.parentPath() != null ? "differencing" : "dynamic"),
                    "virtual size: " + d.sectorCount() * BlockDevice.SECTOR_SIZE + " bytes",
                    "block size: " + d.blockSize() + " bytes",
                    "sector size: " + d.logicalSectorSize() + " logical, " + d.physicalSectorSize() + " physical",
                    "allocated blocks: " + d.allocatedBlocks(),
                    "page 83 id: " + d.page83Id(),
                    "data write guid: " + d.dataWriteGuid(),
                    "parent: " + (d.parentPath() != null ? d.parentPath() : "none"));
        } catch (IOException e) {
            throw new DiskImageException(path, "cannot close: " + e.getMessage(), e);
        }
    }
}

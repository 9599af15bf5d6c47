package dev.partita.devices.storage.disk.vhdx;

import dev.partita.vmbus.protocol.LittleEndian;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * The metadata region's known items: file parameters (block size, whether blocks stay allocated,
 * whether there is a parent), virtual disk size, logical and physical sector size, page 83 data (the
 * disk's SCSI identifier) and, for differencing disks, the parent locator.
 *
 * @param blockSize         payload block size, a power of two from 1 to 256 MiB
 * @param leaveAllocated    blocks are never freed (a fixed disk)
 * @param virtualSize       the disk's size in bytes
 * @param logicalSectorSize 512 or 4096
 * @param physicalSector    512 or 4096
 * @param page83            SCSI page 83 identifier of the virtual disk
 * @param parent            the parent locator, or null for a disk without parent
 */
record VhdxMetadata(long blockSize, boolean leaveAllocated, long virtualSize, int logicalSectorSize,
                    int physicalSector, UUID page83, ParentLocator parent) {
    /** Metadata items start at this offset in the region; the table occupies the first 64 KiB. */
    static final int ITEMS_OFFSET = 64 * 1024;
    private static final int TABLE_SIZE = 64 * 1024;
    private static final int ENTRY_SIZE = 32;
    private static final int MAX_ENTRIES = 2047;
    private static final long MAX_ITEM = VhdxLayout.MIB;
    private static final int IS_VIRTUAL_DISK = 2;
    private static final int IS_REQUIRED = 4;

    boolean differencing() {
        return parent != null;
    }

    /** Parses the region {@code r} (the whole metadata region as read from the file). */
    static VhdxMetadata parse(byte[] r) throws VhdxFormatException {
        if (r.length < TABLE_SIZE || LittleEndian.u64(r, 0) != VhdxLayout.METADATA_SIGNATURE) {
            throw new VhdxFormatException("metadata region has no 'metadata' table signature");
        }
        int count = LittleEndian.u16(r, 10);
        if (count > MAX_ENTRIES) {
            throw new VhdxFormatException("metadata table has " + count + " entries (at most " + MAX_ENTRIES + ")");
        }
        Set<UUID> seen = new HashSet<>();
        byte[] params = null, size = null, page83 = null, logical = null, physical = null;
        int[] locator = null;
        for (int i = 0; i < count; i++) {
            int at = 32 + i * ENTRY_SIZE;
            UUID id = MsGuid.read(r, at);
            long off = Integer.toUnsignedLong(LittleEndian.u32(r, at + 16));
            long len = Integer.toUnsignedLong(LittleEndian.u32(r, at + 20));
            int flags = LittleEndian.u32(r, at + 24);
            boolean user = (flags & 1) != 0;
            if (!user && !seen.add(id)) {
                throw new VhdxFormatException("metadata item " + id + " appears twice");
            }
            if (len > 0 && (off < ITEMS_OFFSET || len > MAX_ITEM || off + len > r.length)) {
                throw new VhdxFormatException("metadata item " + id + " at " + off + " of " + len
                        + " bytes lies outside the " + r.length + "-byte region's item area");
            }
            if (user) {
                continue;                                   // user items carry no meaning for the disk
            }
            if (id.equals(VhdxLayout.FILE_PARAMETERS)) {
                params = item(r, off, len, 8, "file parameters");
            } else if (id.equals(VhdxLayout.VIRTUAL_DISK_SIZE)) {
                size = item(r, off, len, 8, "virtual disk size");
            } else if (id.equals(VhdxLayout.PAGE_83_DATA)) {
                page83 = item(r, off, len, 16, "page 83 data");
            } else if (id.equals(VhdxLayout.LOGICAL_SECTOR_SIZE)) {
                logical = item(r, off, len, 4, "logical sector size");
            } else if (id.equals(VhdxLayout.PHYSICAL_SECTOR_SIZE)) {
                physical = item(r, off, len, 4, "physical sector size");
            } else if (id.equals(VhdxLayout.PARENT_LOCATOR)) {
                locator = new int[] {(int) off, (int) len};
            } else if ((flags & IS_REQUIRED) != 0) {
                throw new VhdxFormatException("metadata requires an unknown item " + id);
            }
        }
        if (params == null || size == null || page83 == null || logical == null || physical == null) {
            throw new VhdxFormatException("metadata lacks a required item (file parameters, virtual disk size, "
                    + "page 83 data, logical or physical sector size)");
        }
        long blockSize = Integer.toUnsignedLong(LittleEndian.u32(params, 0));
        int paramFlags = LittleEndian.u32(params, 4);
        if (blockSize < VhdxLayout.MIN_BLOCK_SIZE || blockSize > VhdxLayout.MAX_BLOCK_SIZE || Long.bitCount(blockSize) != 1) {
            throw new VhdxFormatException("block size " + blockSize + " is not a power of two from 1 MiB to 256 MiB");
        }
        int lss = LittleEndian.u32(logical, 0);
        int pss = LittleEndian.u32(physical, 0);
        if ((lss != 512 && lss != 4096) || (pss != 512 && pss != 4096)) {
            throw new VhdxFormatException("sector sizes logical " + Integer.toUnsignedString(lss) + " / physical "
                    + Integer.toUnsignedString(pss) + " are not 512 or 4096");
        }
        long virtualSize = LittleEndian.u64(size, 0);
        if (virtualSize <= 0 || virtualSize > VhdxLayout.MAX_VIRTUAL_SIZE || virtualSize % lss != 0) {
            throw new VhdxFormatException("virtual disk size " + Long.toUnsignedString(virtualSize)
                    + " is not a positive multiple of the " + lss + "-byte sector up to 64 TiB");
        }
        boolean hasParent = (paramFlags & 2) != 0;
        ParentLocator parent = null;
        if (hasParent) {
            if (locator == null || locator[1] == 0) {
                throw new VhdxFormatException("differencing disk without a parent locator");
            }
            parent = ParentLocator.parse(r, locator[0], locator[1]);
        }
        return new VhdxMetadata(blockSize, (paramFlags & 1) != 0, virtualSize, lss, pss, MsGuid.read(page83, 0), parent);
    }

    private static byte[] item(byte[] r, long off, long len, int need, String what) throws VhdxFormatException {
        if (len < need) {
            throw new VhdxFormatException(what + " item of " + len + " bytes is shorter than " + need);
        }
        byte[] b = new byte[need];
        System.arraycopy(r, (int) off, b, 0, need);
        return b;
    }

    /** The metadata region's content (table and items), {@code regionLength} bytes. */
    byte[] encode(int regionLength) {
        byte[] r = new byte[regionLength];
        LittleEndian.put64(r, 0, VhdxLayout.METADATA_SIGNATURE);
        byte[] loc = parent == null ? null : parent.encode();
        int count = loc == null ? 5 : 6;
        LittleEndian.put16(r, 10, count);
        int data = ITEMS_OFFSET;
        int entry = 32;
        byte[] p = new byte[8];
        LittleEndian.put32(p, 0, (int) blockSize);
        LittleEndian.put32(p, 4, (leaveAllocated ? 1 : 0) | (parent != null ? 2 : 0));
        byte[] s = new byte[8];
        LittleEndian.put64(s, 0, virtualSize);
        byte[] id = new byte[16];
        MsGuid.write(id, 0, page83);
        byte[] l = new byte[4];
        LittleEndian.put32(l, 0, logicalSectorSize);
        byte[] ph = new byte[4];
        LittleEndian.put32(ph, 0, physicalSector);
        Object[][] items = {
            {VhdxLayout.FILE_PARAMETERS, p, IS_REQUIRED},
            {VhdxLayout.VIRTUAL_DISK_SIZE, s, IS_REQUIRED | IS_VIRTUAL_DISK},
            {VhdxLayout.PAGE_83_DATA, id, IS_REQUIRED | IS_VIRTUAL_DISK},
            {VhdxLayout.LOGICAL_SECTOR_SIZE, l, IS_REQUIRED | IS_VIRTUAL_DISK},
            {VhdxLayout.PHYSICAL_SECTOR_SIZE, ph, IS_REQUIRED | IS_VIRTUAL_DISK},
            {VhdxLayout.PARENT_LOCATOR, loc, IS_REQUIRED},
        };
        for (int i = 0; i < count; i++) {
            byte[] v = (byte[]) items[i][1];
            MsGuid.write(r, entry, (UUID) items[i][0]);
            LittleEndian.put32(r, entry + 16, data);
            LittleEndian.put32(r, entry + 20, v.length);
            LittleEndian.put32(r, entry + 24, (Integer) items[i][2]);
            System.arraycopy(v, 0, r, data, v.length);
            data += (v.length + 7) & ~7;
            entry += ENTRY_SIZE;
        }
        return r;
    }
}

package dev.partita.devices.storage.disk.vhdx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The sector bitmaps of a differencing disk, one 1 MiB block per chunk (bit i of byte j: sector 8j + i of
 * the chunk's 2^23), held in memory. A set bit means the sector is in this file; a clear one, in the parent.
 *
 * <p><b>Threads.</b> Not thread-safe; the disk reads under its read lock and changes under its write lock.
 */
final class SectorBitmaps {
    private final byte[][] maps;

    SectorBitmaps(int chunks) {
        maps = new byte[chunks][];
    }

    boolean present(int chunk) {
        return maps[chunk] != null;
    }

    /** Installs a chunk's bitmap as read from the file, or a new all-clear one. */
    void put(int chunk, byte[] map) {
        maps[chunk] = map;
    }

    /** Whether {@code sector} (of the whole disk) is in this file. */
    boolean isSet(long sector) {
        byte[] map = maps[(int) (sector / VhdxLayout.SECTORS_PER_BITMAP_BLOCK)];
        long i = sector % VhdxLayout.SECTORS_PER_BITMAP_BLOCK;
        return map != null && (map[(int) (i >>> 3)] & (1 << (i & 7))) != 0;
    }

    /**
     * Sets the bits of {@code count} sectors from {@code sector} (all in {@code chunk}, whose bitmap block is
     * at {@code blockOffset} in the file); returns the changed 4 KiB bitmap sectors as log descriptors.
     */
    List<LogDescriptor.DataSector> set(int chunk, long sector, long count, long blockOffset) {
        byte[] map = maps[chunk];
        long first = -1;
        long last = -1;
        for (long s = sector; s < sector + count; s++) {
            long i = s % VhdxLayout.SECTORS_PER_BITMAP_BLOCK;
            int at = (int) (i >>> 3);
            int mask = 1 << (i & 7);
            if ((map[at] & mask) == 0) {
                map[at] |= (byte) mask;
                if (first < 0) {
                    first = at;
                }
                last = at;
            }
        }
        List<LogDescriptor.DataSector> out = new ArrayList<>();
        if (first < 0) {
            return out;
        }
        for (long k = first / VhdxLayout.LOG_SECTOR; k <= last / VhdxLayout.LOG_SECTOR; k++) {
            int from = (int) (k * VhdxLayout.LOG_SECTOR);
            out.add(new LogDescriptor.DataSector(blockOffset + from, Arrays.copyOfRange(map, from, from + VhdxLayout.LOG_SECTOR)));
        }
        return out;
    }
}

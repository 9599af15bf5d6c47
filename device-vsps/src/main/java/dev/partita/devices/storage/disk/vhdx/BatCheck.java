package dev.partita.devices.storage.disk.vhdx;

import java.util.List;
import java.util.TreeMap;

/**
 * Checks every BAT entry a disk uses: states defined for the entry's kind (payload or sector bitmap) and
 * the disk (partially present only with a parent), allocated blocks inside the file, and no two structures
 * (header section, log, BAT, metadata, blocks) sharing a byte. Stateless; any thread.
 */
final class BatCheck {
    private BatCheck() {
    }

    static void check(long[] bat, long entries, BatGeometry g, RegionTable r, VhdxHeader h, long size)
            throws VhdxFormatException {
        TreeMap<Long, Long> used = new TreeMap<>();          // start -> end of every structure in the file
        used.put(0L, VhdxLayout.HEADER_SECTION_SIZE);
        List<long[]> fixed = List.of(new long[] {h.logOffset(), h.logLength()}, new long[] {r.batOffset(), r.batLength()},
                new long[] {r.metadataOffset(), r.metadataLength()});
        for (long[] f : fixed) {
            claim(used, f[0], f[1], "region");
        }
        for (int i = 0; i < entries; i++) {
            long e = bat[i];
            int state = BatEntry.state(e);
            long off = BatEntry.fileOffset(e);
            if (g.isBitmapIndex(i)) {
                if (state == BatEntry.NOT_PRESENT) {
                    continue;
                }
                if (state != BatEntry.BITMAP_PRESENT || !g.differencing()) {
                    throw new VhdxFormatException("BAT entry " + i + ": sector bitmap state " + state
                            + (g.differencing() ? " is not defined" : " in a disk without parent"));
                }
                checkBlock(used, i, off, VhdxLayout.BITMAP_BLOCK_SIZE, size, "sector bitmap block");
                continue;
            }
            long block = i - i / (g.chunkRatio() + 1);
            switch (state) {
                case BatEntry.NOT_PRESENT, BatEntry.UNDEFINED, BatEntry.ZERO, BatEntry.UNMAPPED, BatEntry.UNMAPPED_V0 -> {
                }
                case BatEntry.FULLY_PRESENT, BatEntry.PARTIALLY_PRESENT -> {
                    if (state == BatEntry.PARTIALLY_PRESENT) {
                        if (!g.differencing()) {
                            throw new VhdxFormatException("BAT entry " + i + ": partially present block in a disk without parent");
                        }
                        long sb = bat[g.bitmapIndex(block / g.chunkRatio())];
                        if (BatEntry.state(sb) != BatEntry.BITMAP_PRESENT) {
                            throw new VhdxFormatException("BAT entry " + i + ": partially present block without a sector bitmap");
                        }
                    }
                    if (block >= g.payloadBlocks()) {
                        throw new VhdxFormatException("BAT entry " + i + ": block " + block + " lies beyond the disk's "
                                + g.payloadBlocks() + " blocks but is allocated");
                    }
                    checkBlock(used, i, off, g.blockSize(), size, "payload block");
                }
                default -> throw new VhdxFormatException("BAT entry " + i + ": payload state " + state + " is not defined");
            }
        }
    }

    private static void checkBlock(TreeMap<Long, Long> used, int i, long off, long length, long size, String what)
            throws VhdxFormatException {
        if (off < VhdxLayout.HEADER_SECTION_SIZE || off > size - length) {
            throw new VhdxFormatException("BAT entry " + i + ": " + what + " at file offset " + off + " of " + length
                    + " bytes lies outside the " + size + "-byte file");
        }
        claim(used, off, length, "BAT entry " + i + "'s " + what);
    }

    private static void claim(TreeMap<Long, Long> used, long start, long length, String what) throws VhdxFormatException {
        long end = start + length;
        var below = used.floorEntry(start);
        var above = used.ceilingEntry(start);
        if ((below != null && below.getValue() > start) || (above != null && above.getKey() < end)) {
            throw new VhdxFormatException(what + " at file offset " + start + " of " + length
                    + " bytes overlaps another structure");
        }
        used.put(start, end);
    }
}

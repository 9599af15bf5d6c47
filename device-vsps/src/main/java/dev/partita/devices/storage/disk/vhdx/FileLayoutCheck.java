package dev.partita.devices.storage.disk.vhdx;

import java.io.IOException;

/**
 * Checks of where the log, the BAT and the metadata region lie: aligned, inside the file, not overlapping.
 * Stateless; any thread.
 */
final class FileLayoutCheck {
    /** Logs are 1 MiB in practice; the cap bounds the replay search (quadratic in entries) of a forged file. */
    static final long MAX_LOG = 8 * VhdxLayout.MIB;

    private FileLayoutCheck() {
    }

    /** The header's log: version 0, 1 MiB-aligned, at most {@link #MAX_LOG}, inside the file. */
    static void checkLog(VhdxHeader h, long size) throws VhdxFormatException {
        if (h.logVersion() != 0) {
            throw new VhdxFormatException("log version " + h.logVersion() + " (only 0 is defined)");
        }
        if (h.logOffset() < VhdxLayout.HEADER_SECTION_SIZE || h.logOffset() % VhdxLayout.MIB != 0
                || h.logLength() == 0 || h.logLength() % VhdxLayout.MIB != 0 || h.logLength() > MAX_LOG
                || h.logOffset() > size - h.logLength()) {
            throw new VhdxFormatException("log at " + h.logOffset() + " of " + h.logLength()
                    + " bytes is not a 1 MiB-aligned range of at most " + MAX_LOG + " bytes inside the "
                    + size + "-byte file");
        }
    }

    /** The first region table copy with a valid checksum; its regions inside the file and clear of the log. */
    static RegionTable readRegions(VhdxFile file, long size, VhdxHeader h) throws IOException, VhdxFormatException {
        RegionTable t = null;
        for (long at : VhdxLayout.REGION_TABLE_OFFSETS) {
            t = RegionTable.parseOrNull(file.read(at, VhdxLayout.REGION_TABLE_SIZE));
            if (t != null) {
                break;
            }
        }
        if (t == null) {
            throw new VhdxFormatException("neither region table has a valid signature and checksum");
        }
        if (t.batOffset() > size - t.batLength() || t.metadataOffset() > size - t.metadataLength()) {
            throw new VhdxFormatException("BAT or metadata region lies beyond the end of the " + size + "-byte file");
        }
        if (overlaps(t.batOffset(), t.batLength(), h.logOffset(), h.logLength())
                || overlaps(t.metadataOffset(), t.metadataLength(), h.logOffset(), h.logLength())) {
            throw new VhdxFormatException("the log overlaps the BAT or metadata region");
        }
        return t;
    }

    private static boolean overlaps(long a, long aLength, long b, long bLength) {
        return a < b + bLength && b < a + aLength;
    }
}

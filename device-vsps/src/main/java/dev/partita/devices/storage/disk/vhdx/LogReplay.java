package dev.partita.devices.storage.disk.vhdx;

import java.io.IOException;
import java.util.List;

/**
 * Applies a log's active sequence to the file: every descriptor's sector or zero range, in entry order,
 * then grows the file to the last entry's LastFileOffset and flushes. Replaying entries that were already
 * applied changes nothing, so a crash during replay is repaired by the next replay. Targets are checked
 * first: nothing is written when an entry would touch the header section or the log itself, reach past
 * the file the entry describes (or more than 1 GiB past the current end), or when the file is shorter than
 * it was when the entry was written.
 */
final class LogReplay {
    /**
     * How far past the file's end a log entry may place structures: an entry describes blocks allocated just
     * before it (a payload block is at most 256 MiB), so anything further is a forgery.
     */
    private static final long MAX_GROWTH = 1L << 30;

    private LogReplay() {
    }

    static void apply(VhdxFile file, VhdxHeader h, List<LogEntry> sequence) throws IOException, VhdxFormatException {
        long size = file.size();
        long grow = size;
        for (LogEntry e : sequence) {
            if (Long.compareUnsigned(e.flushedFileOffset(), size) > 0) {
                throw new VhdxFormatException("log entry " + e.sequence() + " was written when the file had "
                        + Long.toUnsignedString(e.flushedFileOffset()) + " bytes; it now has " + size + " (truncated?)");
            }
            if (e.lastFileOffset() < 0 || e.lastFileOffset() > size + MAX_GROWTH) {
                throw new VhdxFormatException("log entry " + e.sequence() + " has LastFileOffset "
                        + Long.toUnsignedString(e.lastFileOffset()) + ", more than 1 GiB past the " + size + "-byte file");
            }
            long limit = Math.max(size, e.lastFileOffset());
            for (LogDescriptor d : e.descriptors()) {
                if (d.fileOffset() < VhdxLayout.HEADER_SECTION_SIZE || d.end() > limit
                        || (d.fileOffset() < h.logOffset() + h.logLength() && h.logOffset() < d.end())) {
                    throw new VhdxFormatException("log entry " + e.sequence() + " writes " + (d.end() - d.fileOffset())
                            + " bytes at file offset " + d.fileOffset()
                            + ", outside the file's data area (header section, log, or past its end)");
                }
            }
            grow = Math.max(grow, e.lastFileOffset());
        }
        for (LogEntry e : sequence) {
            for (LogDescriptor d : e.descriptors()) {
                switch (d) {
                    case LogDescriptor.DataSector s -> file.write(s.fileOffset(), s.data());
                    case LogDescriptor.ZeroRange z -> {
                        byte[] zeros = new byte[(int) Math.min(z.length(), VhdxLayout.MIB)];
                        for (long at = z.fileOffset(); at < z.end(); at += zeros.length) {
                            file.write(at, java.nio.ByteBuffer.wrap(zeros, 0, (int) Math.min(zeros.length, z.end() - at)));
                        }
                    }
                }
            }
        }
        file.extendTo(VhdxLayout.alignUp(grow, VhdxLayout.MIB));
        file.flush();
    }
}

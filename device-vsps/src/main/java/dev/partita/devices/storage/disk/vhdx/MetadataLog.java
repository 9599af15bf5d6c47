package dev.partita.devices.storage.disk.vhdx;

import java.io.IOException;
import java.util.List;
import java.util.UUID;

/**
 * Writes metadata changes (BAT and sector bitmap sectors) through the VHDX log: each change becomes one
 * log entry that is written and flushed, then applied in place and flushed. A crash before the entry is
 * complete leaves the old metadata; a crash after it leaves an entry that the next open replays. Each
 * entry is a sequence of its own (its tail is its own offset), placed after the previous one and
 * starting over at the log's beginning when it would not fit before the end.
 *
 * <p><b>Threads.</b> Not thread-safe: the disk calls it under its allocation lock.
 */
final class MetadataLog {
    private final VhdxFile file;
    private final long logOffset;
    private final long logLength;
    private final UUID guid;
    private final CommitHook hook;
    private long nextSequence = 1;
    private long head;

    MetadataLog(VhdxFile file, long logOffset, long logLength, UUID guid, CommitHook hook) {
        this.file = file;
        this.logOffset = logOffset;
        this.logLength = logLength;
        this.guid = guid;
        this.hook = hook;
    }

    /** Logs and applies {@code sectors} atomically. */
    void commit(List<LogDescriptor.DataSector> sectors) throws IOException {
        long size = file.size();
        LogEntry entry = new LogEntry(nextSequence, 0, size, size, guid, List.copyOf(sectors));
        int length = entry.length();
        if (length > logLength / 2) {
            throw new IOException("metadata update of " + sectors.size() + " sectors does not fit the "
                    + logLength + "-byte log");
        }
        if (head + length > logLength) {
            head = 0;
        }
        entry = new LogEntry(nextSequence, head, size, size, guid, entry.descriptors());
        file.write(logOffset + head, entry.encode());
        file.flush();
        hook.reached(CommitHook.Stage.LOG_FLUSHED);
        for (LogDescriptor.DataSector s : sectors) {
            file.write(s.fileOffset(), s.data());
        }
        file.flush();
        hook.reached(CommitHook.Stage.APPLIED);
        head += length;
        nextSequence++;
    }
}

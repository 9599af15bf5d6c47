package dev.partita.devices.storage.disk.vhdx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Finds the log's active sequence: consecutive valid entries (each starting where the previous one ended,
 * sequence numbers counting up by one) whose last entry's tail names the sequence's first entry; of those,
 * the one ending with the highest sequence number. Replaying it in order brings the metadata to the state
 * of the last complete entry. Stateless; any thread.
 */
final class LogSearch {
    private LogSearch() {
    }

    /** The entries to replay, oldest first; empty when the log holds no valid sequence for {@code guid}. */
    static List<LogEntry> activeSequence(byte[] log, UUID guid) {
        Map<Integer, LogEntry> valid = new HashMap<>();
        for (int p = 0; p + LogEntry.HEADER_SIZE <= log.length; p += VhdxLayout.LOG_SECTOR) {
            LogEntry e = LogEntry.decodeOrNull(log, p, guid);
            if (e != null) {
                valid.put(p, e);
            }
        }
        List<LogEntry> best = List.of();
        long bestSequence = 0;
        for (Map.Entry<Integer, LogEntry> start : valid.entrySet()) {
            List<LogEntry> chain = new ArrayList<>();
            int p = start.getKey();
            LogEntry e = start.getValue();
            long bytes = 0;
            while (e != null && bytes + e.length() <= log.length) {
                chain.add(e);
                bytes += e.length();
                if (e.tail() == start.getKey() && e.sequence() > bestSequence) {
                    best = List.copyOf(chain);
                    bestSequence = e.sequence();
                }
                p = (int) ((p + e.length()) % log.length);
                LogEntry next = valid.get(p);
                e = next != null && next.sequence() == e.sequence() + 1 ? next : null;
            }
        }
        return best;
    }
}

package dev.partita.devices.storage.disk.vhdx;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The VHDX files this process has open, by real path: any number of readers, or one writer. (File locks
 * cannot say this within one process: Java refuses two overlapping locks of one JVM even when both are
 * shared.) Thread-safe.
 */
final class OpenImages {
    private static final int WRITER = -1;
    private static final Map<Path, Integer> OPEN = new HashMap<>();

    private OpenImages() {
    }

    /** Registers an open; the reason it is refused, or null when granted. */
    static synchronized String acquire(Path real, boolean write) {
        int n = OPEN.getOrDefault(real, 0);
        if (n == WRITER) {
            return "already open for writing in this process";
        }
        if (write && n > 0) {
            return "already open (read-only, e.g. as a parent) in this process";
        }
        OPEN.put(real, write ? WRITER : n + 1);
        return null;
    }

    static synchronized void release(Path real, boolean write) {
        int n = OPEN.getOrDefault(real, 0);
        if (write || n <= 1) {
            OPEN.remove(real);
        } else {
            OPEN.put(real, n - 1);
        }
    }
}

package dev.partita.devices.storage.disk;

import java.nio.file.Path;

/** A disk image cannot be used: missing, unreadable, not a regular file or too small. */
public final class DiskImageException extends Exception {
    private final Path path;

    public DiskImageException(Path path, String problem, Throwable cause) {
        super("disk image " + path + ": " + problem, cause);
        this.path = path;
    }

    public Path path() {
        return path;
    }
}

package dev.partita.vmms.storage;

import dev.partita.devices.storage.DiskSpec;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Scratch disks: blank, sparse raw images in the temporary folder, deleted when the JVM exits normally
 * (a killed process leaves the file behind in the temporary folder). {@code partita demo --vmbus} gives the
 * guest one as /dev/sda.
 *
 * <p><b>Threads.</b> Stateless; any thread.
 */
public final class ScratchDisks {
    /** The demo's scratch disk size. */
    public static final long DEMO_BYTES = 64L << 20;

    private ScratchDisks() {}

    /**
     * Creates a zero-filled sparse image of {@code bytes} (a positive multiple of 512) and returns it as a
     * writable disk.
     *
     * @throws IOException when the temporary file cannot be created or sized
     */
    public static DiskSpec create(long bytes) throws IOException {
        if (bytes <= 0 || bytes % 512 != 0) {
            throw new IllegalArgumentException("a scratch disk needs a positive multiple of 512 bytes, got " + bytes);
        }
        Path file = Files.createTempFile("partita-scratch-", ".img");
        file.toFile().deleteOnExit();
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(bytes);
        } catch (IOException e) {
            Files.deleteIfExists(file);
            throw new IOException("cannot size scratch disk " + file + " to " + bytes + " bytes: " + e.getMessage(), e);
        }
        return new DiskSpec(file, false);
    }
}

package dev.partita.devices.storage;

import dev.partita.devices.storage.disk.BlockDevice;
import dev.partita.devices.storage.disk.DiskImageException;
import dev.partita.devices.storage.disk.DiskImages;

import java.nio.file.Path;

/**
 * A disk as the command line names it: {@code PATH} or {@code PATH,ro} (the form of
 * {@code partita run --disk}).
 *
 * @param path     the image file: VHDX when it starts with the VHDX signature, raw otherwise
 * @param readOnly whether the guest may only read it
 */
public record DiskSpec(Path path, boolean readOnly) {
    /**
     * Parses {@code PATH[,ro]}.
     *
     * @throws IllegalArgumentException with a one-line reason for an empty path or an unknown option
     */
    public static DiskSpec parse(String spec) {
        String s = spec.strip();
        int comma = s.lastIndexOf(',');
        boolean ro = false;
        if (comma >= 0) {
            String opt = s.substring(comma + 1).strip();
            if (opt.equals("ro")) {
                ro = true;
            } else if (!opt.equals("rw")) {
                throw new IllegalArgumentException("--disk " + spec + ": unknown option '" + opt + "' (PATH or PATH,ro)");
            }
            s = s.substring(0, comma).strip();
        }
        if (s.isEmpty()) {
            throw new IllegalArgumentException("--disk " + spec + ": missing image path (PATH or PATH,ro)");
        }
        return new DiskSpec(Path.of(s), ro);
    }

    /** Opens the image, VHDX or raw by its content (see {@link DiskImages#open}). */
    public BlockDevice open() throws DiskImageException {
        return DiskImages.open(path, readOnly);
    }

    @Override
    public String toString() {
        return path + (readOnly ? ",ro" : "");
    }
}

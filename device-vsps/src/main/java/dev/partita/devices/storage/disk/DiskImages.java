package dev.partita.devices.storage.disk;

import dev.partita.devices.storage.disk.vhdx.VhdxDisk;
import dev.partita.devices.storage.disk.vhdx.VhdxImages;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens a disk image by its content: a file that starts with the VHDX signature is a {@link VhdxDisk},
 * anything else a {@link RawImageDisk}. The file name's extension plays no part.
 */
public final class DiskImages {
    private DiskImages() {
    }

    /** Opens {@code path}; see {@link VhdxDisk#open} and {@link RawImageDisk#open} for the errors. */
    public static BlockDevice open(Path path, boolean readOnly) throws DiskImageException {
        boolean vhdx;
        try {
            vhdx = Files.isRegularFile(path) && VhdxImages.isVhdx(path);
        } catch (IOException e) {
            throw new DiskImageException(path, "cannot read: " + e.getMessage(), e);
        }
        return vhdx ? VhdxDisk.open(path, readOnly) : RawImageDisk.open(path, readOnly);
    }
}

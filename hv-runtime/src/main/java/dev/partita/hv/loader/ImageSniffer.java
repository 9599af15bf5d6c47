package dev.partita.hv.loader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.AccessDeniedException;

/**
 * Chooses the {@link GuestImage} type of a file by its content: the ELF magic means ELF (and a
 * malformed ELF is an error, never a flat image); a Linux boot sector with the "HdrS" setup header
 * is recognised and refused (kernels need a command line and initrd and boot through
 * {@code dev.partita.hv.boot.LinuxBootLoader}); anything else is a flat image.
 * Stateless; safe from any thread.
 */
public final class ImageSniffer {

    /** Files larger than this are refused before reading (no guest image format needs more). */
    public static final long MAX_FILE_SIZE = Integer.MAX_VALUE - 8;

    private ImageSniffer() {}

    /** Reads and parses an image file. Every problem (missing, unreadable, malformed) is an {@link ImageLoadException}. */
    public static GuestImage read(Path file) throws ImageLoadException {
        byte[] data;
        try {
            if (Files.isDirectory(file)) {
                throw new ImageLoadException("image " + file + " is a directory");
            }
            if (Files.exists(file) && !Files.isRegularFile(file)) {
                throw new ImageLoadException("image " + file + " is not a regular file");
            }
            long size = Files.size(file);
            if (size > MAX_FILE_SIZE) {
                throw new ImageLoadException("image " + file + " is " + ByteSizes.human(size) + ", larger than any supported image");
            }
            data = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ImageLoadException("image " + file + " does not exist", e);
        } catch (AccessDeniedException e) {
            throw new ImageLoadException("image " + file + " is not readable (permission denied)", e);
        } catch (IOException e) {
            throw new ImageLoadException("cannot read image " + file + ": " + e.getMessage(), e);
        }
        return parse(data);
    }

    /** Parses image bytes (not copied for ELF; the caller must not modify them afterwards). */
    public static GuestImage parse(byte[] data) throws ImageLoadException {
        if (ElfFormat.hasMagic(data)) {
            return ElfImageParser.parse(data);
        }
        if (isLinuxBzImage(data)) {
            throw new ImageLoadException("image is a Linux bzImage, not a test guest (flat or ELF); Linux kernels boot through "
                    + "dev.partita.hv.boot.LinuxBootLoader with a command line and initrd");
        }
        return FlatImage.of(data);
    }

    /** The Linux x86 boot sector: 0xAA55 at 0x1FE and "HdrS" at 0x202 (Documentation/arch/x86/boot.rst). */
    static boolean isLinuxBzImage(byte[] d) {
        return d.length >= 0x206 && (d[0x1FE] & 0xFF) == 0x55 && (d[0x1FF] & 0xFF) == 0xAA
                && d[0x202] == 'H' && d[0x203] == 'd' && d[0x204] == 'r' && d[0x205] == 'S';
    }
}

package dev.partita.devices.storage.disk.vhdx;

/**
 * A VHDX structure read from a file breaks the format's rules (bad signature or checksum, a field out
 * of range, overlapping regions). Parsers throw it without knowing the file;
 * {@link VhdxDisk#open} turns it into one {@link dev.partita.devices.storage.disk.DiskImageException}
 * naming the file.
 */
final class VhdxFormatException extends Exception {
    VhdxFormatException(String problem) {
        super(problem);
    }
}

package dev.partita.hv.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * What the file system says about a device node: kind, device number and permissions, so a report can
 * show why it cannot be used (wrong device, no permission).
 *
 * @param kind  "char", "block", "file", "directory" or "other"
 * @param major device major number (0 unless a device node)
 * @param minor device minor number
 * @param mode  ls-style mode, e.g. "crw-rw----"
 * @param owner owning user name
 * @param group owning group name
 */
public record DeviceNode(String kind, int major, int minor, String mode, String owner, String group) {

    /** The node's attributes, or empty when they cannot be read (the node is absent or hidden). */
    public static Optional<DeviceNode> of(Path path) {
        try {
            PosixFileAttributes attrs = Files.readAttributes(path, PosixFileAttributes.class);
            int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            long rdev = ((Number) Files.getAttribute(path, "unix:rdev")).longValue();
            String kind = switch (mode & 0xF000) { // S_IFMT
                case 0x2000 -> "char";
                case 0x6000 -> "block";
                case 0x8000 -> "file";
                case 0x4000 -> "directory";
                default -> "other";
            };
            char letter = switch (kind) {
                case "char" -> 'c';
                case "block" -> 'b';
                case "directory" -> 'd';
                case "file" -> '-';
                default -> '?';
            };
            // Linux dev_t encoding (glibc gnu_dev_major/minor).
            int major = (int) (((rdev >>> 8) & 0xFFF) | ((rdev >>> 32) & ~0xFFFL));
            int minor = (int) ((rdev & 0xFF) | ((rdev >>> 12) & ~0xFFL));
            return Optional.of(new DeviceNode(kind, major, minor,
                    letter + PosixFilePermissions.toString(attrs.permissions()),
                    attrs.owner().getName(), attrs.group().getName()));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return Optional.empty();
        }
    }

    /** "char 10:232 crw------- root:root". */
    @Override
    public String toString() {
        return kind + " " + major + ":" + minor + " " + mode + " " + owner + ":" + group;
    }
}

package dev.partita.devices.storage.disk.vhdx;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds a differencing disk's parent from its locator and checks that the parent is the disk the child was
 * made on. The relative path (backslash-separated, relative to the child's folder) is tried first, then
 * the absolute path (a host path on Linux; a Windows drive path cannot be resolved here).
 */
final class ParentResolver {
    private ParentResolver() {
    }

    static Path resolve(Path child, ParentLocator locator) throws VhdxFormatException {
        List<String> tried = new ArrayList<>();
        Path dir = child.toAbsolutePath().getParent();
        String rel = locator.entries().get(ParentLocator.RELATIVE_PATH);
        if (rel != null) {
            Path p = candidate(dir, rel.replace('\\', '/'));
            if (p != null && Files.isRegularFile(p)) {
                return p;
            }
            tried.add(rel);
        }
        String abs = locator.entries().get(ParentLocator.ABSOLUTE_PATH);
        if (abs != null) {
            Path p = candidate(null, abs);
            if (p != null && p.isAbsolute() && Files.isRegularFile(p)) {
                return p;
            }
            tried.add(abs);
        }
        throw new VhdxFormatException("parent disk not found (tried " + (tried.isEmpty() ? "no path: the locator has none" : String.join(", ", tried)) + ")");
    }

    private static Path candidate(Path dir, String text) {
        try {
            return dir == null ? Path.of(text) : dir.resolve(text).normalize();
        } catch (InvalidPathException e) {
            return null;
        }
    }

    /**
     * The parent must have the child's size and sector size and (when {@code linkage}) carry the
     * DataWriteGuid the child recorded.
     */
    static void checkParent(VhdxMetadata child, VhdxDisk parent, boolean linkage) throws VhdxFormatException {
        if (parent.sectorCount() * 512 != child.virtualSize() || parent.logicalSectorSize() != child.logicalSectorSize()) {
            throw new VhdxFormatException("parent " + parent.describe() + " differs in size or logical sector size ("
                    + child.virtualSize() + " bytes, " + child.logicalSectorSize() + "-byte sectors here)");
        }
        if (linkage) {
            checkLinkage(child, parent);
        }
    }

    private static void checkLinkage(VhdxMetadata child, VhdxDisk parent) throws VhdxFormatException {
        String actual = ParentLocator.linkageText(parent.dataWriteGuid());
        boolean linked = false;
        for (String l : child.parent().linkages()) {
            String t = l.strip();
            if (!t.startsWith("{")) {
                t = "{" + t + "}";
            }
            linked |= t.toUpperCase(Locale.ROOT).equals(actual);
        }
        if (!linked) {
            throw new VhdxFormatException("parent " + parent.describe() + " has DataWriteGuid " + actual
                    + " but this disk was made on " + child.parent().linkages()
                    + ": the parent changed after the differencing disk was created");
        }
    }
}

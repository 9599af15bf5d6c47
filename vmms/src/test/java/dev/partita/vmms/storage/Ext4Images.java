package dev.partita.vmms.storage;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Host-side ext4 images with e2fsprogs: {@code mkfs.ext4 -d DIR} puts host files in, {@code debugfs -R 'cat PATH'}
 * reads guest files out, {@code e2fsck} replays the journal of an image whose writer was killed. When the
 * tools are missing they are installed with apt-get if this process is root; otherwise the test is skipped
 * with the reason printed.
 */
final class Ext4Images {
    private static final List<String> TOOLS = List.of("mkfs.ext4", "debugfs", "e2fsck");
    private static final List<String> SBIN = List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin");

    private Ext4Images() {}

    /** Makes sure e2fsprogs is usable, installing it when root; skips {@code test} (reason printed) otherwise. */
    static void requireTools(String test) throws IOException {
        if (missingTool() == null) {
            return;
        }
        String reason;
        if (HostCommands.root()) {
            HostCommands.Result r = HostCommands.run(600, "apt-get", "install", "-y", "-q", "e2fsprogs");
            if (r.exit() != 0) {
                HostCommands.run(600, "apt-get", "update", "-q");
                r = HostCommands.run(600, "apt-get", "install", "-y", "-q", "e2fsprogs");
            }
            String still = missingTool();
            if (still == null) {
                return;
            }
            reason = "e2fsprogs could not be installed (" + still + " missing after apt-get install, exit " + r.exit() + ")";
        } else {
            reason = "e2fsprogs (" + missingTool() + ") is not installed and this test is not root, so it cannot apt-get install it";
        }
        System.out.println("SKIP " + test + ": " + reason);
        Assumptions.abort(reason);
    }

    private static String missingTool() {
        for (String t : TOOLS) {
            if (tool(t) == null) {
                return t;
            }
        }
        return null;
    }

    static String tool(String name) {
        for (String d : SBIN) {
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    /**
     * Creates a {@code bytes}-sized ext4 image holding the files of {@code content} (inode tables and journal
     * initialised now, so the guest's lazy-init thread has nothing to write).
     */
    static void create(Path image, long bytes, Path content) throws IOException {
        Files.deleteIfExists(image);
        HostCommands.Result r = HostCommands.run(120, tool("mkfs.ext4"), "-q", "-F", "-L", "partita", "-E",
                "lazy_itable_init=0,lazy_journal_init=0", "-d", content.toString(), image.toString(), (bytes / 1024) + "k");
        if (r.exit() != 0 || Files.size(image) != bytes) {
            throw new IOException("mkfs.ext4 failed: " + r.describe());
        }
    }

    /** The contents of {@code path} in the image, read with debugfs (no journal replay: the image must be clean). */
    static String cat(Path image, String path) throws IOException {
        HostCommands.Result r = HostCommands.run(60, tool("debugfs"), "-R", "cat " + path, image.toString());
        if (r.exit() != 0 || r.err().contains("File not found") || r.err().contains("cat:")) {
            throw new IOException("debugfs cannot read " + path + " from " + image + ": " + r.describe());
        }
        return r.out();
    }

    /**
     * Like {@link #cat}, for an image whose writer may have died with the journal not checkpointed: a copy
     * is recovered with {@code e2fsck -fy} (journal replay; exit 0 or 1 = clean or fixed), checked again
     * with {@code e2fsck -fn} (must be clean: exit 0), then read with debugfs. The image itself is not changed.
     */
    static String catAfterRecovery(Path image, String path, Path scratch) throws IOException {
        Path copy = scratch.resolve(image.getFileName() + ".recovered");
        Files.copy(image, copy, StandardCopyOption.REPLACE_EXISTING);
        try {
            HostCommands.Result fix = HostCommands.run(120, tool("e2fsck"), "-fy", copy.toString());
            if (fix.exit() > 1) {
                throw new IOException("e2fsck could not recover the image: " + fix.describe());
            }
            HostCommands.Result check = HostCommands.run(120, tool("e2fsck"), "-fn", copy.toString());
            if (check.exit() != 0) {
                throw new IOException("the image is inconsistent after journal replay: " + check.describe()
                        + "\nrecovery was: " + fix.describe());
            }
            return cat(copy, path);
        } finally {
            Files.deleteIfExists(copy);
        }
    }

    /** SHA-256 of the whole file, hex. */
    static String sha256(Path file) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            try (var in = Files.newInputStream(file)) {
                byte[] buf = new byte[1 << 20];
                for (int n; (n = in.read(buf)) > 0; ) {
                    md.update(buf, 0, n);
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}

package dev.partita.vmms.images;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Fetches Debian packages with the host's apt tools, without installing them: {@code apt-cache} to
 * resolve names and candidate versions, {@code apt-get download} into a folder (after
 * {@code apt-get update} when the package lists lack the package; unprivileged users get private
 * lists under the work folder). Stateless apart from the work folder; one build at a time.
 */
public final class AptPackages {
    private static final long DOWNLOAD_TIMEOUT_MINUTES = 15;

    private final Path work;
    private final boolean root;
    private boolean privateLists;

    /** @param work a writable folder for downloads (and private package lists when not root) */
    public AptPackages(Path work) {
        this.work = work;
        this.root = "root".equals(System.getProperty("user.name"));
    }

    /** The package a meta-package depends on whose name starts with {@code prefix} ("linux-image-cloud-amd64" → "linux-image-6.1.0-50-cloud-amd64"). */
    public String resolveDependency(String metaPackage, String prefix) throws ImageBuildException {
        String out = run(List.of("apt-cache", "depends", metaPackage), "apt-cache depends " + metaPackage, true);
        for (String line : out.lines().toList()) {
            String l = line.strip();
            if (l.startsWith("Depends:")) {
                String name = l.substring("Depends:".length()).strip();
                if (name.startsWith(prefix) && !name.equals(metaPackage)) {
                    return name;
                }
            }
        }
        throw new ImageBuildException("apt-cache knows no " + prefix + "* package behind " + metaPackage
                + " (is a Debian amd64 package source configured?)");
    }

    /** The version apt would fetch ("Candidate:"), or throws when the package is unknown. */
    public String candidateVersion(String pkg) throws ImageBuildException {
        String out = run(List.of("apt-cache", "policy", pkg), "apt-cache policy " + pkg, true);
        for (String line : out.lines().toList()) {
            String l = line.strip();
            if (l.startsWith("Candidate:")) {
                String v = l.substring("Candidate:".length()).strip();
                if (!v.isEmpty() && !v.equals("(none)")) {
                    return v;
                }
            }
        }
        throw new ImageBuildException("apt has no candidate version of " + pkg);
    }

    /** Downloads {@code pkg} (a .deb) into the work folder, reporting its growing size; returns the file. */
    public Path download(String pkg, BuildProgress progress) throws ImageBuildException {
        Path dir = work.resolve("debs");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new ImageBuildException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        long total = downloadSize(pkg);
        List<String> cmd = new ArrayList<>(List.of("apt-get", "download", "-q"));
        cmd.addAll(options());
        cmd.add(pkg);
        ProcessResult r = start(cmd, dir, progress, total);
        if (r.exit != 0 && !privateLists && r.output.contains("Unable to locate package")) {
            update();
            cmd = new ArrayList<>(List.of("apt-get", "download", "-q"));
            cmd.addAll(options());
            cmd.add(pkg);
            r = start(cmd, dir, progress, downloadSize(pkg));
        }
        if (r.exit != 0) {
            throw new ImageBuildException("apt-get download " + pkg + " failed (exit " + r.exit + "): " + lastLine(r.output));
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith(pkg + "_") && f.toString().endsWith(".deb"))
                    .findFirst()
                    .orElseThrow(() -> new ImageBuildException("apt-get download " + pkg + " produced no .deb file"));
        } catch (IOException e) {
            throw new ImageBuildException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The .deb's size from the package lists ("Size:" of apt-cache show), or -1 when apt does not say. */
    long downloadSize(String pkg) {
        try {
            String out = run(List.of("apt-cache", "show", "--no-all-versions", pkg), "apt-cache show " + pkg, true);
            for (String line : out.lines().toList()) {
                if (line.startsWith("Size:")) {
                    return Long.parseLong(line.substring("Size:".length()).strip());
                }
            }
        } catch (ImageBuildException | NumberFormatException e) {
            // unknown: the progress shows bytes without a total
        }
        return -1;
    }

    /** apt-get update: system lists as root, else private lists in the work folder. */
    private void update() throws ImageBuildException {
        if (!root) {
            privateLists = true;
            try {
                Files.createDirectories(work.resolve("apt/lists/partial"));
                Files.createDirectories(work.resolve("apt/cache/archives/partial"));
            } catch (IOException e) {
                throw new ImageBuildException("cannot create private apt folders: " + e.getMessage(), e);
            }
        }
        List<String> cmd = new ArrayList<>(List.of("apt-get", "update", "-q"));
        cmd.addAll(options());
        run(cmd, "apt-get update", false);
    }

    private List<String> options() {
        if (!privateLists) {
            return List.of();
        }
        return List.of("-o", "Dir::State::Lists=" + work.resolve("apt/lists"), "-o", "Dir::Cache=" + work.resolve("apt/cache"),
                "-o", "Debug::NoLocking=1");
    }

    private record ProcessResult(int exit, String output) {}

    private ProcessResult start(List<String> cmd, Path dir, BuildProgress progress, long total) throws ImageBuildException {
        try {
            Path log = Files.createTempFile(work, "apt", ".log");
            long before = folderSize(dir); // earlier downloads in the same folder
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(DOWNLOAD_TIMEOUT_MINUTES);
            while (!p.waitFor(200, TimeUnit.MILLISECONDS)) {
                progress.bytes(downloaded(dir, before, total), total);
                if (System.nanoTime() > deadline) {
                    p.destroyForcibly();
                    throw new ImageBuildException(String.join(" ", cmd) + " did not finish within " + DOWNLOAD_TIMEOUT_MINUTES + " minutes");
                }
            }
            progress.bytes(downloaded(dir, before, total), total);
            return new ProcessResult(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ImageBuildException("cannot run " + cmd.getFirst() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageBuildException("interrupted while running " + cmd.getFirst(), e);
        }
    }

    private String run(List<String> cmd, String what, boolean needZero) throws ImageBuildException {
        try {
            Files.createDirectories(work);
        } catch (IOException e) {
            throw new ImageBuildException("cannot create " + work + ": " + e.getMessage(), e);
        }
        ProcessResult r = start(cmd, work, BuildProgress.silent(), -1);
        if (r.exit != 0) {
            throw new ImageBuildException(what + " failed (exit " + r.exit + "): " + lastLine(r.output));
        }
        return r.output;
    }

    private static long downloaded(Path dir, long before, long total) {
        long done = Math.max(0, folderSize(dir) - before);
        return total > 0 ? Math.min(done, total) : done;
    }

    private static long folderSize(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static String lastLine(String output) {
        List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
        return lines.isEmpty() ? "(no output)" : lines.getLast().strip();
    }
}

package dev.partita.vmms.images;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Builds (and caches) Partita's default Linux guest from Debian packages: the kernel of
 * {@code linux-image-cloud-amd64} and an initramfs with busybox-static, its applet links, {@link InitScript},
 * the Hyper-V modules hv_vmbus, hv_storvsc, hv_netvsc, hv_utils and sd_mod with their dependencies and a modules.dep.
 * Results live in {@code $XDG_CACHE_HOME/partita/images/<kernel package>_<version>+busybox_<version>/}
 * (default {@code ~/.cache/partita}), keyed by the package versions apt offers, so a new Debian kernel
 * builds a new image. One build at a time per process; concurrent processes each build in their own
 * temporary folder and the last one to finish wins the (identical) result.
 */
public final class DebianGuestImages {
    public static final String KERNEL_META_PACKAGE = "linux-image-cloud-amd64";
    public static final String BUSYBOX_PACKAGE = "busybox-static";
    /** Loaded in this order by /init with partita.modules (sd_mod gives storvsc's LUNs their /dev/sdX; ext4 is built in). */
    public static final List<String> MODULES = List.of("hv_vmbus", "hv_storvsc", "hv_netvsc", "hv_utils", "sd_mod");
    /**
     * Part of the cache key: bump it when the initramfs layout changes for the same package versions.
     * The key also carries a hash of the generated files (init, poweroff, module list), so editing them
     * rebuilds the image instead of reusing a stale one.
     */
    static final String LAYOUT = "layout2";
    static final String KERNEL_FILE = "vmlinuz";
    static final String INITRAMFS_FILE = "initramfs.cpio";
    static final String COMPLETE_FILE = "COMPLETE";
    /** Applets linked when the busybox binary cannot be asked for its list (a non-amd64 host). */
    static final List<String> FALLBACK_APPLETS = List.of("bin/sh", "bin/ash", "bin/cat", "bin/echo", "bin/ls", "bin/mkdir",
            "bin/mount", "bin/umount", "bin/uname", "bin/grep", "bin/sed", "bin/dmesg", "bin/ps", "bin/sleep", "bin/rm", "bin/cp",
            "bin/mv", "bin/ln", "bin/true", "bin/false", "sbin/modprobe", "sbin/insmod", "sbin/lsmod", "sbin/poweroff",
            "sbin/reboot", "sbin/halt", "bin/setsid", "bin/cttyhack", "usr/bin/free", "usr/bin/head", "usr/bin/tail", "usr/bin/wc",
            "usr/bin/vi", "usr/bin/top", "usr/bin/uptime", "usr/bin/env", "usr/bin/tr", "usr/bin/awk");

    /** The cached files of one built guest. */
    public record GuestFiles(Path kernel, Path initramfs, String kernelPackage, String kernelVersion, String busyboxVersion,
                             String kernelRelease) {}

    private final Path cacheRoot;

    public DebianGuestImages(Path cacheRoot) {
        this.cacheRoot = cacheRoot;
    }

    /** $XDG_CACHE_HOME/partita, or ~/.cache/partita. */
    public static Path defaultCacheRoot() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("partita");
    }

    /** Returns the cached guest for the current Debian package versions, building it first if needed. */
    public GuestFiles defaultGuest(BuildProgress progress) throws ImageBuildException {
        Path images = cacheRoot.resolve("images");
        Path work;
        try {
            Files.createDirectories(images);
            work = Files.createTempDirectory(cacheRoot, "build-");
        } catch (IOException e) {
            throw new ImageBuildException("cannot use the cache folder " + cacheRoot + ": " + e.getMessage(), e);
        }
        try {
            AptPackages apt = new AptPackages(work);
            progress.step("resolving " + KERNEL_META_PACKAGE + " and " + BUSYBOX_PACKAGE);
            String kernelPkg = apt.resolveDependency(KERNEL_META_PACKAGE, "linux-image-");
            String kernelVersion = apt.candidateVersion(kernelPkg);
            String busyboxVersion = apt.candidateVersion(BUSYBOX_PACKAGE);
            String key = (kernelPkg + "_" + kernelVersion + "+busybox_" + busyboxVersion + "+" + LAYOUT + "-" + generatedFilesHash()).replaceAll("[^A-Za-z0-9._+-]", "_");
            Path dir = images.resolve(key);
            if (Files.exists(dir.resolve(COMPLETE_FILE))) {
                progress.step("using cached guest " + dir);
                return files(dir, kernelPkg, kernelVersion, busyboxVersion);
            }
            progress.step("downloading " + kernelPkg + " " + kernelVersion);
            Path kernelDeb = apt.download(kernelPkg, progress);
            progress.step("downloading " + BUSYBOX_PACKAGE + " " + busyboxVersion);
            Path busyboxDeb = apt.download(BUSYBOX_PACKAGE, progress);
            progress.step("unpacking");
            Path kernelTree = work.resolve("kernel");
            Path busyboxTree = work.resolve("busybox");
            DebExtractor.extract(kernelDeb, kernelTree);
            DebExtractor.extract(busyboxDeb, busyboxTree);
            Path vmlinuz = findKernel(kernelTree);
            KernelModules modules = KernelModules.scan(kernelTree);
            List<KernelModules.Module> chosen = modules.closure(MODULES);
            progress.step("building initramfs (busybox, " + chosen.size() + " modules for " + modules.version() + ")");
            Path out = work.resolve("out");
            Files.createDirectories(out);
            Path busybox = busyboxTree.resolve("bin/busybox");
            try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(out.resolve(INITRAMFS_FILE)))) {
                writeInitramfs(os, Files.readAllBytes(busybox), applets(busybox), modules.version(), chosen);
            }
            Files.copy(vmlinuz, out.resolve(KERNEL_FILE));
            Files.writeString(out.resolve(COMPLETE_FILE), "kernel-release=" + modules.version() + "\n");
            try {
                Files.move(out, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                if (!Files.exists(dir.resolve(COMPLETE_FILE))) {
                    throw e;
                } // another process finished the same build first
            }
            progress.step("guest image ready in " + dir);
            return files(dir, kernelPkg, kernelVersion, busyboxVersion);
        } catch (IOException e) {
            throw new ImageBuildException("building the guest image failed: " + e.getMessage(), e);
        } finally {
            deleteTree(work);
        }
    }

    private static GuestFiles files(Path dir, String pkg, String kv, String bv) throws ImageBuildException {
        String release;
        try {
            release = Files.readString(dir.resolve(COMPLETE_FILE)).strip().replace("kernel-release=", "");
        } catch (IOException e) {
            throw new ImageBuildException("cannot read " + dir.resolve(COMPLETE_FILE) + ": " + e.getMessage(), e);
        }
        return new GuestFiles(dir.resolve(KERNEL_FILE), dir.resolve(INITRAMFS_FILE), pkg, kv, bv, release);
    }

    /**
     * Writes the initramfs: the directory skeleton, /dev/console and /dev/null, busybox with its applet
     * links, /init, the modules under lib/modules/RELEASE with modules.dep, and /etc/partita-modules.
     */
    public static void writeInitramfs(OutputStream os, byte[] busybox, List<String> applets, String release,
                                      List<KernelModules.Module> modules) throws IOException {
        try (InitramfsWriter w = new InitramfsWriter(os, 0)) {
            for (String d : List.of("bin", "sbin", "usr/bin", "usr/sbin", "proc", "sys", "dev", "tmp", "run", "etc", "root")) {
                w.directory(d);
            }
            w.charDevice("dev/console", 5, 1, 0600);
            w.charDevice("dev/null", 1, 3, 0666);
            w.file("bin/busybox", busybox, 0755);
            for (String a : applets) {
                if (!a.equals("bin/busybox") && !a.equals(InitScript.POWEROFF_PATH)) {
                    w.symlink(a, "/bin/busybox");
                }
            }
            w.file(InitScript.POWEROFF_PATH, InitScript.poweroffText().getBytes(StandardCharsets.US_ASCII), 0755);
            w.file("init", InitScript.text().getBytes(StandardCharsets.US_ASCII), 0755);
            String base = "lib/modules/" + release + "/";
            for (KernelModules.Module m : modules) {
                w.file(base + m.relativePath(), Files.readAllBytes(m.file()), 0644);
            }
            w.file(base + "modules.dep", KernelModules.modulesDep(modules).getBytes(StandardCharsets.US_ASCII), 0644);
            StringBuilder list = new StringBuilder();
            for (String m : MODULES) {
                list.append(m).append('\n');
            }
            w.file("etc/partita-modules", list.toString().getBytes(StandardCharsets.US_ASCII), 0644);
        }
    }

    /** A short hash of the files this class generates into the initramfs (part of the cache key). */
    static String generatedFilesHash() {
        String all = InitScript.text() + "\0" + InitScript.poweroffText() + "\0" + String.join(",", MODULES);
        return String.format("%08x", all.hashCode());
    }

    /** The applet paths busybox reports with --list-full, or {@link #FALLBACK_APPLETS}. */
    static List<String> applets(Path busybox) {
        try {
            Process p = new ProcessBuilder(busybox.toString(), "--list-full").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
                List<String> list = new ArrayList<>();
                for (String l : out.lines().toList()) {
                    String a = l.strip();
                    if (!a.isEmpty() && !a.contains("..") && a.matches("[a-z/]+/[A-Za-z0-9_.\\[-]+")) {
                        list.add(a);
                    }
                }
                if (list.contains("bin/sh")) {
                    return list;
                }
            }
        } catch (IOException e) {
            // fall through: not runnable here
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return FALLBACK_APPLETS;
    }

    private static Path findKernel(Path tree) throws ImageBuildException {
        try (Stream<Path> files = Files.list(tree.resolve("boot"))) {
            return files.filter(f -> f.getFileName().toString().startsWith("vmlinuz-")).findFirst()
                    .orElseThrow(() -> new ImageBuildException("the kernel package has no boot/vmlinuz-*"));
        } catch (IOException e) {
            throw new ImageBuildException("the kernel package has no boot folder: " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // best effort: a leftover temporary folder in the cache
        }
    }
}

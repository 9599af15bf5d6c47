package dev.partita.vmms.images;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The kernel modules of an unpacked linux-image package ({@code lib/modules/<version>/kernel/...}) and
 * their dependencies, read from each module's {@code .modinfo} section ("depends=a,b"): Debian ships no
 * modules.dep (depmod runs at install), so this computes the closure and writes a modules.dep busybox
 * modprobe understands. Modules must be uncompressed .ko files (Debian 12's kernels are built with
 * CONFIG_MODULE_COMPRESS_NONE); compressed ones are refused with a message. Not thread-safe.
 */
public final class KernelModules {
    /** One module: its name (hv_vmbus), path relative to lib/modules/VERSION, and dependencies by name. */
    public record Module(String name, String relativePath, Path file, List<String> depends) {}

    private final String version;
    private final Map<String, Module> byName = new HashMap<>();

    private KernelModules(String version) {
        this.version = version;
    }

    /** Indexes every .ko under {@code root}/lib/modules/VERSION (there must be exactly one VERSION). */
    public static KernelModules scan(Path root) throws ImageBuildException {
        Path base = root.resolve("lib/modules");
        try (Stream<Path> versions = Files.list(base)) {
            List<Path> dirs = versions.filter(Files::isDirectory).toList();
            if (dirs.size() != 1) {
                throw new ImageBuildException("expected one kernel version under " + base + ", found " + dirs.size());
            }
            Path dir = dirs.getFirst();
            KernelModules km = new KernelModules(dir.getFileName().toString());
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    String n = f.getFileName().toString();
                    if (n.endsWith(".ko")) {
                        String name = n.substring(0, n.length() - 3).replace('-', '_');
                        km.byName.put(name, new Module(name, dir.relativize(f).toString(), f, null));
                    } else if (n.endsWith(".ko.xz") || n.endsWith(".ko.zst") || n.endsWith(".ko.gz")) {
                        String name = n.substring(0, n.indexOf(".ko")).replace('-', '_');
                        km.byName.putIfAbsent(name, new Module(name, dir.relativize(f).toString(), f, null));
                    }
                }
            }
            return km;
        } catch (IOException e) {
            throw new ImageBuildException("cannot read the kernel modules under " + base + ": " + e.getMessage(), e);
        }
    }

    /** The kernel version the modules belong to ("6.1.0-50-cloud-amd64"). */
    public String version() {
        return version;
    }

    /** {@code wanted} and everything they depend on, dependencies first. */
    public List<Module> closure(List<String> wanted) throws ImageBuildException {
        LinkedHashMap<String, Module> out = new LinkedHashMap<>();
        for (String w : wanted) {
            visit(w, out, new ArrayList<>());
        }
        return List.copyOf(out.values());
    }

    private void visit(String name, LinkedHashMap<String, Module> out, List<String> path) throws ImageBuildException {
        if (out.containsKey(name)) {
            return;
        }
        if (path.contains(name)) {
            throw new ImageBuildException("module dependency cycle: " + String.join(" -> ", path) + " -> " + name);
        }
        Module m = byName.get(name);
        if (m == null) {
            throw new ImageBuildException("kernel " + version + " has no module " + name
                    + (path.isEmpty() ? "" : " (needed by " + path.getLast() + ")"));
        }
        if (!m.relativePath().endsWith(".ko")) {
            throw new ImageBuildException("module " + m.relativePath() + " is compressed; only uncompressed .ko modules are supported");
        }
        List<String> deps = dependsOf(m.file());
        path.add(name);
        for (String d : deps) {
            visit(d, out, path);
        }
        path.removeLast();
        out.put(name, new Module(name, m.relativePath(), m.file(), deps));
    }

    /**
     * modules.dep lines ("kernel/drivers/hv/hv_utils.ko: kernel/drivers/hv/hv_vmbus.ko") for {@code modules}. As
     * depmod writes them, each line lists every dependency so that loading the list from the end backwards
     * loads each module after its own dependencies (busybox and kmod modprobe load in that order).
     */
    public static String modulesDep(List<Module> modules) {
        Map<String, Module> byName = new HashMap<>();
        for (Module m : modules) {
            byName.put(m.name(), m);
        }
        StringBuilder sb = new StringBuilder();
        for (Module m : modules) {
            sb.append(m.relativePath()).append(':');
            List<String> postOrder = new ArrayList<>();
            for (String d : m.depends()) {
                postOrder(d, byName, postOrder);
            }
            for (String d : postOrder.reversed()) {
                sb.append(' ').append(byName.get(d).relativePath());
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Appends {@code name} after all its dependencies (each module once). */
    private static void postOrder(String name, Map<String, Module> byName, List<String> out) {
        if (out.contains(name)) {
            return;
        }
        for (String d : byName.get(name).depends()) {
            postOrder(d, byName, out);
        }
        out.add(name);
    }

    /** The "depends=" list of an ELF64 relocatable module's .modinfo section. */
    static List<String> dependsOf(Path ko) throws ImageBuildException {
        byte[] d;
        try {
            d = Files.readAllBytes(ko);
        } catch (IOException e) {
            throw new ImageBuildException("cannot read module " + ko + ": " + e.getMessage(), e);
        }
        String modinfo = modinfo(d, ko.getFileName().toString());
        for (String field : modinfo.split("\0")) {
            if (field.startsWith("depends=")) {
                String v = field.substring("depends=".length()).strip();
                return v.isEmpty() ? List.of() : List.of(v.split(","));
            }
        }
        return List.of();
    }

    static String modinfo(byte[] d, String what) throws ImageBuildException {
        if (d.length < 64 || d[0] != 0x7F || d[1] != 'E' || d[2] != 'L' || d[3] != 'F' || d[4] != 2) {
            throw new ImageBuildException(what + " is not an ELF64 kernel module");
        }
        ByteBuffer b = ByteBuffer.wrap(d).order(ByteOrder.LITTLE_ENDIAN);
        long shoff = b.getLong(0x28);
        int shentsize = b.getShort(0x3A) & 0xFFFF;
        int shnum = b.getShort(0x3C) & 0xFFFF;
        int shstrndx = b.getShort(0x3E) & 0xFFFF;
        if (shentsize < 64 || shoff < 0 || shoff + (long) shnum * shentsize > d.length || shstrndx >= shnum) {
            throw new ImageBuildException(what + ": section headers out of range");
        }
        long strOff = section(b, shoff, shentsize, shstrndx, 0x18);
        for (int i = 0; i < shnum; i++) {
            int nameOff = b.getInt((int) (shoff + (long) i * shentsize));
            String name = cString(d, strOff + nameOff);
            if (name.equals(".modinfo")) {
                long off = section(b, shoff, shentsize, i, 0x18);
                long size = section(b, shoff, shentsize, i, 0x20);
                if (off < 0 || size < 0 || off + size > d.length) {
                    throw new ImageBuildException(what + ": .modinfo out of range");
                }
                return new String(d, (int) off, (int) size, StandardCharsets.ISO_8859_1);
            }
        }
        throw new ImageBuildException(what + " has no .modinfo section");
    }

    private static long section(ByteBuffer b, long shoff, int shentsize, int index, int field) {
        return b.getLong((int) (shoff + (long) index * shentsize + field));
    }

    private static String cString(byte[] d, long off) {
        if (off < 0 || off >= d.length) {
            return "";
        }
        int end = (int) off;
        while (end < d.length && d[end] != 0) {
            end++;
        }
        return new String(d, (int) off, end - (int) off, StandardCharsets.ISO_8859_1);
    }
}

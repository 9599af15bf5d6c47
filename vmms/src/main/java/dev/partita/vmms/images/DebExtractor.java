package dev.partita.vmms.images;

import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.CompressorException;
import org.apache.commons.compress.compressors.CompressorStreamFactory;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;

/**
 * Unpacks a .deb's data archive into a folder: with {@code dpkg-deb -x} when the host has it, else with
 * Commons Compress (ar, then the tar inside; xz needs the optional xz library on the path, gzip always
 * works). Paths escaping the folder are refused. Stateless.
 */
public final class DebExtractor {
    private DebExtractor() {}

    public static void extract(Path deb, Path into) throws ImageBuildException {
        try {
            Files.createDirectories(into);
            if (Files.isExecutable(Path.of("/usr/bin/dpkg-deb"))) {
                Process p = new ProcessBuilder("dpkg-deb", "-x", deb.toString(), into.toString()).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                    throw new ImageBuildException("dpkg-deb -x " + deb.getFileName() + " failed: " + out.strip());
                }
                return;
            }
            extractWithCommonsCompress(deb, into);
        } catch (IOException e) {
            throw new ImageBuildException("cannot unpack " + deb.getFileName() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageBuildException("interrupted while unpacking " + deb.getFileName(), e);
        }
    }

    static void extractWithCommonsCompress(Path deb, Path into) throws IOException, ImageBuildException {
        try (ArArchiveInputStream ar = new ArArchiveInputStream(new BufferedInputStream(Files.newInputStream(deb)))) {
            ArArchiveEntry e;
            while ((e = ar.getNextEntry()) != null) {
                if (!e.getName().startsWith("data.tar")) {
                    continue;
                }
                InputStream data = e.getName().equals("data.tar") ? ar : decompress(ar, e.getName());
                untar(new TarArchiveInputStream(data), into);
                return;
            }
        }
        throw new ImageBuildException(deb.getFileName() + " has no data.tar member: not a Debian package");
    }

    private static InputStream decompress(InputStream in, String name) throws ImageBuildException {
        try {
            return new CompressorStreamFactory().createCompressorInputStream(new BufferedInputStream(in));
        } catch (CompressorException | LinkageError e) {
            throw new ImageBuildException("cannot decompress " + name + " without dpkg-deb (" + e.getMessage()
                    + "); install dpkg", e);
        }
    }

    private static void untar(TarArchiveInputStream tar, Path into) throws IOException, ImageBuildException {
        Path root = into.toAbsolutePath().normalize();
        TarArchiveEntry t;
        while ((t = tar.getNextEntry()) != null) {
            Path target = root.resolve(t.getName()).normalize();
            if (!target.startsWith(root)) {
                throw new ImageBuildException("package entry " + t.getName() + " escapes the unpack folder");
            }
            if (t.isDirectory()) {
                Files.createDirectories(target);
            } else if (t.isSymbolicLink()) {
                Files.createDirectories(target.getParent());
                Files.deleteIfExists(target);
                Files.createSymbolicLink(target, Path.of(t.getLinkName()));
            } else if (t.isFile()) {
                Files.createDirectories(target.getParent());
                Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                if ((t.getMode() & 0111) != 0) {
                    target.toFile().setExecutable(true, false);
                }
            }
        }
    }
}

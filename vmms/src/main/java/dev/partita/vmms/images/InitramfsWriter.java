package dev.partita.vmms.images;

import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioConstants;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * Writes an initramfs as an uncompressed "newc" cpio archive (the format the kernel unpacks) with
 * Commons Compress: directories (parents created on demand), regular files, symbolic links and
 * character-device nodes, all owned by root. Not thread-safe; close to write the trailer.
 */
public final class InitramfsWriter implements AutoCloseable {
    private final CpioArchiveOutputStream cpio;
    private final Set<String> dirs = new HashSet<>();
    private final long mtime;

    /** @param mtime modification time of every entry, seconds since the epoch (fixed for reproducible images) */
    public InitramfsWriter(OutputStream out, long mtime) {
        this.cpio = new CpioArchiveOutputStream(out, CpioConstants.FORMAT_NEW);
        this.mtime = mtime;
    }

    public InitramfsWriter directory(String path) throws IOException {
        String p = strip(path);
        if (p.isEmpty() || dirs.contains(p)) {
            return this;
        }
        parents(p);
        dirs.add(p);
        put(p, CpioConstants.C_ISDIR | 0755, new byte[0], 2);
        return this;
    }

    public InitramfsWriter file(String path, byte[] data, int permissions) throws IOException {
        String p = strip(path);
        parents(p);
        put(p, CpioConstants.C_ISREG | (permissions & 07777), data, 1);
        return this;
    }

    public InitramfsWriter symlink(String path, String target) throws IOException {
        String p = strip(path);
        parents(p);
        put(p, CpioConstants.C_ISLNK | 0777, target.getBytes(StandardCharsets.UTF_8), 1);
        return this;
    }

    public InitramfsWriter charDevice(String path, int major, int minor, int permissions) throws IOException {
        String p = strip(path);
        parents(p);
        CpioArchiveEntry e = entry(p, CpioConstants.C_ISCHR | (permissions & 07777), 0, 1);
        e.setRemoteDeviceMaj(major);
        e.setRemoteDeviceMin(minor);
        cpio.putArchiveEntry(e);
        cpio.closeArchiveEntry();
        return this;
    }

    private void parents(String p) throws IOException {
        int slash = p.lastIndexOf('/');
        if (slash > 0) {
            directory(p.substring(0, slash));
        }
    }

    private void put(String p, long mode, byte[] data, int links) throws IOException {
        cpio.putArchiveEntry(entry(p, mode, data.length, links));
        cpio.write(data);
        cpio.closeArchiveEntry();
    }

    private CpioArchiveEntry entry(String p, long mode, long size, int links) {
        CpioArchiveEntry e = new CpioArchiveEntry(CpioConstants.FORMAT_NEW, p, size);
        e.setMode(mode);
        e.setNumberOfLinks(links);
        e.setTime(mtime);
        e.setUID(0);
        e.setGID(0);
        return e;
    }

    private static String strip(String path) {
        String p = path;
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.contains("..")) {
            throw new IllegalArgumentException("initramfs path with '..': " + path);
        }
        return p;
    }

    @Override
    public void close() throws IOException {
        cpio.finish();
        cpio.close();
    }
}

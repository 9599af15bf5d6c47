package dev.partita.devices.storage.disk.vhdx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Small valid VHDX files as byte arrays, for forging and fuzzing: a dynamic disk with written blocks, the
 * same disk left with a log entry to replay (a crash after the log flush), and a differencing child with
 * its parent. Built once per JVM in a temporary folder.
 */
public final class VhdxTemplates {
    /** File name the differencing template expects its parent under, in the same folder. */
    public static final String PARENT_NAME = "parent.vhdx";

    private static byte[] dynamic;
    private static byte[] pendingLog;
    private static byte[] child;
    private static byte[] parent;

    private VhdxTemplates() {
    }

    /** An 8 MiB dynamic disk with 1 MiB blocks, blocks 0 and 5 written. */
    public static synchronized byte[] dynamic() {
        build();
        return dynamic.clone();
    }

    /** The dynamic template after a crash between the log flush and the BAT write of block 6. */
    public static synchronized byte[] pendingLog() {
        build();
        return pendingLog.clone();
    }

    /** A differencing child of {@link #parent()} with a partially written block. */
    public static synchronized byte[] child() {
        build();
        return child.clone();
    }

    public static synchronized byte[] parent() {
        build();
        return parent.clone();
    }

    private static void build() {
        if (dynamic != null) {
            return;
        }
        try {
            Path dir = Files.createTempDirectory("vhdx-templates");
            Path d = dir.resolve("d.vhdx");
            VhdxImages.createDynamic(d, 8L << 20, 1L << 20);
            try (VhdxDisk disk = VhdxDisk.open(d, false)) {
                disk.write(0, MemorySegment.ofArray(new byte[] {1, 2, 3, 4}));
                disk.write(5L << 20, MemorySegment.ofArray(new byte[4096]).fill((byte) 0x5A));
            }
            dynamic = Files.readAllBytes(d);
            CommitHook crash = stage -> {
                if (stage == CommitHook.Stage.LOG_FLUSHED) {
                    throw new IOException("template crash");
                }
            };
            try (VhdxDisk disk = VhdxDisk.open(d, false, false, crash, 0)) {
                disk.write(6L << 20, MemorySegment.ofArray(new byte[4096]).fill((byte) 0x66));
            } catch (IOException expected) {
                // the crash leaves the entry in the log
            }
            pendingLog = Files.readAllBytes(d);
            Path p = dir.resolve(PARENT_NAME);
            Files.write(p, dynamic);
            Path c = dir.resolve("child.vhdx");
            VhdxImages.createDifferencing(c, p);
            try (VhdxDisk disk = VhdxDisk.open(c, false)) {
                disk.write(512, MemorySegment.ofArray(new byte[1024]).fill((byte) 0x77));
            }
            child = Files.readAllBytes(c);
            parent = Files.readAllBytes(p);
            for (Path f : new Path[] {d, p, c}) {
                Files.delete(f);
            }
            Files.delete(dir);
        } catch (Exception e) {
            throw new IllegalStateException("building VHDX templates", e);
        }
    }
}

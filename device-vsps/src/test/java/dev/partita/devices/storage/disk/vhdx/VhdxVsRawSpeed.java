package dev.partita.devices.storage.disk.vhdx;

import dev.partita.devices.storage.disk.BlockDevice;
import dev.partita.devices.storage.disk.RawImageDisk;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * A speed check, not a test: 4 KiB random reads and writes through {@link VhdxDisk} and {@link RawImageDisk}
 * on files in the same folder (page cache warm, no flushes), alternating rounds, and the VHDX/raw ratio.
 * Also first-write cost: 4 KiB writes that each allocate a block of a new dynamic VHDX (a logged BAT update
 * with two fdatasyncs each). Run with the test class path: {@code java ... VhdxVsRawSpeed [DIR] [MiB] [ops]}.
 */
public final class VhdxVsRawSpeed {
    private VhdxVsRawSpeed() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory(Path.of(args.length > 0 ? args[0] : System.getProperty("java.io.tmpdir")), "vhdx-speed");
        long mib = args.length > 1 ? Long.parseLong(args[1]) : 256;
        int ops = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        long bytes = mib << 20;
        Path raw = dir.resolve("raw.img");
        Path vhdx = dir.resolve("disk.vhdx");
        byte[] chunk = new byte[1 << 20];
        SplittableRandom fill = new SplittableRandom(1);
        VhdxImages.createDynamic(vhdx, bytes, VhdxImages.DEFAULT_DYNAMIC_BLOCK);
        try (var out = Files.newOutputStream(raw); VhdxDisk v = VhdxDisk.open(vhdx, false)) {
            for (long at = 0; at < bytes; at += chunk.length) {
                fill.nextBytes(chunk);
                out.write(chunk);
                v.write(at, MemorySegment.ofArray(chunk));
            }
        }
        try (Arena arena = Arena.ofConfined();
             BlockDevice r = RawImageDisk.open(raw, false);
             BlockDevice v = VhdxDisk.open(vhdx, false)) {
            MemorySegment buf = arena.allocate(4096, 4096);
            for (int round = 1; round <= 5; round++) {
                double rawRead = ops(r, buf, ops, false, round);
                double vhdxRead = ops(v, buf, ops, false, round);
                double rawWrite = ops(r, buf, ops, true, round);
                double vhdxWrite = ops(v, buf, ops, true, round);
                System.out.printf("round %d: 4K random read IOPS raw %.0f vhdx %.0f (ratio %.2f); "
                                + "4K random write IOPS raw %.0f vhdx %.0f (ratio %.2f)%n", round, rawRead, vhdxRead,
                        vhdxRead / rawRead, rawWrite, vhdxWrite, vhdxWrite / rawWrite);
            }
        }
        Path fresh = dir.resolve("fresh.vhdx");
        VhdxImages.createDynamic(fresh, bytes, 1L << 20);
        try (Arena arena = Arena.ofConfined(); VhdxDisk v = VhdxDisk.open(fresh, false)) {
            MemorySegment buf = arena.allocate(4096, 4096);
            int blocks = (int) Math.min(200, mib);
            long t = System.nanoTime();
            for (int b = 0; b < blocks; b++) {
                v.write((long) b << 20, buf);
            }
            double s = (System.nanoTime() - t) / 1e9;
            System.out.printf("first writes: %d block allocations (1 MiB blocks) at %.0f per second (%.2f ms each)%n",
                    blocks, blocks / s, s * 1000 / blocks);
        }
        for (Path p : new Path[] {raw, vhdx, fresh}) {
            Files.delete(p);
        }
        Files.delete(dir);
    }

    private static double ops(BlockDevice d, MemorySegment buf, int n, boolean write, long seed) throws Exception {
        SplittableRandom rnd = new SplittableRandom(seed);
        long pages = d.sectorCount() / 8;
        long t = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long at = rnd.nextLong(pages) * 4096;
            if (write) {
                d.write(at, buf);
            } else {
                d.read(at, buf);
            }
        }
        return n / ((System.nanoTime() - t) / 1e9);
    }
}

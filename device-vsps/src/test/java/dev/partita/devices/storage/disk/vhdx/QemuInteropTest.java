package dev.partita.devices.storage.disk.vhdx;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import static dev.partita.devices.storage.disk.vhdx.QemuImg.qemuImg;
import static org.junit.jupiter.api.Assertions.*;

/**
 * qemu-img (Debian qemu-utils) as the independent reader and writer: images qemu made read the same here,
 * images made or changed here pass {@code qemu-img check} and {@code qemu-img compare} against a raw copy.
 * qemu does not open differencing VHDX files, so differencing disks are checked after a merge.
 */
class QemuInteropTest {
    private static final long MIB = 1 << 20;

    @TempDir
    Path dir;

    private Path raw(String name, byte[] contents) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, contents);
        return p;
    }

    private static void assertClean(Path vhdx) throws Exception {
        QemuImg.Result check = qemuImg("check", "-f", "vhdx", vhdx.toString());
        assertEquals(0, check.exit(), "qemu-img check is clean: " + check.describe());
    }

    private static void assertSameAs(Path vhdx, Path raw) throws Exception {
        QemuImg.Result cmp = qemuImg("compare", "-f", "vhdx", "-F", "raw", vhdx.toString(), raw.toString());
        assertEquals(0, cmp.exit(), "qemu-img compare finds the images identical: " + cmp.describe());
    }

    @Test
    void vhdxMadeByQemuReadsTheSameAndStaysCleanAfterOurWrites() throws Exception {
        QemuImg.require("QemuInteropTest.qemuMade");
        byte[] reference = new byte[(int) (40 * MIB)];
        SplittableRandom rnd = new SplittableRandom(11);
        for (int i = 0; i < 12; i++) {
            int at = rnd.nextInt(reference.length - 70000);
            byte[] p = VhdxDiskTest.pattern(rnd, 1 + rnd.nextInt(65536));
            System.arraycopy(p, 0, reference, at, p.length);
        }
        Path src = raw("src.raw", reference);
        Path vhdx = dir.resolve("q.vhdx");
        QemuImg.Result conv = qemuImg("convert", "-f", "raw", "-O", "vhdx", "-o", "subformat=dynamic,block_size=1M",
                src.toString(), vhdx.toString());
        assertEquals(0, conv.exit(), conv.describe());
        try (VhdxDisk d = VhdxDisk.open(vhdx, false)) {
            assertArrayEquals(reference, VhdxDiskTest.readAll(d), "our reader agrees with qemu's writer");
            VhdxDiskTest.mixedWrites(d, reference, rnd, MIB);
        }
        assertClean(vhdx);
        assertSameAs(vhdx, raw("after.raw", reference));

        Path big = dir.resolve("empty.vhdx");        // qemu's defaults: 32 MiB blocks (or its choice), all unallocated
        assertEquals(0, qemuImg("create", "-f", "vhdx", big.toString(), "100M").exit());
        byte[] ref2 = new byte[(int) (100 * MIB)];
        try (VhdxDisk d = VhdxDisk.open(big, false)) {
            assertArrayEquals(ref2, VhdxDiskTest.readAll(d));
            VhdxDiskTest.mixedWrites(d, ref2, rnd, d.blockSize());
        }
        assertClean(big);
        assertSameAs(big, raw("big.raw", ref2));
    }

    @Test
    void vhdxMadeHereIsCleanAndEqualForQemu() throws Exception {
        QemuImg.require("QemuInteropTest.madeHere");
        for (long blockSize : new long[] {MIB, VhdxImages.DEFAULT_DYNAMIC_BLOCK}) {
            Path vhdx = dir.resolve("ours-" + blockSize + ".vhdx");
            VhdxImages.createDynamic(vhdx, 72 * MIB, blockSize);
            assertClean(vhdx);
            byte[] reference = new byte[(int) (72 * MIB)];
            SplittableRandom rnd = new SplittableRandom(blockSize);
            try (VhdxDisk d = VhdxDisk.open(vhdx, false)) {
                VhdxDiskTest.mixedWrites(d, reference, rnd, blockSize);
            }
            assertClean(vhdx);
            Path ref = raw("ref-" + blockSize + ".raw", reference);
            assertSameAs(vhdx, ref);
            QemuImg.Result info = qemuImg("info", "--output=json", vhdx.toString());
            assertTrue(info.output().contains("\"virtual-size\": " + 72 * MIB), info.describe());
            // a second session on the same file (new FileWriteGuid, log reused)
            try (VhdxDisk d = VhdxDisk.open(vhdx, false)) {
                VhdxDiskTest.write(d, reference, 70 * MIB, VhdxDiskTest.pattern(rnd, (int) MIB));
            }
            Files.write(ref, reference);
            assertClean(vhdx);
            assertSameAs(vhdx, ref);
        }
    }

    @Test
    void mergedDifferencingDiskLeavesACleanParentWithTheChildsContents() throws Exception {
        QemuImg.require("QemuInteropTest.merge");
        Path base = dir.resolve("base.vhdx");
        VhdxImages.createDynamic(base, 48 * MIB, MIB);
        byte[] reference = new byte[(int) (48 * MIB)];
        SplittableRandom rnd = new SplittableRandom(21);
        try (VhdxDisk d = VhdxDisk.open(base, false)) {
            VhdxDiskTest.mixedWrites(d, reference, rnd, MIB);
        }
        byte[] beforeChild = reference.clone();
        Path child = dir.resolve("child.vhdx");
        VhdxImages.createDifferencing(child, base);
        try (VhdxDisk c = VhdxDisk.open(child, false)) {
            VhdxDiskTest.mixedWrites(c, reference, rnd, VhdxImages.DEFAULT_DIFFERENCING_BLOCK);
            VhdxDiskTest.write(c, reference, 40 * MIB + 777, VhdxDiskTest.pattern(rnd, 5000));
        }
        assertClean(base);
        assertSameAs(base, raw("before.raw", beforeChild));      // the parent did not change while the child was written
        VhdxImages.merge(child);
        assertClean(base);
        assertSameAs(base, raw("merged.raw", reference));
    }
}

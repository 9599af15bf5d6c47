package dev.partita.vmms.storage;

import dev.partita.devices.storage.DiskSpec;
import dev.partita.devices.storage.disk.vhdx.VhdxDisk;
import dev.partita.devices.storage.disk.vhdx.VhdxImages;
import dev.partita.hv.Hypervisor;
import dev.partita.vmms.CommandLineRun;
import dev.partita.vmms.linux.SyntheticBzImage;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.partita.vmms.CommandLineRun.run;
import static org.junit.jupiter.api.Assertions.*;

/** {@code partita run --kernel K --disk PATH[,ro]}: parsing, bad images, and a run with disks attached. */
class DiskOptionTest {
    @TempDir
    Path dir;

    /**
     * A minimal bzImage (boot protocol 2.15, 64-bit entry, relocatable) whose startup_64 writes "OK\n" to COM1 and
     * powers off through PM1a_CNT (0x604 = SLP_TYP 5 | SLP_EN).
     */
    private Path helloKernel() throws Exception {
        byte[] code = {0x66, (byte) 0xBA, (byte) 0xF8, 0x03, (byte) 0xB0, 'O', (byte) 0xEE, (byte) 0xB0, 'K', (byte) 0xEE,
                (byte) 0xB0, '\n', (byte) 0xEE, 0x66, (byte) 0xBA, 0x04, 0x06, 0x66, (byte) 0xB8, 0x00, 0x34, 0x66, (byte) 0xEF,
                (byte) 0xF4, (byte) 0xEB, (byte) 0xFD};
        Path k = dir.resolve("hello.bzImage");
        Files.write(k, SyntheticBzImage.of(code, 0x1000));
        return k;
    }

    @Test
    void unknownDiskOptionIsBadInput() {
        CommandLineRun r = run("run", "--kernel", dir.resolve("none").toString(), "--disk", "a.img,bogus");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("unknown option 'bogus'"), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one-line error: " + r.err());
    }

    @Test
    void diskWithoutKernelIsBadInput() {
        CommandLineRun r = run("run", "--disk", "a.img");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--kernel"), r.err());
    }

    @Test
    void missingImageIsBadInputNamingIt() throws Exception {
        Path missing = dir.resolve("missing.img");
        CommandLineRun r = run("run", "--kernel", helloKernel().toString(), "--backend", "emulator", "--memory", "64M", "--disk",
                missing + ",ro");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains(missing.toString()), r.err());
    }

    @Test
    void runWithTwoDisksAttachesThemAndEndsNormally() throws Exception {
        var a = Hypervisor.get().availability("emulator");
        if (!a.usable()) {
            System.out.println("SKIP DiskOptionTest.runWithTwoDisks: " + a.reason());
        }
        Assumptions.assumeTrue(a.usable(), a.reason());
        DiskSpec rw = ScratchDisks.create(1 << 20);
        DiskSpec ro = ScratchDisks.create(2 << 20);
        CommandLineRun r = run("run", "--kernel", helloKernel().toString(), "--backend", "emulator", "--memory", "64M", "--timeout", "120s",
                "--disk", rw.path().toString(), "--disk", ro.path() + ",ro");
        assertEquals(0, r.exit(), r.err());
        assertEquals("OK\n", r.out());
        assertEquals(1 << 20, Files.size(rw.path()), "the image keeps its size");
    }

    @Test
    void forgedVhdxIsBadInputWithOneLine() throws Exception {
        Path forged = dir.resolve("forged.img");
        byte[] b = new byte[2 << 20];
        System.arraycopy("vhdxfile".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, b, 0, 8);
        Files.write(forged, b);
        CommandLineRun r = run("run", "--kernel", helloKernel().toString(), "--backend", "emulator", "--memory", "64M", "--disk",
                forged.toString());
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains(forged + ": not a valid VHDX image: neither header"), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one-line error: " + r.err());
    }

    @Test
    void runWithVhdxDisksAttachesThemByContent() throws Exception {
        var a = Hypervisor.get().availability("emulator");
        if (!a.usable()) {
            System.out.println("SKIP DiskOptionTest.runWithVhdxDisks: " + a.reason());
        }
        Assumptions.assumeTrue(a.usable(), a.reason());
        Path base = dir.resolve("base.img");               // a VHDX whatever its name
        VhdxImages.createDynamic(base, 4 << 20, 1 << 20);
        Path child = dir.resolve("child.vhdx");
        VhdxImages.createDifferencing(child, base);
        Path other = dir.resolve("other.vhdx");
        VhdxImages.createDynamic(other, 8 << 20, 1 << 20);
        CommandLineRun r = run("run", "--kernel", helloKernel().toString(), "--backend", "emulator", "--memory", "64M", "--timeout", "120s",
                "--disk", child.toString(), "--disk", other + ",ro");
        assertEquals(0, r.exit(), r.err());
        assertEquals("OK\n", r.out());
        try (VhdxDisk c = VhdxDisk.open(child, true)) {
            assertEquals(base.toRealPath(), c.parentPath().toRealPath(), "the child and its chain were closed cleanly");
        }
    }

    @Test
    void scratchDiskIsSparseZeroedAndSized() throws Exception {
        DiskSpec d = ScratchDisks.create(64L << 20);
        assertFalse(d.readOnly());
        assertEquals(64L << 20, Files.size(d.path()));
        assertThrows(IllegalArgumentException.class, () -> ScratchDisks.create(1000));
        Files.delete(d.path());
    }
}

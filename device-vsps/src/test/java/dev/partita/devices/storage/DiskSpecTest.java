package dev.partita.devices.storage;

import dev.partita.devices.storage.disk.DiskImageException;
import dev.partita.devices.storage.scsi.ScsiAddress;
import dev.partita.hv.memory.GuestMemory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class DiskSpecTest {
    @TempDir
    Path dir;

    @Test
    void parsesPathAndReadOnlyOption() {
        assertEquals(new DiskSpec(Path.of("/a/b.img"), false), DiskSpec.parse("/a/b.img"));
        assertEquals(new DiskSpec(Path.of("/a/b.img"), true), DiskSpec.parse("/a/b.img,ro"));
        assertEquals(new DiskSpec(Path.of("x,y.img"), false), DiskSpec.parse("x,y.img,rw"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DiskSpec.parse("a.img,rx")).getMessage().contains("'rx'"));
        assertThrows(IllegalArgumentException.class, () -> DiskSpec.parse(",ro"));
    }

    @Test
    void controllerAttachesDisksAsConsecutiveLunsAndClosesOnFailure() throws Exception {
        Path a = dir.resolve("a.img");
        Path b = dir.resolve("b.img");
        Files.write(a, new byte[4096]);
        Files.write(b, new byte[8192]);
        try (GuestMemory m = GuestMemory.allocate(1 << 20)) {
            try (StorageControllers c = StorageControllers.open(m, List.of(DiskSpec.parse(a.toString()), DiskSpec.parse(b + ",ro")))) {
                assertNotNull(c.vsp().bus().unit(new ScsiAddress(0, 0, 1)));
                assertTrue(c.devices().get(1).readOnly());
                assertFalse(c.devices().get(0).readOnly());
                assertEquals(16, c.devices().get(1).sectorCount());
                assertEquals(1, openDescriptorsOf(a), "an open controller holds its image open");
            }
            assertEquals(0, openDescriptorsOf(a), "close() closes every image");
            DiskImageException e = assertThrows(DiskImageException.class,
                    () -> StorageControllers.open(m, List.of(DiskSpec.parse(a.toString()), DiskSpec.parse(dir.resolve("missing.img").toString()))));
            assertTrue(e.getMessage().contains("missing.img"), e.getMessage());
            assertEquals(0, openDescriptorsOf(a), "the image opened before the failing one is closed");
        }
    }

    /** How many of this process's file descriptors refer to {@code file} (Linux: /proc/self/fd). */
    private static long openDescriptorsOf(Path file) throws IOException {
        Path fdDir = Path.of("/proc/self/fd");
        assumeTrue(Files.isDirectory(fdDir), "needs /proc/self/fd to see open descriptors");
        Path real = file.toRealPath();
        try (Stream<Path> fds = Files.list(fdDir)) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(real);
                } catch (IOException gone) {
                    return false; // closed while listing (the listing's own descriptor, for one)
                }
            }).count();
        }
    }
}

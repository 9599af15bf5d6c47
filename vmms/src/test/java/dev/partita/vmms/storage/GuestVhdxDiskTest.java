package dev.partita.vmms.storage;

import dev.partita.hv.BackendChoice;
import dev.partita.devices.storage.DiskSpec;
import dev.partita.devices.storage.disk.vhdx.VhdxDisk;
import dev.partita.devices.storage.disk.vhdx.VhdxImages;
import dev.partita.hv.PartitionResult;
import dev.partita.hv.boot.LinuxKernel;
import dev.partita.vmms.images.DebianGuestImages;
import dev.partita.vmms.worker.LinuxVmWorker;
import dev.partita.vmms.worker.VmBusDevices;
import dev.partita.vmms.worker.VmDefinition;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The Debian guest on the emulator writes to a VHDX disk attached as {@code --disk PATH} (a {@link DiskSpec}
 * parsed from the path: the image is recognised by its signature). Afterwards qemu-img (Debian qemu-utils)
 * is the independent reader: {@code qemu-img check} is clean, and the image converted to raw holds the
 * guest's file (debugfs) in a clean file system ({@code e2fsck -fn}). On a differencing disk the parent stays
 * byte-for-byte unchanged, the child holds the guest's file, and merging the child leaves a clean parent
 * that holds it. Skipped (reason printed) without e2fsprogs, qemu-utils (installed when root) or the guest
 * image. One boot each, about 30-90 s on the emulator depending on load.
 */
class GuestVhdxDiskTest {
    private static final long DISK_BYTES = 32L << 20;
    private static final Duration BOOT_AND_SCRIPT = Duration.ofSeconds(400);

    @TempDir
    Path dir;

    private static String token(String prefix) {
        byte[] b = new byte[8];
        new SecureRandom().nextBytes(b);
        return prefix + "-" + HexFormat.of().formatHex(b);
    }

    /** A dynamic VHDX (1 MiB blocks) holding a host-made ext4 file system with hello.txt. */
    private Path hostVhdx(String hostText) throws Exception {
        Path content = Files.createDirectories(dir.resolve("content"));
        Files.writeString(content.resolve("hello.txt"), hostText + "\n");
        Path raw = dir.resolve("fs.raw");
        Ext4Images.create(raw, DISK_BYTES, content);
        Path vhdx = dir.resolve("disk.vhdx");
        VhdxImages.createDynamic(vhdx, DISK_BYTES, 1L << 20);
        byte[] all = Files.readAllBytes(raw);
        byte[] zero = new byte[64 << 10];
        try (VhdxDisk d = VhdxDisk.open(vhdx, false)) {
            for (int at = 0; at < all.length; at += zero.length) {
                byte[] chunk = Arrays.copyOfRange(all, at, at + zero.length);
                if (!Arrays.equals(chunk, zero)) {
                    d.write(at, MemorySegment.ofArray(chunk));
                }
            }
        }
        Files.delete(raw);
        return vhdx;
    }

    private static void requireQemuImg(String test) throws IOException {
        if (Files.isExecutable(Path.of("/usr/bin/qemu-img"))) {
            return;
        }
        if (HostCommands.root()) {
            HostCommands.run(900, "apt-get", "install", "-y", "-q", "qemu-utils");
            if (!Files.isExecutable(Path.of("/usr/bin/qemu-img"))) {
                HostCommands.run(900, "apt-get", "update", "-q");
                HostCommands.run(900, "apt-get", "install", "-y", "-q", "qemu-utils");
            }
            if (Files.isExecutable(Path.of("/usr/bin/qemu-img"))) {
                return;
            }
        }
        String reason = "qemu-img (Debian qemu-utils) is not installed and could not be installed";
        System.out.println("SKIP " + test + ": " + reason);
        Assumptions.abort(reason);
    }

    /** Boots the guest on {@code disk}, which writes {@code guestText} to /from-guest.txt; returns the disk's VPD 0x80 serial. */
    private static String runGuest(DebianGuestImages.GuestFiles guest, Path disk, String guestText) throws Exception {
        String cmdline = StorageGuests.cmdline(List.of(
                "echo sda-serial=$(tail -c 36 /sys/block/sda/device/vpd_pg80)",
                "mount -t ext4 /dev/sda /mnt && echo mounted=yes",
                "echo host-file=$(cat /mnt/hello.txt)",
                "echo " + guestText + " > /mnt/from-guest.txt",
                "dd if=/dev/urandom of=/mnt/bulk.bin bs=64k count=48 2>/dev/null && echo bulk=yes",
                "sync && echo synced=yes",
                "umount /mnt && echo unmounted=yes",
                "echo storage-done=yes",
                "poweroff -f"));
        VmDefinition def = new VmDefinition("vhdx-test", LinuxKernel.read(guest.kernel()), Files.readAllBytes(guest.initramfs()),
                cmdline, 256L << 20, 1, BackendChoice.EMULATOR, VmBusDevices.STANDARD, List.of(DiskSpec.parse(disk.toString())));
        GuestConsole console = new GuestConsole(Boolean.getBoolean("partita.storage.echo"));
        try (LinuxVmWorker worker = LinuxVmWorker.build(def, console)) {
            worker.start();
            boolean done;
            try {
                done = console.awaitLine("storage-done=", BOOT_AND_SCRIPT, worker.partition()::hasEnded);
            } catch (TimeoutException e) {
                String missing = StorageGuests.vmbusMissing(console.text());
                fail((missing != null ? missing : "the guest script did not finish") + "\n" + console.tail(3000));
                return null;
            }
            String log = console.tail(6000);
            assertTrue(done, "the guest ended before its script finished:\n" + log);
            assertEquals(String.valueOf(DISK_BYTES / 512), console.value("sda-sectors"), log);
            assertEquals("yes", console.value("mounted"), log);
            assertEquals("yes", console.value("bulk"), log);
            assertEquals("yes", console.value("unmounted"), log);
            PartitionResult result = worker.partition().awaitExit(Duration.ofSeconds(60));
            assertEquals(new PartitionResult.Exited(0), result, console.tail(3000));
            return console.value("sda-serial");
        }
    }

    private static void assertQemuClean(Path vhdx) throws IOException {
        HostCommands.Result check = HostCommands.run(120, "qemu-img", "check", "-f", "vhdx", vhdx.toString());
        assertEquals(0, check.exit(), "qemu-img check is clean: " + check.describe());
    }

    /** qemu-img convert to raw, then the file system is clean and holds {@code path} with {@code text}. */
    private void assertGuestFileViaQemu(Path vhdx, String path, String text) throws IOException {
        Path raw = dir.resolve(vhdx.getFileName() + ".raw");
        HostCommands.Result conv = HostCommands.run(300, "qemu-img", "convert", "-f", "vhdx", "-O", "raw",
                vhdx.toString(), raw.toString());
        assertEquals(0, conv.exit(), conv.describe());
        assertFsHolds(raw, path, text);
        Files.delete(raw);
    }

    private static void assertFsHolds(Path raw, String path, String text) throws IOException {
        HostCommands.Result fsck = HostCommands.run(120, "e2fsck", "-fn", raw.toString());
        assertEquals(0, fsck.exit(), "the guest left a clean file system: " + fsck.describe());
        assertEquals(text + "\n", Ext4Images.cat(raw, path));
    }

    @Test
    void guestWritesToDynamicVhdxAndQemuReadsACleanFileSystem() throws Exception {
        String test = "GuestVhdxDiskTest.dynamic";
        Ext4Images.requireTools(test);
        requireQemuImg(test);
        DebianGuestImages.GuestFiles guest = StorageGuests.guestOrSkip(test);
        String hostText = token("host");
        String guestText = token("guest");
        Path vhdx = hostVhdx(hostText);
        assertQemuClean(vhdx);
        String serial = runGuest(guest, vhdx, guestText);
        try (VhdxDisk d = VhdxDisk.open(vhdx, true)) {
            assertEquals(d.page83Id().toString(), serial, "the guest sees the VHDX's page 83 identifier as the disk serial");
        }
        assertQemuClean(vhdx);
        assertGuestFileViaQemu(vhdx, "/from-guest.txt", guestText);
        assertGuestFileViaQemu(vhdx, "/hello.txt", hostText);
    }

    @Test
    void guestWritesToDifferencingVhdxParentUnchangedMergeCarriesTheWrites() throws Exception {
        String test = "GuestVhdxDiskTest.differencing";
        Ext4Images.requireTools(test);
        requireQemuImg(test);
        DebianGuestImages.GuestFiles guest = StorageGuests.guestOrSkip(test);
        String hostText = token("host");
        String guestText = token("guest");
        Path base = hostVhdx(hostText);
        Path child = dir.resolve("child.vhdx");
        VhdxImages.createDifferencing(child, base);
        String baseBefore = Ext4Images.sha256(base);
        String serial = runGuest(guest, child, guestText);
        try (VhdxDisk b = VhdxDisk.open(base, true)) {
            assertEquals(b.page83Id().toString(), serial, "on the child the guest still sees the parent's disk identity");
        }
        assertEquals(baseBefore, Ext4Images.sha256(base), "the parent is not written while the child is in use");

        Path childRaw = dir.resolve("child.raw");            // qemu does not read differencing VHDX: our reader
        try (VhdxDisk c = VhdxDisk.open(child, true)) {
            byte[] all = new byte[(int) DISK_BYTES];
            c.read(0, MemorySegment.ofArray(all));
            Files.write(childRaw, all);
        }
        assertFsHolds(childRaw, "/from-guest.txt", guestText);
        assertEquals(hostText + "\n", Ext4Images.cat(childRaw, "/hello.txt"));
        assertThrows(IOException.class, () -> {
            Path raw = dir.resolve("base-before.raw");
            HostCommands.run(300, "qemu-img", "convert", "-f", "vhdx", "-O", "raw", base.toString(), raw.toString());
            Ext4Images.cat(raw, "/from-guest.txt");
        }, "the guest's file is not in the parent before the merge");

        VhdxImages.merge(child);
        assertQemuClean(base);
        assertGuestFileViaQemu(base, "/from-guest.txt", guestText);
        assertGuestFileViaQemu(base, "/hello.txt", hostText);
    }
}

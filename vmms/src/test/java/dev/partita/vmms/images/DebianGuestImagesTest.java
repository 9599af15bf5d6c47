package dev.partita.vmms.images;

import dev.partita.hv.boot.BzImage;
import dev.partita.hv.boot.LinuxKernel;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class DebianGuestImagesTest {
    @TempDir
    Path dir;

    /** A minimal ELF64 relocatable with a .modinfo section holding {@code modinfo}. */
    static byte[] fakeModule(String modinfo) {
        byte[] info = modinfo.getBytes(StandardCharsets.US_ASCII);
        byte[] shstr = "\0.shstrtab\0.modinfo\0".getBytes(StandardCharsets.US_ASCII);
        int infoOff = 64, strOff = infoOff + info.length, shoff = (strOff + shstr.length + 7) & ~7;
        ByteBuffer b = ByteBuffer.allocate(shoff + 3 * 64).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7F, 'E', 'L', 'F', 2, 1, 1});
        b.putShort(16, (short) 1).putShort(18, (short) 62).putInt(20, 1).putLong(0x28, shoff);
        b.putShort(0x34, (short) 64).putShort(0x3A, (short) 64).putShort(0x3C, (short) 3).putShort(0x3E, (short) 1);
        b.put(infoOff, info).put(strOff, shstr);
        int s1 = shoff + 64; // .shstrtab
        b.putInt(s1, 1).putInt(s1 + 4, 3).putLong(s1 + 0x18, strOff).putLong(s1 + 0x20, shstr.length);
        int s2 = shoff + 128; // .modinfo
        b.putInt(s2, 11).putInt(s2 + 4, 1).putLong(s2 + 0x18, infoOff).putLong(s2 + 0x20, info.length);
        return b.array();
    }

    record Entry(long mode, byte[] data, long rdevMajor, long rdevMinor) {}

    static Map<String, Entry> readCpio(byte[] archive) throws IOException {
        Map<String, Entry> out = new LinkedHashMap<>();
        try (CpioArchiveInputStream in = new CpioArchiveInputStream(new ByteArrayInputStream(archive))) {
            CpioArchiveEntry e;
            while ((e = in.getNextCPIOEntry()) != null) {
                out.put(e.getName(), new Entry(e.getMode(), in.readAllBytes(), e.getRemoteDeviceMaj(), e.getRemoteDeviceMin()));
            }
        }
        return out;
    }

    @Test
    void modulesDependenciesComeFromModinfo() throws Exception {
        Path base = dir.resolve("tree/lib/modules/6.1.0-test/kernel");
        Files.createDirectories(base.resolve("drivers/hv"));
        Files.createDirectories(base.resolve("drivers/scsi"));
        Files.write(base.resolve("drivers/hv/hv_vmbus.ko"), fakeModule("license=GPL\0depends=\0name=hv_vmbus\0"));
        Files.write(base.resolve("drivers/hv/hv_utils.ko"), fakeModule("depends=hv_vmbus\0"));
        Files.write(base.resolve("drivers/scsi/scsi_transport_fc.ko"), fakeModule("depends=\0"));
        Files.write(base.resolve("drivers/scsi/hv_storvsc.ko"), fakeModule("depends=scsi_transport_fc,hv_vmbus\0"));
        KernelModules km = KernelModules.scan(dir.resolve("tree"));
        assertEquals("6.1.0-test", km.version());
        List<KernelModules.Module> mods = km.closure(List.of("hv_storvsc", "hv_utils"));
        assertEquals(List.of("scsi_transport_fc", "hv_vmbus", "hv_storvsc", "hv_utils"), mods.stream().map(KernelModules.Module::name).toList());
        assertEquals("""
                kernel/drivers/scsi/scsi_transport_fc.ko:
                kernel/drivers/hv/hv_vmbus.ko:
                kernel/drivers/scsi/hv_storvsc.ko: kernel/drivers/hv/hv_vmbus.ko kernel/drivers/scsi/scsi_transport_fc.ko
                kernel/drivers/hv/hv_utils.ko: kernel/drivers/hv/hv_vmbus.ko
                """, KernelModules.modulesDep(mods));
        ImageBuildException missing = assertThrows(ImageBuildException.class, () -> km.closure(List.of("hv_netvsc")));
        assertEquals("kernel 6.1.0-test has no module hv_netvsc", missing.getMessage());

        ByteArrayOutputStream cpio = new ByteArrayOutputStream();
        DebianGuestImages.writeInitramfs(cpio, "BUSYBOX".getBytes(), List.of("bin/sh", "sbin/modprobe"), km.version(), mods);
        Map<String, Entry> entries = readCpio(cpio.toByteArray());
        assertEquals(0100755, entries.get("init").mode());
        assertTrue(new String(entries.get("init").data(), StandardCharsets.US_ASCII).contains(InitScript.MARKER));
        assertEquals(0100755, entries.get("bin/busybox").mode());
        assertEquals(0120777, entries.get("bin/sh").mode());
        assertEquals("/bin/busybox", new String(entries.get("sbin/modprobe").data(), StandardCharsets.US_ASCII));
        Entry console = entries.get("dev/console");
        assertEquals(020600, console.mode());
        assertEquals(5, console.rdevMajor());
        assertEquals(1, console.rdevMinor());
        assertEquals(040755, entries.get("lib/modules/6.1.0-test/kernel/drivers/hv").mode(), "parent folders created");
        assertEquals(KernelModules.modulesDep(mods),
                new String(entries.get("lib/modules/6.1.0-test/modules.dep").data(), StandardCharsets.US_ASCII));
        assertArrayEquals(Files.readAllBytes(base.resolve("drivers/hv/hv_utils.ko")),
                entries.get("lib/modules/6.1.0-test/kernel/drivers/hv/hv_utils.ko").data());
    }

    @Test
    void buildsAndCachesTheDefaultGuestFromDebianPackages() throws Exception {
        try {
            new AptPackages(dir.resolve("probe")).download(DebianGuestImages.BUSYBOX_PACKAGE, BuildProgress.silent());
        } catch (ImageBuildException e) {
            String reason = "apt-get cannot download from Debian here: " + e.getMessage();
            System.out.println("SKIP DebianGuestImagesTest: " + reason);
            Assumptions.assumeTrue(false, reason);
        }
        StringWriter log = new StringWriter();
        DebianGuestImages images = new DebianGuestImages(dir.resolve("cache"));
        DebianGuestImages.GuestFiles g = images.defaultGuest(BuildProgress.lines(new PrintWriter(log, true), false));
        assertTrue(log.toString().contains("downloading linux-image-"), log.toString());
        assertInstanceOf(BzImage.class, LinuxKernel.read(g.kernel()));
        Map<String, Entry> entries = readCpio(Files.readAllBytes(g.initramfs()));
        assertTrue(entries.containsKey("init"));
        assertTrue(entries.get("bin/busybox").data().length > 500_000, "the static busybox binary");
        assertEquals(0120777, entries.get("bin/sh").mode());
        String dep = new String(entries.get("lib/modules/" + g.kernelRelease() + "/modules.dep").data(), StandardCharsets.US_ASCII);
        for (String m : DebianGuestImages.MODULES) {
            assertTrue(dep.contains("/" + m + ".ko:"), m + " in modules.dep:\n" + dep);
        }
        assertTrue(dep.lines().anyMatch(l -> l.startsWith("kernel/drivers/hv/hv_utils.ko:") && l.contains("hv_vmbus.ko")), dep);
        // loading a line's dependencies from the end backwards must load scsi_mod before scsi_transport_fc
        String storvsc = dep.lines().filter(l -> l.startsWith("kernel/drivers/scsi/hv_storvsc.ko:")).findFirst().orElseThrow();
        assertTrue(storvsc.indexOf("scsi_transport_fc.ko") < storvsc.indexOf("scsi_mod.ko"), storvsc);
        System.out.println("Debian guest: " + g.kernelPackage() + " " + g.kernelVersion() + ", busybox " + g.busyboxVersion()
                + ", initramfs " + Files.size(g.initramfs()) / 1024 + " KiB\n" + dep);

        StringWriter again = new StringWriter();
        DebianGuestImages.GuestFiles cached = images.defaultGuest(BuildProgress.lines(new PrintWriter(again, true), false));
        assertEquals(g.initramfs(), cached.initramfs());
        assertTrue(again.toString().contains("using cached guest"), again.toString());
        assertFalse(again.toString().contains("downloading"), again.toString());
    }
}

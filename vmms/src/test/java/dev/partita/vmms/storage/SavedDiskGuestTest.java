package dev.partita.vmms.storage;

import dev.partita.devices.ic.HeartbeatVsp;
import dev.partita.devices.ic.TimeSyncVsp;
import dev.partita.devices.storage.DiskSpec;
import dev.partita.hv.BackendChoice;
import dev.partita.hv.PartitionResult;
import dev.partita.hv.boot.LinuxKernel;
import dev.partita.hv.hyperv.Enlightenments;
import dev.partita.hv.state.StateProgress;
import dev.partita.hv.state.VmStateController;
import dev.partita.vmms.Main;
import dev.partita.vmms.images.DebianGuestImages;
import dev.partita.vmms.state.LinuxDevices;
import dev.partita.vmms.state.SaveableVm;
import dev.partita.vmms.state.VmDescription;
import dev.partita.vmms.worker.LinuxVmWorker;
import dev.partita.vmms.worker.VmBusDevices;
import dev.partita.vmms.worker.VmDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The Debian guest on the emulator with VMBus (integration components) and a raw ext4 disk mounted
 * through hv_storvsc, saved in the middle of a workload that writes files to the disk, and
 * continued twice from the same state file: in a new partition of this process (where the test
 * sees the new heartbeat and time-sync components answered by the restored guest) and by
 * {@code partita restore} in a new process. Each continuation finishes the workload with the
 * result an uninterrupted run computes, unmounts and powers off, and {@code e2fsck -fn} finds the
 * disk clean with the guest's last file on it. Skips (reason printed) without the emulator, the
 * Debian image or e2fsprogs.
 */
class SavedDiskGuestTest {
    private static final long DISK_BYTES = 32L << 20;
    private static final int STEPS = 600;
    private static final int EVERY = 100;
    private static final Duration BOOT = Duration.ofSeconds(600);
    private static final Duration FINISH = Duration.ofSeconds(600);

    @TempDir
    Path dir;

    /** Step i writes the i-th LCG value to /mnt/fNNNN; every EVERY steps it syncs and prints the value. */
    private static String cmdline() {
        return StorageGuests.cmdline(List.of(
                "mount -t ext4 /dev/sda /mnt && echo mounted=yes",
                "s=1; i=0; while [ $i -lt " + STEPS + " ]; do s=$(((s*1103515245+12345)%2147483648)); i=$((i+1));"
                        + " echo $s > /mnt/f$i; if [ $((i%" + EVERY + ")) -eq 0 ]; then sync; echo step $i $s; fi; done",
                "echo result=$s last=$(cat /mnt/f" + STEPS + ")",
                "umount /mnt && echo unmounted=yes",
                "echo workload-done=yes",
                "poweroff -f"));
    }

    private static long expected(int steps) {
        long s = 1;
        for (int i = 0; i < steps; i++) {
            s = (s * 1103515245L + 12345) % 2147483648L;
        }
        return s;
    }

    @Test
    void diskWorkloadSavedMidwayCompletesInANewPartitionAndANewProcess() throws Exception {
        String test = "SavedDiskGuestTest";
        Ext4Images.requireTools(test);
        DebianGuestImages.GuestFiles guest = StorageGuests.guestOrSkip(test);
        Path content = Files.createDirectories(dir.resolve("content"));
        Path disk = dir.resolve("disk.raw");
        Ext4Images.create(disk, DISK_BYTES, content);
        List<DiskSpec> disks = List.of(new DiskSpec(disk, false));
        LinuxDevices devices = LinuxDevices.of(VmBusDevices.STANDARD, disks, Enlightenments.ALL);
        VmDefinition def = new VmDefinition("saved-disk", LinuxKernel.read(guest.kernel()), Files.readAllBytes(guest.initramfs()),
                cmdline(), 256L << 20, 1, BackendChoice.EMULATOR, VmBusDevices.STANDARD, disks, Enlightenments.ALL);
        Path file = dir.resolve("vm.state");

        GuestConsole first = new GuestConsole(false);
        try (LinuxVmWorker worker = LinuxVmWorker.build(def, first)) {
            VmStateController controller = SaveableVm.controller(worker.partition(),
                    SaveableVm.describe(VmDescription.LINUX, worker.partition(), devices), worker.saveables());
            worker.start();
            assertTrue(first.awaitLine("step " + 2 * EVERY + " ", BOOT, worker.partition()::hasEnded),
                    "the guest ended before the workload was under way: " + worker.partition().result() + "\n" + first.tail(3000));
            assertTrue(worker.vsp(HeartbeatVsp.class).orElseThrow().status().answers() >= 1, "heartbeat answered before the save");
            VmStateController.SaveSummary s = controller.save(file, StateProgress.NONE);
            System.out.println(test + ": saved after 'step " + 2 * EVERY + "': " + s.fileBytes() + " bytes");
        }
        String before = first.text();
        assertTrue(before.contains("\nmounted=yes"), first.tail(3000));
        assertFalse(before.contains("\nresult="), "saved after the workload ended:\n" + first.tail(3000));
        Path diskAtSave = dir.resolve("disk-at-save.raw");
        Files.copy(disk, diskAtSave);

        // 1. a new partition in this process
        GuestConsole second = new GuestConsole(false);
        try (LinuxVmWorker restored = LinuxVmWorker.buildForRestore("saved-disk", 256L << 20, 1, BackendChoice.EMULATOR,
                VmBusDevices.STANDARD, disks, Enlightenments.ALL, second)) {
            VmStateController controller = SaveableVm.controller(restored.partition(),
                    SaveableVm.describe(VmDescription.LINUX, restored.partition(), devices), restored.saveables());
            controller.restore(file, StateProgress.NONE);
            restored.start();
            HeartbeatVsp heartbeat = restored.vsp(HeartbeatVsp.class).orElseThrow();
            TimeSyncVsp timeSync = restored.vsp(TimeSyncVsp.class).orElseThrow();
            assertTrue(second.awaitLine("workload-done=", FINISH, restored.partition()::hasEnded),
                    "the restored guest ended early: " + restored.partition().result() + "\n" + second.tail(3000));
            assertWorkloadResult(second);
            // heartbeats sent after the restore are answered by the restored guest
            for (int i = 0; i < 3 && !restored.partition().hasEnded(); i++) {
                heartbeat.beat();
                Thread.sleep(200);
            }
            PartitionResult r = restored.partition().awaitExit(Duration.ofSeconds(120));
            assertEquals(new PartitionResult.Exited(0), r, second.tail(3000));
            long answers = heartbeat.status().answers();
            System.out.println(test + ": after the restore in this process: " + answers + " heartbeat answers, "
                    + timeSync.acknowledged() + " time samples acknowledged");
            assertTrue(answers >= 1, "the restored guest answered no heartbeat: " + heartbeat.status());
            assertTrue(timeSync.acknowledged() >= 1, "the time sample sent at resume was not acknowledged");
        }
        assertDiskClean(disk);

        // 2. partita restore in a new process, from the disk as it was at the save
        Files.copy(diskAtSave, disk, StandardCopyOption.REPLACE_EXISTING);
        Path out = dir.resolve("restore.out");
        Process p = partita(List.of("restore", file.toString(), "--timeout", FINISH.toSeconds() + "s"), out);
        assertTrue(p.waitFor(FINISH.toSeconds() + 60, TimeUnit.SECONDS), "partita restore did not end");
        String after = Files.readString(out, StandardCharsets.ISO_8859_1).replace("\r", "");
        String err = Files.readString(Path.of(out + ".err"), StandardCharsets.ISO_8859_1);
        assertEquals(0, p.exitValue(), "partita restore: " + err + "\n" + tail(after));
        GuestConsole third = new GuestConsole(false);
        after.chars().forEach(third::write);
        assertWorkloadResult(third);
        assertFalse(after.contains("\nstep " + 2 * EVERY + " "), "the restored guest repeated output from before the save");
        assertDiskClean(disk);
    }

    private static void assertWorkloadResult(GuestConsole console) {
        String want = String.valueOf(expected(STEPS));
        assertEquals(want + " last=" + want, console.value("result"), console.tail(3000));
        for (int step = 3 * EVERY; step <= STEPS; step += EVERY) {
            assertTrue(("\n" + console.text()).contains("\nstep " + step + " " + expected(step) + "\n"),
                    "step " + step + "\n" + console.tail(3000));
        }
        assertEquals("yes", console.value("unmounted"), console.tail(3000));
    }

    private static void assertDiskClean(Path disk) throws Exception {
        HostCommands.Result fsck = HostCommands.run(120, Ext4Images.tool("e2fsck"), "-fn", disk.toString());
        assertEquals(0, fsck.exit(), "e2fsck -fn: " + fsck.describe());
        assertEquals(expected(STEPS) + "\n", Ext4Images.cat(disk, "/f" + STEPS));
        assertEquals(expected(EVERY) + "\n", Ext4Images.cat(disk, "/f" + EVERY));
    }

    private static String tail(String text) {
        return text.length() <= 3000 ? text : "..." + text.substring(text.length() - 3000);
    }

    private static Process partita(List<String> args, Path out) throws Exception {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(args);
        return new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(new File(out + ".err"))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    }
}

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
import dev.partita.devices.storage.disk.vhdx.VhdxDisk;
import dev.partita.devices.storage.disk.vhdx.VhdxImages;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The Debian guest on the emulator with VMBus (integration components) and an ext4 file system on a
 * dynamic VHDX disk mounted through hv_storvsc, running a workload that writes a file to the disk per step, is saved at five
 * moments of one run (each a random few hundred milliseconds after a step line): the first from
 * the booted VM, the next four by SIGTERM to {@code partita restore --save-on-signal} continuing
 * the previous state in a new process; a last new process runs the workload to the end. Every
 * step value printed across the processes is the one an uninterrupted run computes,
 * {@code qemu-img check} is clean and {@code e2fsck -fn} finds the disk, read through qemu-img,
 * clean with the guest's files. The first state is then
 * continued once more in a new partition of this process, at least 20 s after it was saved, where
 * the test sees the restored guest answer the new heartbeat and time-sync components, and the
 * guest's wall clock was set forward to host time by the time sample sent at resume. Skips (reason
 * printed) without the emulator, the Debian image, e2fsprogs or qemu-img.
 */
class SavedDiskGuestTest {
    private static final long DISK_BYTES = 32L << 20;
    private static final int STEPS = 700;
    private static final int EVERY = 100;
    private static final Duration BOOT = Duration.ofSeconds(600);
    private static final Duration FINISH = Duration.ofSeconds(600);
    /** Saves of the same run, each continued in a new process. */
    private static final int MOMENTS = 5;
    /** At least this long between the first save and its second continuation (the guest clock stands still meanwhile). */
    private static final Duration SAVED_AT_LEAST = Duration.ofSeconds(20);
    /** How far behind host time the guest clock may read after the time-sync correction. */
    private static final long CLOCK_SLACK_SECONDS = 5;

    @TempDir
    Path dir;

    /** Step i writes the i-th LCG value to /mnt/fNNNN; every EVERY steps it syncs and prints the value. */
    private static String cmdline() {
        return StorageGuests.cmdline(List.of(
                "mount -t ext4 /dev/sda /mnt && echo mounted=yes",
                "s=1; i=0; while [ $i -lt " + STEPS + " ]; do s=$(((s*1103515245+12345)%2147483648)); i=$((i+1));"
                        + " echo $s > /mnt/f$i; if [ $((i%" + EVERY + ")) -eq 0 ]; then sync; echo step $i $s; fi; done",
                "echo result=$s last=$(cat /mnt/f" + STEPS + ")",
                "echo clock=$(date +%s)",
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
    void diskWorkloadSavedAtFiveMomentsCompletesInNewProcessesAndANewPartition() throws Exception {
        String test = "SavedDiskGuestTest";
        Ext4Images.requireTools(test);
        DebianGuestImages.GuestFiles guest = StorageGuests.guestOrSkip(test);
        requireQemuImg(test);
        Path disk = ext4Vhdx();
        List<DiskSpec> disks = List.of(new DiskSpec(disk, false));
        LinuxDevices devices = LinuxDevices.of(VmBusDevices.STANDARD, disks, Enlightenments.ALL);
        VmDefinition def = new VmDefinition("saved-disk", LinuxKernel.read(guest.kernel()), Files.readAllBytes(guest.initramfs()),
                cmdline(), 256L << 20, 1, BackendChoice.EMULATOR, VmBusDevices.STANDARD, disks, Enlightenments.ALL);
        long seed = System.nanoTime();
        Random random = new Random(seed);
        System.out.println(test + ": random seed " + seed);
        StringBuilder allOutput = new StringBuilder();

        // moment 1: the booted VM, saved some random milliseconds after 'step 100'
        Path first = dir.resolve("vm1.state");
        GuestConsole boot = new GuestConsole(false);
        long savedAtMillis;
        try (LinuxVmWorker worker = LinuxVmWorker.build(def, boot)) {
            VmStateController controller = SaveableVm.controller(worker.partition(),
                    SaveableVm.describe(VmDescription.LINUX, worker.partition(), devices), worker.saveables());
            worker.start();
            assertTrue(boot.awaitLine("step " + EVERY + " ", BOOT, worker.partition()::hasEnded),
                    "the guest ended before the workload was under way: " + worker.partition().result() + "\n" + boot.tail(3000));
            Thread.sleep(random.nextInt(400));
            assertTrue(worker.vsp(HeartbeatVsp.class).orElseThrow().status().answers() >= 1, "heartbeat answered before the save");
            VmStateController.SaveSummary s = controller.save(first, StateProgress.NONE);
            savedAtMillis = System.currentTimeMillis();
            System.out.println(test + ": moment 1 saved after 'step " + EVERY + "': " + s.fileBytes() + " bytes");
        }
        allOutput.append(boot.text());
        assertTrue(boot.text().contains("\nmounted=yes"), boot.tail(3000));
        assertFalse(boot.text().contains("\nresult="), "saved after the workload ended:\n" + boot.tail(3000));
        Path diskAtFirst = dir.resolve("disk-at-moment-1.vhdx");
        Files.copy(disk, diskAtFirst);

        // moments 2-5: partita restore in a new process, saved again by SIGTERM a random moment after the next step line
        Path previous = first;
        for (int moment = 2; moment <= MOMENTS; moment++) {
            Path next = dir.resolve("vm" + moment + ".state");
            Path out = dir.resolve("restore" + moment + ".out");
            Process p = partita(List.of("restore", previous.toString(), "--save-on-signal", next.toString(),
                    "--timeout", FINISH.toSeconds() + "s"), out);
            String marker = "\nstep " + moment * EVERY + " ";
            String text = awaitInFile(out, marker, p);
            Thread.sleep(random.nextInt(400));
            p.destroy(); // SIGTERM: save and exit 0
            assertTrue(p.waitFor(300, TimeUnit.SECONDS), "partita restore did not save and end");
            String err = Files.readString(Path.of(out + ".err"), StandardCharsets.ISO_8859_1);
            text = Files.readString(out, StandardCharsets.ISO_8859_1).replace("\r", "");
            assertEquals(0, p.exitValue(), "moment " + moment + ": " + err + "\n" + tail(text));
            assertTrue(Files.isRegularFile(next), err);
            assertFalse(("\n" + text).contains("\nstep " + (moment - 1) * EVERY + " "),
                    "the restored guest repeated output from before the save");
            allOutput.append(text);
            System.out.println(test + ": moment " + moment + " saved after 'step " + moment * EVERY + "'");
            previous = next;
        }

        // the last state runs to the end in a new process
        Path out = dir.resolve("restore-final.out");
        Process p = partita(List.of("restore", previous.toString(), "--timeout", FINISH.toSeconds() + "s"), out);
        assertTrue(p.waitFor(FINISH.toSeconds() + 60, TimeUnit.SECONDS), "partita restore did not end");
        String after = Files.readString(out, StandardCharsets.ISO_8859_1).replace("\r", "");
        String err = Files.readString(Path.of(out + ".err"), StandardCharsets.ISO_8859_1);
        assertEquals(0, p.exitValue(), "partita restore: " + err + "\n" + tail(after));
        allOutput.append(after);
        GuestConsole last = new GuestConsole(false);
        after.chars().forEach(last::write);
        assertEquals(String.valueOf(expected(STEPS)) + " last=" + expected(STEPS), last.value("result"), tail(after));
        assertEquals("yes", last.value("unmounted"), tail(after));
        assertStepsAsUninterrupted(allOutput.toString());
        assertDiskClean(disk);

        // moment 1 again, in a new partition of this process, with the disk as it was then
        Files.copy(diskAtFirst, disk, StandardCopyOption.REPLACE_EXISTING);
        long wait = SAVED_AT_LEAST.toMillis() - (System.currentTimeMillis() - savedAtMillis);
        if (wait > 0) {
            Thread.sleep(wait); // the guest's clock stood still this long: time sync must set it forward
        }
        GuestConsole second = new GuestConsole(false);
        try (LinuxVmWorker restored = LinuxVmWorker.buildForRestore("saved-disk", 256L << 20, 1, BackendChoice.EMULATOR,
                VmBusDevices.STANDARD, disks, Enlightenments.ALL, second)) {
            VmStateController controller = SaveableVm.controller(restored.partition(),
                    SaveableVm.describe(VmDescription.LINUX, restored.partition(), devices), restored.saveables());
            controller.restore(first, StateProgress.NONE);
            restored.start();
            HeartbeatVsp heartbeat = restored.vsp(HeartbeatVsp.class).orElseThrow();
            TimeSyncVsp timeSync = restored.vsp(TimeSyncVsp.class).orElseThrow();
            assertTrue(second.awaitLine("workload-done=", FINISH, restored.partition()::hasEnded),
                    "the restored guest ended early: " + restored.partition().result() + "\n" + second.tail(3000));
            long hostSeconds = System.currentTimeMillis() / 1000;
            assertEquals(expected(STEPS) + " last=" + expected(STEPS), second.value("result"), second.tail(3000));
            assertStepsAsUninterrupted(second.text());
            long guestSeconds = Long.parseLong(second.value("clock"));
            for (int i = 0; i < 3 && !restored.partition().hasEnded(); i++) {
                heartbeat.beat(); // answered by the restored guest until it powers off
                Thread.sleep(200);
            }
            PartitionResult r = restored.partition().awaitExit(Duration.ofSeconds(120));
            assertEquals(new PartitionResult.Exited(0), r, second.tail(3000));
            long answers = heartbeat.status().answers();
            System.out.println(test + ": moment 1 continued in this process: " + answers + " heartbeat answers, "
                    + timeSync.acknowledged() + " time samples acknowledged, guest clock " + guestSeconds + " s, host "
                    + hostSeconds + " s");
            assertTrue(answers >= 1, "the restored guest answered no heartbeat: " + heartbeat.status());
            assertTrue(timeSync.acknowledged() >= 1, "the time sample sent at resume was not acknowledged");
            assertTrue(guestSeconds >= hostSeconds - CLOCK_SLACK_SECONDS, "the guest clock (" + guestSeconds
                    + ") was not set forward to host time (" + hostSeconds + ") after standing still for at least "
                    + SAVED_AT_LEAST.toSeconds() + " s");
        }
        assertDiskClean(disk);
    }

    /** Every 'step N V' line in {@code output} has the value an uninterrupted run computes, and the last step is there. */
    private static void assertStepsAsUninterrupted(String output) {
        Matcher m = Pattern.compile("(?m)^step (\\d+) (\\d+)$").matcher(output);
        int seen = 0;
        while (m.find()) {
            int step = Integer.parseInt(m.group(1));
            assertEquals(expected(step), Long.parseLong(m.group(2)), "the value printed at step " + step);
            seen++;
        }
        assertTrue(seen >= 1 && output.contains("\nstep " + STEPS + " "), tail(output));
    }

    /** Waits until {@code file} contains {@code marker} (the process writes it); fails when the process ends first. */
    private static String awaitInFile(Path file, String marker, Process p) throws Exception {
        long end = System.nanoTime() + FINISH.toNanos();
        while (System.nanoTime() < end) {
            String text = Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1).replace("\r", "") : "";
            if (("\n" + text).contains(marker)) {
                return text;
            }
            if (!p.isAlive()) {
                fail("partita restore ended (" + p.exitValue() + ") before '" + marker.strip() + "': "
                        + Files.readString(Path.of(file + ".err")) + "\n" + tail(text));
            }
            Thread.sleep(100);
        }
        fail("no '" + marker.strip() + "' within " + FINISH);
        return null;
    }

    /** A dynamic VHDX (1 MiB blocks) holding an empty host-made ext4 file system. */
    private Path ext4Vhdx() throws Exception {
        Path content = Files.createDirectories(dir.resolve("content"));
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

    private static void requireQemuImg(String test) {
        if (!Files.isExecutable(Path.of("/usr/bin/qemu-img"))) {
            String reason = "qemu-img (Debian qemu-utils) is not installed";
            System.out.println("SKIP " + test + ": " + reason);
            Assumptions.abort(reason);
        }
    }

    /** qemu-img check is clean, and the disk read through qemu-img holds a clean file system with the guest's files. */
    private void assertDiskClean(Path vhdx) throws Exception {
        HostCommands.Result check = HostCommands.run(120, "qemu-img", "check", "-f", "vhdx", vhdx.toString());
        assertEquals(0, check.exit(), "qemu-img check: " + check.describe());
        Path raw = dir.resolve("converted.raw");
        Files.deleteIfExists(raw);
        HostCommands.Result conv = HostCommands.run(300, "qemu-img", "convert", "-f", "vhdx", "-O", "raw",
                vhdx.toString(), raw.toString());
        assertEquals(0, conv.exit(), conv.describe());
        HostCommands.Result fsck = HostCommands.run(120, Ext4Images.tool("e2fsck"), "-fn", raw.toString());
        assertEquals(0, fsck.exit(), "e2fsck -fn: " + fsck.describe());
        assertEquals(expected(STEPS) + "\n", Ext4Images.cat(raw, "/f" + STEPS));
        assertEquals(expected(EVERY) + "\n", Ext4Images.cat(raw, "/f" + EVERY));
        Files.delete(raw);
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

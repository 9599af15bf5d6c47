package dev.partita.vmms.storage;

import dev.partita.vmms.Main;
import dev.partita.vmms.images.DebianGuestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Crash safety of a guest's synced writes: {@code partita run --kernel ... --disk IMG} runs as a child process
 * (the real CLI path); the guest writes a file, syncs and prints a marker; as soon as the marker reaches the
 * host the Partita process is killed with SIGKILL. The synced file must then be in the image (read with
 * debugfs after replaying the journal on a copy with e2fsck, which must leave a consistent file system).
 * Runs {@value #DEFAULT_RUNS} times on the same image (system property {@code partita.crashRuns}), so each
 * later guest also mounts a file system left behind by a killed host, and every earlier synced file must
 * still be there. Skipped (reason printed) without e2fsprogs or the guest image.
 *
 * <p>What this does not show: SIGKILL ends the process but leaves the host's page cache, so data the guest
 * synced survives here even if the flush on SYNCHRONIZE CACHE or FUA were skipped. That the flush happens is
 * {@code StorageDurabilityTest}'s (device-vsps), which records at the disk layer which writes were forced.
 */
class CrashSafetyTest {
    private static final int DEFAULT_RUNS = 3;
    private static final long DISK_BYTES = 32L << 20;

    @TempDir
    Path dir;

    @Test
    void syncedDataSurvivesSigkillOfThePartitaProcess() throws Exception {
        String test = "CrashSafetyTest";
        Ext4Images.requireTools(test);
        DebianGuestImages.GuestFiles guest = StorageGuests.guestOrSkip(test);
        Path content = Files.createDirectories(dir.resolve("content"));
        Files.writeString(content.resolve("hello.txt"), "host\n");
        Path image = dir.resolve("crash.img");
        Ext4Images.create(image, DISK_BYTES, content);
        int runs = Integer.getInteger("partita.crashRuns", DEFAULT_RUNS);
        List<String> tokens = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            byte[] b = new byte[8];
            new SecureRandom().nextBytes(b);
            String token = "crash-" + run + "-" + HexFormat.of().formatHex(b);
            tokens.add(token);
            String cmdline = StorageGuests.cmdline(List.of(
                    "mount -t ext4 /dev/sda /mnt && echo mounted=yes",
                    "echo " + token + " > /mnt/crash-" + run + ".txt",
                    "sync && echo synced-" + run + "=yes",
                    "echo not-synced > /mnt/after-" + run + ".txt",
                    "sleep 600"));
            long start = System.nanoTime();
            int exit = runAndKillAfterSync(guest, image, cmdline, "synced-" + run + "=yes");
            System.out.printf("%s run %d: marker after %.1f s, SIGKILL, child exit %d%n", test, run, (System.nanoTime() - start) / 1e9,
                    exit);
            assertEquals(128 + 9, exit, "the Partita process died of SIGKILL");
            for (int i = 0; i <= run; i++) {
                assertEquals(tokens.get(i) + "\n", Ext4Images.catAfterRecovery(image, "/crash-" + i + ".txt", dir),
                        "synced file of run " + i + " after the kill in run " + run);
            }
        }
    }

    /** Starts {@code partita run} as a child, waits for {@code marker} on its console, kills it with SIGKILL. */
    private static int runAndKillAfterSync(DebianGuestImages.GuestFiles guest, Path image, String cmdline, String marker)
            throws Exception {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = List.of(java, "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "run", "--kernel", guest.kernel().toString(), "--initrd", guest.initramfs().toString(), "--backend", "emulator",
                "--memory", "256M", "--timeout", "400s", "--disk", image.toString(), "--cmdline", cmdline);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        GuestConsole console = new GuestConsole(Boolean.getBoolean("partita.storage.echo"));
        Thread reader = Thread.ofPlatform().daemon().name("crash-test-console").start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                int c;
                while ((c = r.read()) >= 0) {
                    console.write(c);
                }
            } catch (IOException e) {
                // the child died: its pipe closes
            }
        });
        try {
            boolean seen;
            try {
                seen = console.awaitLine(marker, Duration.ofSeconds(400), () -> !p.isAlive());
            } catch (TimeoutException e) {
                failIfNoVmbus(console);
                throw e;
            }
            if (!seen) {
                reader.join(2000);
                failIfNoVmbus(console);
                fail("partita run ended with " + p.exitValue() + " before '" + marker + "':\n" + console.tail(4000));
            }
            p.destroyForcibly(); // SIGKILL on Linux
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the killed process ended");
            return p.exitValue();
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
                p.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** hv_vmbus connects on the emulator since the VM worker landed: a missing connection is a failure, named precisely. */
    private static void failIfNoVmbus(GuestConsole console) {
        String missing = StorageGuests.vmbusMissing(console.text());
        if (missing != null) {
            fail(missing + "\nconsole tail:\n" + console.tail(3000));
        }
    }
}

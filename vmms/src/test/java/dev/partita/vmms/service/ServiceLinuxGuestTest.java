package dev.partita.vmms.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.partita.hv.Hypervisor;
import dev.partita.hv.spi.BackendAvailability;
import dev.partita.vmms.CommandLineRun;
import dev.partita.vmms.api.VmView;
import dev.partita.vmms.images.BuildProgress;
import dev.partita.vmms.images.DebianGuestImages;
import dev.partita.vmms.images.ImageBuildException;
import dev.partita.vmms.linux.LinuxGuestRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Debian VM (Debian's cloud kernel and Partita's busybox initramfs) managed by the service on the emulator: it
 * boots in its worker and loads hv_vmbus and hv_utils; the service reports its heartbeat as ok; {@code partita vm
 * stop} shuts it down gracefully through the shutdown integration component (the guest powers off by itself, it is
 * not turned off). Skipped (reason printed) when the guest image cannot be built or the emulator is unavailable.
 */
class ServiceLinuxGuestTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String READY = "partita-hv-ready";
    private static final Duration WAIT = Duration.ofMinutes(6);

    @TempDir
    Path tmp;
    private ManagementService service;
    private long workerPid;

    @AfterEach
    void cleanUp() throws Exception {
        if (service != null) {
            service.close();
        }
        if (workerPid != 0) {
            ProcessHandle.of(workerPid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void debianVmStopsGracefullyThroughTheShutdownComponent() throws Exception {
        BackendAvailability emulator = Hypervisor.get().availability("emulator");
        if (!emulator.usable()) {
            System.out.println("SKIP ServiceLinuxGuestTest: " + emulator.reason());
            Assumptions.abort(emulator.reason());
        }
        DebianGuestImages.GuestFiles guest;
        try {
            guest = new DebianGuestImages(DebianGuestImages.defaultCacheRoot()).defaultGuest(BuildProgress.silent());
        } catch (ImageBuildException e) {
            System.out.println("SKIP ServiceLinuxGuestTest: " + e.getMessage());
            Assumptions.abort(e.getMessage());
            return;
        }
        Path state = tmp.resolve("state");
        Path socket = tmp.resolve("api.sock");
        service = ManagementService.start(state, socket, -1, null,
                new PathPolicy(List.of(guest.kernel().getParent(), guest.initramfs().getParent())));
        String sock = socket.toString();
        String cmdline = LinuxGuestRun.DEFAULT_CMDLINE + " cryptomgr.notests partita.run=\"modprobe hv_vmbus && modprobe hv_utils"
                + " && echo " + READY + "\"";
        CommandLineRun created = CommandLineRun.run("vm", "--socket", sock, "create", "debian", "--kernel", guest.kernel().toString(),
                "--initrd", guest.initramfs().toString(), "--cmdline", cmdline, "--memory", "256M", "--backend", "emulator");
        assertEquals(0, created.exit(), created.err());
        CommandLineRun started = CommandLineRun.run("vm", "--socket", sock, "--json", "start", "debian");
        assertEquals(0, started.exit(), started.err());
        workerPid = JSON.readValue(started.out(), VmView.class).workerPid();

        await("the guest loads hv_utils", () -> CommandLineRun.run("vm", "--socket", sock, "console", "debian").out().contains(READY));
        await("the heartbeat is ok", () -> "ok".equals(show(sock).heartbeat()));
        assertTrue(show(sock).uptimeSeconds() > 0);
        // Console input reaches the guest's shell through COM1.
        CommandLineRun typed = CommandLineRun.run("vm", "--socket", sock, "console", "debian", "--send", "echo typed-$((6*7))");
        assertEquals(0, typed.exit(), typed.err());
        await("the shell's answer", () -> CommandLineRun.run("vm", "--socket", sock, "console", "debian").out().contains("typed-42"));

        CommandLineRun stopped = CommandLineRun.run("vm", "--socket", sock, "--json", "stop", "debian", "--timeout", "300");
        assertEquals(0, stopped.exit(), stopped.err());
        VmView off = JSON.readValue(stopped.out(), VmView.class);
        assertEquals("off", off.state());
        assertTrue(off.reason().startsWith("the guest ended"), "the guest powered off by itself: " + off.reason());
        assertFalse(ProcessHandle.of(workerPid).map(ProcessHandle::isAlive).orElse(false), "the worker exited");
        assertEquals(0, CommandLineRun.run("vm", "--socket", sock, "rm", "debian").exit());
    }

    private static VmView show(String sock) {
        CommandLineRun r = CommandLineRun.run("vm", "--socket", sock, "--json", "show", "debian");
        try {
            return JSON.readValue(r.out(), VmView.class);
        } catch (Exception e) {
            throw new AssertionError("unreadable show output: " + r.out() + r.err(), e);
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(500);
        }
    }
}

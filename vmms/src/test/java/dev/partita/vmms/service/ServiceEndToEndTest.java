package dev.partita.vmms.service;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.partita.guests.GuestImages;
import dev.partita.vmms.CommandLineRun;
import dev.partita.vmms.api.PartitaClient;
import dev.partita.vmms.api.VmView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The management service end to end through the {@code partita vm} command line, on the emulator backend, against a
 * service the test starts on a private socket in a temporary state directory: two VMs running the
 * {@code loop-forever} test guest (one line on the console, then a spin loop) are created and started, each in its
 * own worker process; one is paused and resumed; the other's worker is killed with SIGKILL, which fails that VM with
 * the reason and leaves the first running; the service restarts and re-attaches to the running worker; the VM is
 * stopped (no shutdown component in a test guest: turned off) and both are removed. No worker process outlives the
 * test.
 */
class ServiceEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path tmp;

    private ManagementService service;
    private final List<Long> workers = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void cleanUp() throws Exception {
        if (service != null) {
            service.close();
        }
        for (long pid : workers) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private ManagementService startService(Path state, Path socket) throws Exception {
        return ManagementService.start(state, socket, -1, null,
                new PathPolicy(List.of(GuestImages.image("x").getParent(), state)));
    }

    @Test
    void twoVmsThroughTheCliWithAWorkerKilledAndAServiceRestart() throws Exception {
        Optional<String> unavailable = GuestImages.unavailableReason();
        if (unavailable.isPresent()) {
            System.out.println("SKIP ServiceEndToEndTest: " + unavailable.get());
            Assumptions.abort(unavailable.get());
        }
        Path state = tmp.resolve("state");
        Path socket = tmp.resolve("api.sock");
        service = startService(state, socket);
        String sock = socket.toString();
        String guest = GuestImages.image("loop-forever.bin").toString();

        List<String> events = Collections.synchronizedList(new ArrayList<>());
        PartitaClient eventClient = PartitaClient.open(socket);
        Thread.ofVirtual().start(() -> {
            try {
                eventClient.events(events::add);
            } catch (Exception e) {
                // the stream ends when the first service stops
            }
        });

        for (String name : List.of("alpha", "beta")) {
            CommandLineRun created = cli("vm", "--socket", sock, "create", name, "--image", guest, "--memory", "16M",
                    "--backend", "emulator");
            assertEquals(0, created.exit(), created.err());
            assertTrue(created.out().contains("State:     off"), created.out());
        }
        CommandLineRun table = cli("vm", "--socket", sock, "list");
        assertTrue(table.out().lines().anyMatch(l -> l.startsWith("alpha") && l.contains("off")), table.out());

        for (String name : List.of("alpha", "beta")) {
            CommandLineRun started = cli("vm", "--socket", sock, "start", name);
            assertEquals(0, started.exit(), started.err());
        }
        List<VmView> running = list(sock);
        assertEquals(List.of("running", "running"), running.stream().map(VmView::state).toList());
        long alphaPid = running.get(0).workerPid();
        long betaPid = running.get(1).workerPid();
        workers.add(alphaPid);
        workers.add(betaPid);
        assertNotEquals(alphaPid, betaPid, "one worker process per VM");
        assertNotEquals(ProcessHandle.current().pid(), alphaPid);
        assertTrue(ProcessHandle.of(alphaPid).map(ProcessHandle::isAlive).orElse(false));

        // The guest's console line reaches the bounded console log and the console verb.
        await("alpha's console line", () -> cli("vm", "--socket", sock, "console", "alpha").out().contains("loop-forever guest"));

        // Pause and resume one VM; the other keeps running.
        assertEquals("paused", show(sock, "alpha").state().equals("running") ? verb(sock, "pause", "alpha").state() : "not running");
        assertEquals("paused", show(sock, "alpha").state());
        assertEquals("running", show(sock, "beta").state());
        CommandLineRun pausedAgain = cli("vm", "--socket", sock, "pause", "alpha");
        assertEquals(1, pausedAgain.exit(), "pausing a paused VM is refused");
        assertTrue(pausedAgain.err().contains("it is paused"), pausedAgain.err());
        assertEquals("running", verb(sock, "resume", "alpha").state());

        // Metrics count the two running VMs.
        try (PartitaClient c = PartitaClient.open(socket)) {
            String metrics = c.raw("GET", "/metrics", null).getContentAsString();
            assertTrue(metrics.contains("partita_vms{state=\"running\"} 2"), metrics);
        }

        // kill -9 of beta's worker fails beta with the reason; alpha is untouched.
        assertTrue(ProcessHandle.of(betaPid).orElseThrow().destroyForcibly());
        await("beta failed", () -> show(sock, "beta").state().equals("failed"));
        VmView beta = show(sock, "beta");
        assertTrue(beta.reason().contains("died without a result") && beta.reason().contains("signal 9"), beta.reason());
        assertEquals(0, beta.workerPid());
        VmView alpha = show(sock, "alpha");
        assertEquals("running", alpha.state());
        assertEquals(alphaPid, alpha.workerPid());
        await("the failure event", () -> events.stream().anyMatch(e -> e.contains("\"beta\"") && e.contains("\"failed\"")));
        assertTrue(events.stream().anyMatch(e -> e.contains("\"alpha\"") && e.contains("\"paused\"")), events.toString());

        // Restart the service: it re-attaches to alpha's worker and controls it.
        service.close();
        eventClient.close();
        service = startService(state, socket);
        alpha = show(sock, "alpha");
        assertEquals("running", alpha.state(), alpha.reason());
        assertEquals(alphaPid, alpha.workerPid());
        assertTrue(alpha.reason().contains("re-attached"), alpha.reason());
        assertEquals("failed", show(sock, "beta").state());
        assertEquals("paused", verb(sock, "pause", "alpha").state());
        assertEquals("running", verb(sock, "resume", "alpha").state());

        // Resources change only while off.
        CommandLineRun busy = cli("vm", "--socket", sock, "set", "alpha", "--cpus", "2");
        assertEquals(1, busy.exit());
        assertTrue(busy.err().contains("it is running"), busy.err());

        // Console attach: the stream starts with the tail asked for and ends when the VM stops.
        java.io.ByteArrayOutputStream attached = new java.io.ByteArrayOutputStream();
        PartitaClient consoleClient = PartitaClient.open(socket);
        Thread follower = Thread.ofVirtual().start(() -> {
            try {
                consoleClient.followConsole("alpha", 4096, attached);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // A test guest's console takes no input: refused with the reason, the VM runs on.
        CommandLineRun typed = cli("vm", "--socket", sock, "console", "alpha", "--send", "hello");
        assertEquals(1, typed.exit());
        assertTrue(typed.err().contains("no console input"), typed.err());

        // Stop: no shutdown component in a test guest, so it is turned off; the worker exits.
        CommandLineRun stopped = cli("vm", "--socket", sock, "--json", "stop", "alpha", "--timeout", "5");
        assertEquals(0, stopped.exit(), stopped.err());
        VmView off = JSON.readValue(stopped.out(), VmView.class);
        assertEquals("off", off.state());
        assertEquals("turned off", off.reason());
        await("alpha's worker exits", () -> ProcessHandle.of(alphaPid).map(h -> !h.isAlive()).orElse(true));
        assertTrue(follower.join(WAIT), "the console stream ended with the VM");
        consoleClient.close();
        assertTrue(attached.toString(StandardCharsets.UTF_8).contains("loop-forever guest"), attached.toString(StandardCharsets.UTF_8));

        CommandLineRun set = cli("vm", "--socket", sock, "--json", "set", "alpha", "--cpus", "2", "--memory", "8M");
        assertEquals(0, set.exit(), set.err());
        VmView changed = JSON.readValue(set.out(), VmView.class);
        assertEquals(2, changed.cpus());
        assertEquals(8L << 20, changed.memory());

        for (String name : List.of("alpha", "beta")) {
            CommandLineRun removed = cli("vm", "--socket", sock, "rm", name);
            assertEquals(0, removed.exit(), removed.err());
            assertFalse(Files.exists(state.resolve("vms").resolve(name)), name + "'s folder is gone");
        }
        assertEquals(List.of(), list(sock));
        for (long pid : workers) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "worker " + pid + " left behind");
        }
    }

    private static CommandLineRun cli(String... args) {
        return CommandLineRun.run(args);
    }

    private static List<VmView> list(String sock) throws Exception {
        CommandLineRun r = cli("vm", "--socket", sock, "--json", "list");
        assertEquals(0, r.exit(), r.err());
        return JSON.readValue(r.out().getBytes(StandardCharsets.UTF_8), new TypeReference<>() { });
    }

    private static VmView show(String sock, String name) {
        CommandLineRun r = cli("vm", "--socket", sock, "--json", "show", name);
        assertEquals(0, r.exit(), r.err());
        try {
            return JSON.readValue(r.out(), VmView.class);
        } catch (Exception e) {
            throw new AssertionError("unreadable show output: " + r.out(), e);
        }
    }

    private static VmView verb(String sock, String verb, String name) throws Exception {
        CommandLineRun r = cli("vm", "--socket", sock, "--json", verb, name);
        assertEquals(0, r.exit(), verb + " " + name + ": " + r.err());
        return JSON.readValue(r.out(), VmView.class);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(200);
        }
    }
}

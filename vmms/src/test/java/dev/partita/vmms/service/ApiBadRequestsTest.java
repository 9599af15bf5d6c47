package dev.partita.vmms.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.partita.vmms.api.ApiError;
import dev.partita.vmms.api.PartitaClient;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.eclipse.jetty.client.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad requests get a 4xx naming the problem, and the service goes on serving: malformed JSON, unknown fields, names
 * with '/' or '..', paths outside the allowed roots, missing files, verbs illegal in the VM's state, unknown VMs and
 * routes, and a missing or wrong bearer token on the TCP port. The API socket and the state directory are owner-only.
 * No VM is started here.
 */
class ApiBadRequestsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    private Path images;
    private ManagementService service;
    private PartitaClient client;

    @BeforeEach
    void start() throws Exception {
        images = Files.createDirectories(tmp.resolve("images"));
        Files.write(images.resolve("guest.bin"), new byte[] {(byte) 0xF4});
        service = ManagementService.start(tmp.resolve("state"), tmp.resolve("api.sock"), 0, "s3cret",
                new PathPolicy(List.of(images)));
        client = PartitaClient.open(tmp.resolve("api.sock"));
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        service.close();
    }

    private void expect(int status, String fragment, String method, String path, String body) throws Exception {
        ContentResponse r = client.raw(method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
        assertEquals(status, r.getStatus(), method + " " + path + " " + body + " -> " + r.getContentAsString());
        String error = JSON.readValue(r.getContent(), ApiError.class).error();
        assertTrue(error.contains(fragment), "'" + error + "' names the problem (" + fragment + ")");
    }

    private String vm(String name) {
        return "{\"name\":\"" + name + "\",\"image\":\"" + images.resolve("guest.bin") + "\"}";
    }

    @Test
    void malformedBodiesAreRefusedWithTheReason() throws Exception {
        expect(400, "malformed JSON", "POST", "/v1/vms", "{\"name\":");
        expect(400, "unknown field 'colour'", "POST", "/v1/vms",
                "{\"name\":\"a\",\"image\":\"" + images.resolve("guest.bin") + "\",\"colour\":\"red\"}");
        expect(400, "needs a JSON body", "POST", "/v1/vms", null);
        expect(400, "wrong JSON type", "POST", "/v1/vms", "{\"name\":\"a\",\"image\":\"/x\",\"cpus\":[1]}");
        expect(400, "exactly one of 'image'", "POST", "/v1/vms", "{\"name\":\"a\"}");
        expect(413, "larger than", "POST", "/v1/vms", "{\"name\":\"" + "a".repeat(70_000) + "\"}");
    }

    @Test
    void namesAndPathsAreChecked() throws Exception {
        expect(400, "must not contain '/' or '..'", "POST", "/v1/vms", vm("a/b"));
        expect(400, "must not contain '/' or '..'", "POST", "/v1/vms", vm(".."));
        expect(400, "must not contain '/' or '..'", "POST", "/v1/vms", vm("x..y"));
        expect(400, "outside the allowed roots", "POST", "/v1/vms", "{\"name\":\"a\",\"image\":\"/etc/passwd\"}");
        expect(400, "outside the allowed roots", "POST", "/v1/vms",
                "{\"name\":\"a\",\"kernel\":\"" + images + "/../../etc/shadow\"}");
        expect(400, "outside the allowed roots", "POST", "/v1/vms",
                "{\"name\":\"a\",\"kernel\":\"" + images.resolve("guest.bin") + "\",\"disks\":[\"/dev/sda\"]}");
        expect(400, "must be absolute", "POST", "/v1/vms", "{\"name\":\"a\",\"image\":\"guest.bin\"}");
        expect(400, "does not exist", "POST", "/v1/vms", "{\"name\":\"a\",\"image\":\"" + images.resolve("nope.bin") + "\"}");
        expect(400, "cpus must be 1-255", "POST", "/v1/vms",
                "{\"name\":\"a\",\"image\":\"" + images.resolve("guest.bin") + "\",\"cpus\":0}");
        expect(400, "memory", "POST", "/v1/vms",
                "{\"name\":\"a\",\"image\":\"" + images.resolve("guest.bin") + "\",\"memory\":\"5G\"}");
        assertEquals(0, client.list().size(), "nothing was created");
    }

    @Test
    void verbsIllegalInTheStateAndUnknownThingsAreRefused() throws Exception {
        assertEquals("off", client.create(JSON.readValue(vm("a"), dev.partita.vmms.api.VmSpec.class)).state());
        expect(409, "exists already", "POST", "/v1/vms", vm("a"));
        expect(409, "cannot pause VM 'a': it is off", "POST", "/v1/vms/a/pause", null);
        expect(409, "cannot resume VM 'a': it is off", "POST", "/v1/vms/a/resume", null);
        expect(409, "cannot stop VM 'a': it is off", "POST", "/v1/vms/a/stop", null);
        expect(409, "cannot turn off VM 'a': it is off", "POST", "/v1/vms/a/turn-off", null);
        expect(404, "no VM named 'b'", "GET", "/v1/vms/b", null);
        expect(404, "no API route", "GET", "/v1/nothing", null);
        expect(405, "not allowed", "PUT", "/v1/vms/a", "{}");
        expect(400, "'timeout' must be", "POST", "/v1/vms/a/stop?timeout=-4", null);
        expect(400, "unknown field", "PATCH", "/v1/vms/a", "{\"disks\":[]}");
        assertEquals(4, client.change("a", new dev.partita.vmms.api.VmPatch(4, "64M")).cpus());
        assertEquals(64L << 20, client.show("a").memory());
        client.remove("a");
        expect(404, "no VM named 'a'", "DELETE", "/v1/vms/a", null);
    }

    @Test
    void aSymbolicLinkOutOfTheRootsIsRefused() throws Exception {
        Files.createSymbolicLink(images.resolve("escape.bin"), Path.of("/etc/hostname"));
        expect(400, "outside the allowed roots", "POST", "/v1/vms",
                "{\"name\":\"a\",\"image\":\"" + images.resolve("escape.bin") + "\"}");
    }

    @Test
    void aVmWhoseKernelIsNotAKernelFailsWithTheReasonAndTheServiceGoesOn() throws Exception {
        Files.write(images.resolve("vmlinuz"), "not a kernel at all".repeat(100).getBytes(StandardCharsets.UTF_8));
        client.create(new dev.partita.vmms.api.VmSpec("bad", null, images.resolve("vmlinuz").toString(), null, null, "64M", 1,
                "emulator", null));
        ContentResponse r = client.raw("POST", "/v1/vms/bad/start", null);
        assertEquals(500, r.getStatus(), r.getContentAsString());
        String error = JSON.readValue(r.getContent(), ApiError.class).error();
        assertTrue(error.contains("failed to start") && error.contains("could not be built"), error);
        dev.partita.vmms.api.VmView bad = client.show("bad");
        assertEquals("failed", bad.state());
        assertEquals(0, bad.workerPid());
        assertEquals(1, client.list().size(), "the service still answers");
        client.remove("bad");
    }

    @Test
    void tcpNeedsTheTokenAndTheSocketIsOwnerOnly() throws Exception {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("api.sock"))));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("state"))));
        int port = service.api().tcpPort();
        assertTrue(port > 0);
        HttpClient http = new HttpClient();
        http.start();
        try {
            String uri = "http://127.0.0.1:" + port + "/v1/vms";
            ContentResponse none = http.newRequest(uri).send();
            assertEquals(401, none.getStatus());
            assertTrue(none.getContentAsString().contains("Authorization: Bearer"), none.getContentAsString());
            ContentResponse wrong = http.newRequest(uri).headers(h -> h.put("Authorization", "Bearer nope")).send();
            assertEquals(401, wrong.getStatus());
            assertTrue(wrong.getContentAsString().contains("wrong bearer token"), wrong.getContentAsString());
            ContentResponse right = http.newRequest(uri).headers(h -> h.put("Authorization", "Bearer s3cret")).send();
            assertEquals(200, right.getStatus(), right.getContentAsString());
            assertEquals("[ ]", right.getContentAsString().strip());
        } finally {
            http.stop();
        }
        // The Unix socket needs no token.
        assertEquals(200, client.raw("GET", "/v1/vms", null).getStatus());
    }
}

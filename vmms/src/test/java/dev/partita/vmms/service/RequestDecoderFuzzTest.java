package dev.partita.vmms.service;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.partita.vmms.api.VmSpec;
import dev.partita.vmms.worker.VmSpecs;

import java.nio.file.Path;
import java.util.List;

/**
 * Fuzzes the decoding of API request bodies: whatever the bytes, {@link RequestDecoder} either returns a
 * definition that holds the service's rules (a valid name, every path absolute and under the allowed root, sizes
 * in range) or refuses with a 400/413 {@link ServiceException} whose message is not empty; nothing else escapes.
 * Regression mode over {@code src/test/resources/dev/partita/vmms/service/RequestDecoderFuzzTestInputs/anyRequestBody}.
 */
class RequestDecoderFuzzTest {
    private static final Path ROOT = Path.of("/srv/images");
    private static final RequestDecoder DECODER = new RequestDecoder(new PathPolicy(List.of(ROOT)));
    private static final VmSpec CURRENT = new VmSpec("a", "/srv/images/x", null, null, null, null, null, null, null);

    @FuzzTest(maxDuration = "60s")
    void anyRequestBody(byte[] body) {
        try {
            VmSpec spec = DECODER.createRequest(body);
            VmNames.check(spec.name());
            for (String p : java.util.stream.Stream.concat(java.util.stream.Stream.of(spec.image(), spec.kernel(), spec.initrd()),
                    spec.disks().stream().map(d -> d.endsWith(",ro") ? d.substring(0, d.length() - 3) : d)).toList()) {
                if (p != null && !Path.of(p).normalize().startsWith(ROOT)) {
                    throw new AssertionError("accepted a path outside the root: " + p);
                }
            }
            checkSizes(spec);
        } catch (ServiceException e) {
            checkRefusal(e);
        }
        try {
            checkSizes(DECODER.patchRequest(body, CURRENT));
        } catch (ServiceException e) {
            checkRefusal(e);
        }
    }

    private static void checkSizes(VmSpec spec) {
        long memory = VmSpecs.memory(spec);
        int cpus = VmSpecs.cpus(spec);
        if (memory < (1 << 20) || memory > VmSpecs.MAX_MEMORY || cpus < 1 || cpus > 255) {
            throw new AssertionError("accepted impossible sizes: " + spec);
        }
    }

    private static void checkRefusal(ServiceException e) {
        if (e.status() != 400 && e.status() != 413) {
            throw new AssertionError("refusal with status " + e.status() + ": " + e.getMessage());
        }
        if (e.getMessage() == null || e.getMessage().isBlank()) {
            throw new AssertionError("refusal without a message");
        }
    }
}

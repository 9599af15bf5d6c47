package dev.partita.vmms.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.partita.vmms.api.VmPatch;
import dev.partita.vmms.api.VmSpec;
import dev.partita.vmms.worker.VmSpecs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns request bodies into checked values: malformed JSON, unknown fields, trailing data, bad names, paths
 * outside the allowed roots and impossible sizes all end in a {@link ServiceException} 400 naming the problem;
 * nothing else escapes. Thread-safe.
 */
public final class RequestDecoder {
    /** The largest request body the API reads. */
    public static final int MAX_BODY = 64 * 1024;
    private static final int MAX_DISKS = 64;

    private final ObjectMapper json = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(com.fasterxml.jackson.databind.MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();
    private final PathPolicy paths;

    public RequestDecoder(PathPolicy paths) {
        this.paths = paths;
        json.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build());
    }

    /** A create request: a complete, checked definition with normalized paths. */
    public VmSpec createRequest(byte[] body) throws ServiceException {
        VmSpec raw = read(body, VmSpec.class);
        VmNames.check(raw.name());
        if ((raw.image() == null) == (raw.kernel() == null)) {
            throw ServiceException.badRequest("a VM needs exactly one of 'image' (a test guest) and 'kernel' (Linux)");
        }
        if (raw.image() != null && (raw.initrd() != null || raw.cmdline() != null || !raw.disks().isEmpty())) {
            throw ServiceException.badRequest("'initrd', 'cmdline' and 'disks' belong to a Linux VM ('kernel'), not to an image");
        }
        if (raw.disks().size() > MAX_DISKS) {
            throw ServiceException.badRequest("at most " + MAX_DISKS + " disks, got " + raw.disks().size());
        }
        if (raw.cmdline() != null && raw.cmdline().length() > 4096) {
            throw ServiceException.badRequest("'cmdline' is longer than 4096 characters");
        }
        List<String> disks = new ArrayList<>();
        for (String d : raw.disks()) {
            if (d == null) {
                throw ServiceException.badRequest("'disks' holds a null");
            }
            boolean ro = d.endsWith(",ro");
            String path = ro ? d.substring(0, d.length() - 3) : d;
            disks.add(paths.check("disk", path) + (ro ? ",ro" : ""));
        }
        VmSpec spec = new VmSpec(raw.name(),
                raw.image() == null ? null : paths.check("image", raw.image()).toString(),
                raw.kernel() == null ? null : paths.check("kernel", raw.kernel()).toString(),
                raw.initrd() == null ? null : paths.check("initrd", raw.initrd()).toString(),
                raw.cmdline(), raw.memory(), raw.cpus(), raw.backend(), disks);
        checkResources(spec);
        return spec;
    }

    /** A change of processors or memory, checked against {@code current}; returns the changed definition. */
    public VmSpec patchRequest(byte[] body, VmSpec current) throws ServiceException {
        VmPatch patch = read(body, VmPatch.class);
        if (patch.cpus() == null && patch.memory() == null) {
            throw ServiceException.badRequest("a change names 'cpus', 'memory' or both");
        }
        VmSpec changed = current.withResources(patch.cpus(), patch.memory());
        checkResources(changed);
        return changed;
    }

    private static void checkResources(VmSpec spec) throws ServiceException {
        try {
            VmSpecs.memory(spec);
            VmSpecs.cpus(spec);
            VmSpecs.backend(spec);
        } catch (IllegalArgumentException e) {
            throw ServiceException.badRequest(e.getMessage());
        }
    }

    private <T> T read(byte[] body, Class<T> type) throws ServiceException {
        if (body.length == 0) {
            throw ServiceException.badRequest("the request needs a JSON body");
        }
        if (body.length > MAX_BODY) {
            throw new ServiceException(413, "the request body is larger than " + MAX_BODY + " bytes");
        }
        try {
            T value = json.readValue(body, type);
            if (value == null) {
                throw ServiceException.badRequest("the request body is JSON null, not an object");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw ServiceException.badRequest("unknown field '" + e.getPropertyName() + "' (known: " + e.getKnownPropertyIds() + ")");
        } catch (MismatchedInputException e) {
            throw ServiceException.badRequest("wrong JSON type" + fieldOf(e) + ": " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw ServiceException.badRequest("malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ServiceException.badRequest("unreadable request body: " + e.getMessage());
        }
    }

    private static String fieldOf(MismatchedInputException e) {
        String path = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .reduce((a, b) -> a + "." + b).orElse("");
        return path.isEmpty() ? "" : " for '" + path + "'";
    }
}

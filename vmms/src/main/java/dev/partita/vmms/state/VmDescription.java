package dev.partita.vmms.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.partita.hv.state.Saveable;
import dev.partita.hv.state.StateFileException;
import java.util.Objects;

/**
 * What {@code partita restore} needs to rebuild a saved VM before loading its state: the kind of
 * VM and its shape. Saved as the {@code vm} section (JSON, version 1), the first in the file.
 * Immutable.
 *
 * @param kind        {@link #IMAGE} (a test image with the debug devices) or {@link #LINUX} (the legacy PC devices too)
 * @param name        partition name
 * @param memoryBytes guest RAM
 * @param cpus        virtual processors
 * @param backend     the backend it ran on
 */
public record VmDescription(String kind, String name, long memoryBytes, int cpus, String backend) {
    public static final String IMAGE = "image";
    public static final String LINUX = "linux";
    /** The section name. */
    public static final String SECTION = "vm";

    /** The most RAM a VM of the command line has (it must end below the device hole at 0xD0000000). */
    private static final long MAX_MEMORY = 0xD000_0000L;
    private static final ObjectMapper JSON = new ObjectMapper();

    public VmDescription {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(backend, "backend");
        if (!kind.equals(IMAGE) && !kind.equals(LINUX)) {
            throw new IllegalArgumentException("VM kind '" + kind + "' is neither image nor linux");
        }
    }

    byte[] toJson() {
        ObjectNode o = JSON.createObjectNode().put("kind", kind).put("name", name).put("memoryBytes", memoryBytes)
                .put("cpus", cpus).put("backend", backend);
        try {
            return JSON.writeValueAsBytes(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("VM description not writable as JSON: " + e.getMessage(), e);
        }
    }

    /** Parses a {@code vm} section. */
    public static VmDescription fromJson(byte[] json) throws StateFileException {
        try {
            JsonNode o = JSON.readTree(json);
            if (o == null || !o.isObject() || !o.path("kind").isTextual() || !o.path("name").isTextual()
                    || !o.path("memoryBytes").canConvertToLong() || !o.path("cpus").canConvertToInt()
                    || !o.path("backend").isTextual()) {
                throw new StateFileException("section 'vm' is not a VM description (kind, name, memoryBytes, cpus, backend)");
            }
            long memory = o.get("memoryBytes").asLong();
            int cpus = o.get("cpus").asInt();
            if (memory <= 0 || memory % 4096 != 0 || memory > MAX_MEMORY || cpus < 1 || cpus > 255) {
                throw new StateFileException("section 'vm' describes an impossible VM: " + memory + " bytes of memory, "
                        + cpus + " vCPUs");
            }
            return new VmDescription(o.get("kind").asText(), o.get("name").asText(), memory, cpus, o.get("backend").asText());
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new StateFileException("section 'vm' is not a VM description: "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""), e);
        }
    }

    /** The {@code vm} section: saves this description; restoring checks the file's has the same kind and shape. */
    public Saveable section() {
        return Saveable.of(SECTION, 1, this::toJson, bytes -> {
            VmDescription saved = fromJson(bytes);
            if (!saved.kind.equals(kind) || saved.memoryBytes != memoryBytes || saved.cpus != cpus) {
                throw new StateFileException("the state file describes another VM: " + saved + ", this VM is " + this);
            }
        });
    }
}

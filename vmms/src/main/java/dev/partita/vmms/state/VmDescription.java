package dev.partita.vmms.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.partita.hv.state.Saveable;
import dev.partita.hv.state.StateFileException;
import dev.partita.devices.storage.DiskSpec;
import dev.partita.hv.hyperv.Enlightenments;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
 * @param devices     a Linux VM's VMBus, disks and enlightenments ({@link LinuxDevices#NONE} for an image)
 */
public record VmDescription(String kind, String name, long memoryBytes, int cpus, String backend, LinuxDevices devices) {
    public static final String IMAGE = "image";
    public static final String LINUX = "linux";
    /** The section name. */
    public static final String SECTION = "vm";

    /** The most RAM a VM of the command line has (it must end below the device hole at 0xD0000000). */
    private static final long MAX_MEMORY = 0xD000_0000L;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A VM without VMBus devices. */
    public VmDescription(String kind, String name, long memoryBytes, int cpus, String backend) {
        this(kind, name, memoryBytes, cpus, backend, LinuxDevices.NONE);
    }

    public VmDescription {
        Objects.requireNonNull(devices, "devices");
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
        ObjectNode d = o.putObject("devices").put("vmbus", devices.vmbus()).put("integration", devices.integration());
        var disks = d.putArray("disks");
        for (DiskSpec spec : devices.disks()) {
            disks.addObject().put("path", spec.path().toString()).put("readOnly", spec.readOnly());
        }
        Enlightenments en = devices.enlightenments();
        d.putObject("enlightenments").put("referenceTime", en.referenceTime()).put("syntheticTimers", en.syntheticTimers())
                .put("crashReports", en.crashReports()).put("tlbFlush", en.tlbFlush()).put("ipi", en.ipi());
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
            return new VmDescription(o.get("kind").asText(), o.get("name").asText(), memory, cpus, o.get("backend").asText(),
                    devices(o.path("devices")));
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new StateFileException("section 'vm' is not a VM description: "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""), e);
        }
    }

    /** The {@code devices} object; absent (a file without VMBus devices) is {@link LinuxDevices#NONE}. */
    private static LinuxDevices devices(JsonNode d) throws StateFileException {
        if (d.isMissingNode()) {
            return LinuxDevices.NONE;
        }
        JsonNode e = d.path("enlightenments");
        if (!d.path("vmbus").isBoolean() || !d.path("integration").isBoolean() || !d.path("disks").isArray()
                || !e.isObject()) {
            throw new StateFileException("section 'vm' has a malformed 'devices' object (vmbus, integration, disks, enlightenments)");
        }
        List<DiskSpec> disks = new ArrayList<>();
        for (JsonNode disk : d.get("disks")) {
            if (!disk.path("path").isTextual() || disk.path("path").asText().isEmpty() || !disk.path("readOnly").isBoolean()) {
                throw new StateFileException("section 'vm' names a disk without a path and readOnly flag: " + disk);
            }
            disks.add(new DiskSpec(Path.of(disk.get("path").asText()), disk.get("readOnly").asBoolean()));
        }
        return new LinuxDevices(d.get("vmbus").asBoolean(), d.get("integration").asBoolean(), disks,
                new Enlightenments(e.path("referenceTime").asBoolean(), e.path("syntheticTimers").asBoolean(),
                        e.path("crashReports").asBoolean(), e.path("tlbFlush").asBoolean(), e.path("ipi").asBoolean()));
    }

    /** The {@code vm} section: saves this description; restoring checks the file's has the same kind and shape. */
    public Saveable section() {
        return Saveable.of(SECTION, 1, this::toJson, bytes -> {
            VmDescription saved = fromJson(bytes);
            if (!saved.kind.equals(kind) || saved.memoryBytes != memoryBytes || saved.cpus != cpus
                    || !saved.devices.equals(devices)) {
                throw new StateFileException("the state file describes another VM: " + saved + ", this VM is " + this);
            }
        });
    }
}

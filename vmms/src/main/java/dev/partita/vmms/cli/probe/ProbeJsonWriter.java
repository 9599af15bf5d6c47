package dev.partita.vmms.cli.probe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.partita.hv.host.CpuIdentity;
import dev.partita.hv.host.CpuinfoFacts;
import dev.partita.hv.host.GuestTrialResult;
import dev.partita.hv.host.HostReport;
import dev.partita.hv.host.KvmCapabilityFact;
import dev.partita.hv.host.KvmDeviceFacts;
import dev.partita.hv.host.KvmFlavourFacts;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * Renders a {@link HostReport} as the JSON document documented in docs/probe.md. Keys are written here
 * explicitly (not derived from record component names) so they stay stable when the model changes.
 */
public final class ProbeJsonWriter {

    /** Bumped when a key changes meaning or disappears; new keys do not bump it. */
    public static final int SCHEMA_VERSION = 1;

    private final ObjectMapper mapper = new ObjectMapper();

    /** The full report. */
    public String write(HostReport report, int exitCode) {
        ObjectNode root = mapper.createObjectNode();
        root.put("schema_version", SCHEMA_VERSION);
        root.set("cpu", cpu(report));
        root.set("kvm", kvm(report.kvm(), report.flavour()));
        ObjectNode iommu = root.putObject("iommu");
        iommu.put("present", report.iommu().present());
        strings(iommu.putArray("units"), report.iommu().units());
        iommu.put("groups", report.iommu().groups());
        root.set("functional_test", trial(report.trial()));
        ObjectNode verdict = root.putObject("verdict");
        verdict.put("backend", report.advice().backend().id());
        verdict.put("kvm_usable", report.advice().kvmUsable());
        verdict.put("cpl0_native", report.advice().cpl0Native());
        verdict.put("reason", report.advice().reason());
        root.put("exit_code", exitCode);
        return pretty(root);
    }

    /** The document for a probe that could not run (exit status {@link ProbeExitCodes#COULD_NOT_PROBE}). */
    public String writeFailure(String error, int exitCode) {
        ObjectNode root = mapper.createObjectNode();
        root.put("schema_version", SCHEMA_VERSION);
        root.put("error", error);
        root.put("exit_code", exitCode);
        return pretty(root);
    }

    private ObjectNode cpu(HostReport report) {
        CpuIdentity cpu = report.cpu();
        ObjectNode node = mapper.createObjectNode();
        node.put("vendor", cpu.vendor());
        node.put("family", cpu.family());
        node.put("model", cpu.model());
        node.put("stepping", cpu.stepping());
        node.put("brand", cpu.brand());
        node.put("max_basic_leaf", hex(cpu.maxBasicLeaf()));
        node.put("max_extended_leaf", hex(cpu.maxExtendedLeaf()));
        node.put("vmx", cpu.vmx());
        node.put("svm", cpu.svm());
        node.put("hypervisor_bit", cpu.hypervisorBit());
        if (cpu.nestedPaging().isPresent()) {
            node.put("nested_paging", cpu.nestedPaging().get());
        } else {
            node.putNull("nested_paging");
        }
        if (cpu.hypervisor().isPresent()) {
            ObjectNode hv = node.putObject("hypervisor");
            hv.put("vendor", cpu.hypervisor().get().vendor());
            hv.put("signature", cpu.hypervisor().get().signature());
            hv.put("max_leaf", hex(cpu.hypervisor().get().maxLeaf()));
        } else {
            node.putNull("hypervisor");
        }
        CpuinfoFacts info = report.cpuinfo();
        ObjectNode cpuinfo = node.putObject("cpuinfo");
        cpuinfo.put("vendor_id", info.vendorId());
        cpuinfo.put("model_name", info.modelName());
        cpuinfo.put("vmx", info.flags().contains("vmx"));
        cpuinfo.put("svm", info.flags().contains("svm"));
        cpuinfo.put("hypervisor", info.flags().contains("hypervisor"));
        cpuinfo.put("ept", info.has("ept"));
        cpuinfo.put("npt", info.has("npt"));
        ObjectNode check = node.putObject("cross_check");
        check.put("agrees", report.crossCheck().agrees());
        strings(check.putArray("mismatches"), report.crossCheck().mismatches());
        return node;
    }

    private ObjectNode kvm(KvmDeviceFacts device, KvmFlavourFacts flavour) {
        ObjectNode node = mapper.createObjectNode();
        node.put("device", device.device().toString());
        node.put("present", !(device instanceof KvmDeviceFacts.Absent));
        node.put("openable", device instanceof KvmDeviceFacts.Opened);
        if (device.node().isPresent()) {
            ObjectNode n = node.putObject("node");
            n.put("kind", device.node().get().kind());
            n.put("major", device.node().get().major());
            n.put("minor", device.node().get().minor());
            n.put("mode", device.node().get().mode());
            n.put("owner", device.node().get().owner());
            n.put("group", device.node().get().group());
        } else {
            node.putNull("node");
        }
        switch (device) {
            case KvmDeviceFacts.Absent absent -> {
                ObjectNode error = node.putObject("error");
                error.put("errno", "ENOENT");
                error.put("message", absent.detail());
            }
            case KvmDeviceFacts.Unopenable u -> {
                ObjectNode error = node.putObject("error");
                error.put("errno", u.errno());
                error.put("message", u.message());
            }
            case KvmDeviceFacts.Opened o -> node.putNull("error");
        }
        node.put("flavour", flavour.flavour().name().toLowerCase(Locale.ROOT));
        node.put("flavour_evidence", flavour.evidence());
        strings(node.putArray("modules"), flavour.modules());
        if (flavour.nested().isPresent()) {
            node.put("nested", flavour.nested().get());
        } else {
            node.putNull("nested");
        }
        if (device instanceof KvmDeviceFacts.Opened o) {
            node.put("api_version", o.apiVersion());
            node.put("max_vcpus", o.maxVcpus());
            node.put("recommended_vcpus", o.recommendedVcpus());
            node.put("memory_slots", o.memorySlots());
            ObjectNode caps = node.putObject("capabilities");
            for (KvmCapabilityFact cap : o.capabilities()) {
                ObjectNode c = caps.putObject(cap.name());
                c.put("group", cap.group().key());
                c.put("present", cap.present());
                c.put("value", cap.value());
            }
        } else {
            node.putNull("api_version");
            node.putNull("max_vcpus");
            node.putNull("recommended_vcpus");
            node.putNull("memory_slots");
            node.putObject("capabilities");
        }
        return node;
    }

    private ObjectNode trial(GuestTrialResult trial) {
        ObjectNode node = mapper.createObjectNode();
        node.put("ran", trial.ran());
        if (trial.skipped().isPresent()) {
            node.put("skipped_reason", trial.skipped().get());
        } else {
            node.putNull("skipped_reason");
        }
        node.put("vm_created", trial.vmCreated());
        node.put("guest_reached", trial.guestReached());
        number(node, "exit_round_trip_us", trial.exitRoundTripMicros());
        node.put("exit_samples", trial.exitSamples());
        number(node, "cpl0_ips", trial.cpl0Ips());
        number(node, "cpl0_long_mode_ips", trial.cpl0LongModeIps());
        number(node, "cpl3_ips", trial.cpl3Ips());
        if (trial.cpl0Ips().isPresent() && trial.cpl3Ips().isPresent() && trial.cpl0Ips().getAsDouble() > 0) {
            node.put("cpl3_to_cpl0_ratio", round(trial.cpl3Ips().getAsDouble() / trial.cpl0Ips().getAsDouble()));
        } else {
            node.putNull("cpl3_to_cpl0_ratio");
        }
        strings(node.putArray("problems"), trial.problems());
        return node;
    }

    private static void number(ObjectNode node, String key, OptionalDouble value) {
        if (value.isPresent()) {
            node.put(key, round(value.getAsDouble()));
        } else {
            node.putNull(key);
        }
    }

    /** Three significant digits are plenty for timings and keep the output readable. */
    private static double round(double v) {
        if (v == 0 || Double.isNaN(v) || Double.isInfinite(v)) {
            return v;
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(3)).doubleValue();
    }

    private static String hex(int value) {
        return "0x" + Integer.toHexString(value);
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    private String pretty(ObjectNode root) {
        try {
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("serializing the probe report", e);
        }
    }
}

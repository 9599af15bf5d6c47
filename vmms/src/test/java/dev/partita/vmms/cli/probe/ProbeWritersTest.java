package dev.partita.vmms.cli.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.partita.hv.host.BackendAdvisor;
import dev.partita.hv.host.CpuCrossCheck;
import dev.partita.hv.host.CpuIdentity;
import dev.partita.hv.host.CpuinfoFacts;
import dev.partita.hv.host.DeviceNode;
import dev.partita.hv.host.GuestTrialResult;
import dev.partita.hv.host.HostReport;
import dev.partita.hv.host.IommuFacts;
import dev.partita.hv.host.KvmCapabilityFact;
import dev.partita.hv.host.KvmCapabilityGroup;
import dev.partita.hv.host.KvmDeviceFacts;
import dev.partita.hv.host.KvmFlavour;
import dev.partita.hv.host.KvmFlavourFacts;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The table and JSON for a report that this machine cannot produce: an Intel host with VT-x and nesting. */
class ProbeWritersTest {

    private static HostReport intelHost() {
        CpuIdentity cpu = new CpuIdentity("GenuineIntel", 6, 0x8F, 8, "Intel(R) Xeon(R) Platinum 8480+", 0x20,
                0x8000_0008, true, false, false, Optional.empty(), Optional.empty());
        CpuinfoFacts info = new CpuinfoFacts("GenuineIntel", "Intel(R) Xeon(R) Platinum 8480+", 6, 0x8F, 8,
                Set.of("vmx", "lm"), Set.of("ept", "vpid"));
        List<KvmCapabilityFact> caps = List.of(
                new KvmCapabilityFact("IRQCHIP", 0, KvmCapabilityGroup.INTERRUPTS, 1),
                new KvmCapabilityFact("HYPERV_SYNIC", 123, KvmCapabilityGroup.HYPERV, 1),
                new KvmCapabilityFact("NESTED_STATE", 157, KvmCapabilityGroup.VCPU_STATE, 20480));
        KvmDeviceFacts device = new KvmDeviceFacts.Opened(Path.of("/dev/kvm"),
                Optional.of(new DeviceNode("char", 10, 232, "crw-rw----", "root", "kvm")), 12, caps, 4096, 64, 32764);
        KvmFlavourFacts flavour = new KvmFlavourFacts(KvmFlavour.HARDWARE_VMX, "kvm_intel module loaded, CPU has VMX",
                List.of("kvm", "kvm_intel"), Optional.of(true));
        GuestTrialResult trial = new GuestTrialResult(Optional.empty(), true, true, OptionalDouble.of(1.52), 2000,
                OptionalDouble.of(2.9e9), OptionalDouble.of(2.95e9), OptionalDouble.of(3.0e9), List.of());
        return new HostReport(cpu, info, CpuCrossCheck.compare(cpu, info), device, flavour,
                new IommuFacts(List.of("dmar0", "dmar1"), 42), trial,
                BackendAdvisor.advise(device, flavour, Optional.of(trial)));
    }

    @Test
    void tableShowsVerdictGroupsAndEpt() {
        String table = new ProbeTableWriter().write(intelHost());
        assertTrue(table.contains("kvm: hardware VMX"), table);
        assertTrue(table.contains("kernel says: ept"), table);
        assertTrue(table.contains("nested            yes"), table);
        assertTrue(table.contains("+HYPERV_SYNIC"), table);
        assertTrue(table.contains("yes: dmar0 dmar1, 42 groups"), table);
        assertTrue(table.contains("(all privilege levels)"), table);
        assertTrue(table.lines().allMatch(l -> l.length() <= 100), "no line wider than 100 columns");
        assertTrue(table.chars().allMatch(c -> c < 0x80), "ASCII only");
    }

    @Test
    void jsonCarriesTheSameFacts() throws Exception {
        HostReport report = intelHost();
        JsonNode json = new ObjectMapper().readTree(new ProbeJsonWriter().write(report, ProbeExitCodes.of(report)));
        assertEquals("kvm", json.at("/verdict/backend").asText());
        assertTrue(json.at("/verdict/cpl0_native").asBoolean());
        assertEquals("hardware_vmx", json.at("/kvm/flavour").asText());
        assertTrue(json.at("/kvm/nested").asBoolean());
        assertEquals(20480, json.at("/kvm/capabilities/NESTED_STATE/value").asInt());
        assertEquals("vcpu_state", json.at("/kvm/capabilities/NESTED_STATE/group").asText());
        assertEquals("crw-rw----", json.at("/kvm/node/mode").asText());
        assertTrue(json.at("/cpu/cpuinfo/ept").asBoolean());
        assertTrue(json.at("/cpu/nested_paging").isNull());
        assertTrue(json.at("/cpu/hypervisor").isNull());
        assertEquals(1.52, json.at("/functional_test/exit_round_trip_us").asDouble(), 1e-9);
        assertEquals(1.03, json.at("/functional_test/cpl3_to_cpl0_ratio").asDouble(), 1e-9);
        assertEquals(2.95e9, json.at("/functional_test/cpl0_long_mode_ips").asDouble(), 1);
        assertEquals(0, json.at("/exit_code").asInt());
    }
}

package dev.partita.vmms.cli.probe;

import dev.partita.hv.host.CpuIdentity;
import dev.partita.hv.host.GuestTrialResult;
import dev.partita.hv.host.HostReport;
import dev.partita.hv.host.KvmCapabilityFact;
import dev.partita.hv.host.KvmCapabilityGroup;
import dev.partita.hv.host.KvmDeviceFacts;
import dev.partita.hv.host.KvmFlavourFacts;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/** Renders a {@link HostReport} as a two-column table for people (ASCII only, 100 columns). */
public final class ProbeTableWriter {

    private static final int LABEL_WIDTH = 20;
    private static final int WIDTH = 100;

    private final StringBuilder out = new StringBuilder(4096);

    /** The whole table. */
    public String write(HostReport report) {
        cpu(report);
        kvm(report.kvm(), report.flavour());
        section("IOMMU");
        row("present", report.iommu().present()
                ? "yes: " + (report.iommu().units().isEmpty() ? "no units listed" : String.join(" ", report.iommu().units()))
                        + ", " + report.iommu().groups() + " groups"
                : "no (/sys/class/iommu empty, no IOMMU groups)");
        trial(report.trial());
        section("Verdict");
        row("backend", report.advice().backend().id());
        row("why", report.advice().reason());
        row("kvm usable", yesNo(report.advice().kvmUsable())
                + (report.advice().kvmUsable() ? (report.advice().cpl0Native() ? " (all privilege levels)" : " (CPL3 code only at native speed)") : ""));
        return out.toString();
    }

    private void cpu(HostReport report) {
        CpuIdentity cpu = report.cpu();
        section("CPU (CPUID executed on this host)");
        row("vendor", cpu.vendor() + String.format(Locale.ROOT, "  family %d, model %d, stepping %d",
                cpu.family(), cpu.model(), cpu.stepping()));
        row("brand", cpu.brand().isEmpty() ? "(no brand string)" : cpu.brand());
        row("max leaves", String.format(Locale.ROOT, "basic 0x%x, extended 0x%x", cpu.maxBasicLeaf(), cpu.maxExtendedLeaf()));
        row("VMX (VT-x)", yesNo(cpu.vmx()) + (cpu.vmx()
                ? "; EPT is not visible in CPUID (VMX capability MSRs), kernel says: "
                        + (report.cpuinfo().has("ept") ? "ept" : "no ept flag") : ""));
        row("SVM (AMD-V)", yesNo(cpu.svm()) + cpu.nestedPaging().map(np -> "; nested paging (NPT): " + yesNo(np)).orElse(""));
        row("hypervisor bit", yesNo(cpu.hypervisorBit()));
        row("hypervisor", cpu.hypervisor()
                .map(h -> String.format(Locale.ROOT, "%s (signature \"%s\", max leaf 0x%x)", h.vendor(), h.signature(), h.maxLeaf()))
                .orElse("none (bare metal, or a hypervisor that hides itself)"));
        row("/proc/cpuinfo", report.crossCheck().agrees()
                ? "agrees (vendor, family/model/stepping, vmx, svm, hypervisor)"
                : "DISAGREES: " + String.join("; ", report.crossCheck().mismatches()));
    }

    private void kvm(KvmDeviceFacts device, KvmFlavourFacts flavour) {
        section("KVM (" + device.device() + ")");
        switch (device) {
            case KvmDeviceFacts.Absent a -> row("device", "absent (" + a.detail() + ")");
            case KvmDeviceFacts.Unopenable u -> row("device", "present" + node(u) + ", cannot be used: " + u.errno()
                    + " (" + u.message() + ")");
            case KvmDeviceFacts.Opened o -> {
                row("device", "present" + node(o) + ", opened read-write");
                row("API version", o.apiVersion() + (o.apiVersion() == KvmDeviceFacts.Opened.EXPECTED_API_VERSION ? "" : " (expected 12)"));
            }
        }
        row("flavour", flavour.flavour().description() + " - " + flavour.evidence());
        row("modules", flavour.modules().isEmpty() ? "(no KVM module found)" : String.join(" ", flavour.modules()));
        row("nested", flavour.nested().map(ProbeTableWriter::yesNo).orElse("n/a"));
        if (device instanceof KvmDeviceFacts.Opened o) {
            row("vCPUs", "max " + o.maxVcpus() + ", recommended " + o.recommendedVcpus());
            row("memory slots", Integer.toString(o.memorySlots()));
            capabilities(o.capabilities());
        }
    }

    private static String node(KvmDeviceFacts device) {
        return device.node().map(n -> " (" + n + ")").orElse("");
    }

    private void capabilities(List<KvmCapabilityFact> caps) {
        Map<KvmCapabilityGroup, List<KvmCapabilityFact>> byGroup = new EnumMap<>(KvmCapabilityGroup.class);
        for (KvmCapabilityFact cap : caps) {
            byGroup.computeIfAbsent(cap.group(), g -> new ArrayList<>()).add(cap);
        }
        long present = caps.stream().filter(KvmCapabilityFact::present).count();
        row("capabilities", present + " of " + caps.size() + " present (+ present, - absent)");
        for (Map.Entry<KvmCapabilityGroup, List<KvmCapabilityFact>> group : byGroup.entrySet()) {
            List<String> words = new ArrayList<>();
            for (KvmCapabilityFact cap : group.getValue()) {
                words.add((cap.present() ? "+" : "-") + cap.name());
            }
            wrapped("  " + group.getKey().title(), words);
        }
    }

    private void trial(GuestTrialResult trial) {
        section("Functional test (tiny guests on KVM)");
        if (trial.skipped().isPresent()) {
            row("ran", "no: " + trial.skipped().get());
            return;
        }
        row("VM created", yesNo(trial.vmCreated()));
        row("guest reached", yesNo(trial.guestReached()));
        row("port-I/O exit", trial.exitRoundTripMicros().isPresent()
                ? String.format(Locale.ROOT, "%.1f us round trip (median of %d OUT exits, real mode)",
                        trial.exitRoundTripMicros().getAsDouble(), trial.exitSamples())
                : "not measured");
        row("CPL0 speed", ips(trial.cpl0Ips()) + " (real mode dec/jnz loop)");
        row("CPL0 long mode", ips(trial.cpl0LongModeIps()) + " (the same loop in 64-bit kernel mode)");
        row("CPL3 speed", ips(trial.cpl3Ips()) + " (64-bit user mode dec/jnz loop)");
        if (trial.cpl0Ips().isPresent() && trial.cpl3Ips().isPresent() && trial.cpl0Ips().getAsDouble() > 0) {
            row("CPL3 / CPL0", String.format(Locale.ROOT, "%.0fx", trial.cpl3Ips().getAsDouble() / trial.cpl0Ips().getAsDouble()));
        }
        for (String problem : trial.problems()) {
            row("problem", problem);
        }
    }

    private static String ips(OptionalDouble ips) {
        if (ips.isEmpty()) {
            return "not measured";
        }
        double v = ips.getAsDouble();
        if (v >= 1e9) {
            return String.format(Locale.ROOT, "%.2f G instructions/s", v / 1e9);
        }
        if (v >= 1e6) {
            return String.format(Locale.ROOT, "%.2f M instructions/s", v / 1e6);
        }
        return String.format(Locale.ROOT, "%.0f k instructions/s", v / 1e3);
    }

    private static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }

    private void section(String title) {
        if (!out.isEmpty()) {
            out.append('\n');
        }
        out.append(title).append('\n');
    }

    private void row(String label, String value) {
        wrapped("  " + label, List.of(value.split(" ")));
    }

    /** label padded to the label column, then words wrapped to {@link #WIDTH}. */
    private void wrapped(String label, List<String> words) {
        String indent = " ".repeat(LABEL_WIDTH);
        StringBuilder line = new StringBuilder(label.length() >= LABEL_WIDTH ? label + " " : String.format("%-" + LABEL_WIDTH + "s", label));
        boolean first = true;
        for (String word : words) {
            if (!first && line.length() + 1 + word.length() > WIDTH) {
                out.append(line.toString().stripTrailing()).append('\n');
                line = new StringBuilder(indent);
                first = true;
            }
            if (!first) {
                line.append(' ');
            }
            line.append(word);
            first = false;
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }
}

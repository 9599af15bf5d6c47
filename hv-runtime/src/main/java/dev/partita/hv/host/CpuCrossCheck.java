package dev.partita.hv.host;

import java.util.ArrayList;
import java.util.List;

/**
 * Where CPUID run on the host and the kernel's {@code /proc/cpuinfo} disagree. An empty list means they
 * agree on vendor, family/model/stepping and the VMX, SVM and hypervisor bits. (A kernel hides
 * {@code vmx} when firmware disabled VT-x, so a VMX mismatch is informative, not an error.)
 *
 * @param mismatches one readable line per disagreement
 */
public record CpuCrossCheck(List<String> mismatches) {

    /** Compares the two views. */
    public static CpuCrossCheck compare(CpuIdentity cpuid, CpuinfoFacts cpuinfo) {
        List<String> out = new ArrayList<>();
        if (!cpuid.vendor().equals(cpuinfo.vendorId())) {
            out.add("vendor: CPUID " + cpuid.vendor() + ", cpuinfo " + cpuinfo.vendorId());
        }
        compare(out, "family", cpuid.family(), cpuinfo.family());
        compare(out, "model", cpuid.model(), cpuinfo.model());
        compare(out, "stepping", cpuid.stepping(), cpuinfo.stepping());
        compare(out, "vmx", cpuid.vmx(), cpuinfo.flags().contains("vmx"));
        compare(out, "svm", cpuid.svm(), cpuinfo.flags().contains("svm"));
        compare(out, "hypervisor", cpuid.hypervisorBit(), cpuinfo.flags().contains("hypervisor"));
        return new CpuCrossCheck(List.copyOf(out));
    }

    /** True when nothing disagrees. */
    public boolean agrees() {
        return mismatches.isEmpty();
    }

    private static void compare(List<String> out, String what, int cpuid, int cpuinfo) {
        if (cpuinfo >= 0 && cpuid != cpuinfo) {
            out.add(what + ": CPUID " + cpuid + ", cpuinfo " + cpuinfo);
        }
    }

    private static void compare(List<String> out, String what, boolean cpuid, boolean cpuinfo) {
        if (cpuid != cpuinfo) {
            out.add(what + ": CPUID " + (cpuid ? "set" : "clear") + ", cpuinfo " + (cpuinfo ? "listed" : "not listed"));
        }
    }
}

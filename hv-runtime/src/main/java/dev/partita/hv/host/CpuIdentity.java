package dev.partita.hv.host;

import java.util.Optional;

/**
 * The host processor as CPUID describes it, decoded by {@link CpuIdentityReader}.
 *
 * @param vendor          leaf 0 vendor string, e.g. "GenuineIntel", "AuthenticAMD"
 * @param family          display family (base family plus extended family when base is 0xF)
 * @param model           display model (extended model folded in for families 6 and 0xF)
 * @param stepping        stepping
 * @param brand           brand string from leaves 0x80000002..4, trimmed; empty when absent
 * @param maxBasicLeaf    leaf 0 EAX
 * @param maxExtendedLeaf leaf 0x80000000 EAX
 * @param vmx             leaf 1 ECX bit 5: Intel VT-x
 * @param svm             leaf 0x80000001 ECX bit 2: AMD-V
 * @param hypervisorBit   leaf 1 ECX bit 31: running under a hypervisor
 * @param nestedPaging    AMD NPT (leaf 0x8000000A EDX bit 0) when SVM is present; empty when CPUID
 *                        cannot tell (Intel EPT is only visible through the VMX capability MSRs)
 * @param hypervisor      leaf 0x40000000 when the hypervisor bit is set
 */
public record CpuIdentity(
        String vendor, int family, int model, int stepping, String brand,
        int maxBasicLeaf, int maxExtendedLeaf,
        boolean vmx, boolean svm, boolean hypervisorBit,
        Optional<Boolean> nestedPaging, Optional<HypervisorLeaf> hypervisor) {
}

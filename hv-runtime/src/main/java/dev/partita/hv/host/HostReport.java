package dev.partita.hv.host;

/**
 * Everything {@link HostProbe} found out about this host. Immutable.
 *
 * @param cpu        the host processor from CPUID executed on the host
 * @param cpuinfo    the kernel's view from /proc/cpuinfo
 * @param crossCheck where the two disagree
 * @param kvm        the KVM device node
 * @param flavour    the KVM flavour and nesting
 * @param iommu      IOMMU presence
 * @param trial      the functional test with tiny guests (or why it was skipped)
 * @param advice     the backend {@code auto} picks and why
 */
public record HostReport(CpuIdentity cpu, CpuinfoFacts cpuinfo, CpuCrossCheck crossCheck,
                         KvmDeviceFacts kvm, KvmFlavourFacts flavour, IommuFacts iommu,
                         GuestTrialResult trial, BackendAdvice advice) {
}

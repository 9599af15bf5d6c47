package dev.partita.hv.host;

import java.util.Optional;

/**
 * Gathers every host fact Partita cares about into a {@link HostReport}: CPUID on the host, /proc/cpuinfo,
 * the KVM device, its flavour, IOMMU presence, an optional functional test, and the backend advice.
 * One instance per probe; not thread-safe (call {@link #run(boolean)} from one thread).
 */
public final class HostProbe {

    private static final System.Logger LOG = System.getLogger(HostProbe.class.getName());

    private final HostPaths paths;
    private final CpuidSource cpuid;
    private final KvmDeviceInspector inspector;
    private final GuestTrial trial;

    /**
     * @param paths     where /dev/kvm, /proc and /sys are
     * @param cpuid     the CPUID of this host (tests may pass a table)
     * @param inspector queries the KVM device
     * @param trial     runs the tiny guests
     */
    public HostProbe(HostPaths paths, CpuidSource cpuid, KvmDeviceInspector inspector, GuestTrial trial) {
        this.paths = paths;
        this.cpuid = cpuid;
        this.inspector = inspector;
        this.trial = trial;
    }

    /** The probe of this machine: CPUID executed on the host, the real KVM device at {@code paths.kvmDevice()}. */
    public static HostProbe forThisHost(HostPaths paths) {
        return new HostProbe(paths, HostCpuid.instance(), new KvmDeviceQuery(), new KvmGuestTrial());
    }

    /**
     * Runs the probe.
     *
     * @param runGuests whether to create a VM and run the functional test (a few seconds)
     * @throws HostProbeException when a fact every report needs cannot be gathered (CPUID, /proc/cpuinfo)
     */
    public HostReport run(boolean runGuests) {
        CpuIdentity cpu = CpuIdentityReader.read(cpuid);
        LOG.log(System.Logger.Level.DEBUG, () -> "CPUID: " + cpu);
        CpuinfoFacts cpuinfo = ProcCpuinfoParser.read(paths.procRoot());
        CpuCrossCheck check = CpuCrossCheck.compare(cpu, cpuinfo);
        KvmDeviceFacts device = inspector.inspect(paths.kvmDevice());
        LOG.log(System.Logger.Level.DEBUG, () -> "KVM device: " + device);
        boolean opened = device instanceof KvmDeviceFacts.Opened;
        KvmFlavourFacts flavour = KvmFlavourDetector.detect(paths, opened, cpu.vmx(), cpu.svm());
        IommuFacts iommu = IommuFacts.read(paths);
        GuestTrialResult trialResult;
        if (!opened) {
            trialResult = GuestTrialResult.skipped("no usable KVM device");
        } else if (!runGuests) {
            trialResult = GuestTrialResult.skipped("not requested");
        } else {
            trialResult = trial.run(paths.kvmDevice());
        }
        BackendAdvice advice = BackendAdvisor.advise(device, flavour, Optional.of(trialResult));
        return new HostReport(cpu, cpuinfo, check, device, flavour, iommu, trialResult, advice);
    }
}

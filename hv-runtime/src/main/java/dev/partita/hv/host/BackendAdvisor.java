package dev.partita.hv.host;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The one place that decides which backend {@code auto} uses on this host. The probe shows its answer;
 * the hypervisor's automatic backend selection calls the same method (without a functional test, from
 * the cheap facts only). Stateless and thread-safe.
 *
 * <p>The rule, in order:
 * <ol>
 *   <li>no device node → emulator ("/dev/kvm is absent");</li>
 *   <li>node not openable, or no KVM answer → emulator (with the errno name);</li>
 *   <li>KVM API version other than 12 → emulator;</li>
 *   <li>a functional test ran and no guest was reached → emulator;</li>
 *   <li>PVM flavour, or a measured CPL0 speed (long mode when measured, else real mode) below
 *       1/{@value #CPL0_EMULATED_RATIO} of the CPL3 speed →
 *       KVM is usable for CPL3 work, but {@code auto} picks the emulator because operating-system
 *       kernels run at CPL0, which such a host emulates;</li>
 *   <li>otherwise (hardware VMX/SVM, or an unknown flavour that runs guests) → kvm.</li>
 * </ol>
 */
public final class BackendAdvisor {

    /** CPL0 slower than CPL3 by this factor or more means the host emulates CPL0 guest code. */
    public static final double CPL0_EMULATED_RATIO = 20.0;

    private BackendAdvisor() {
    }

    /**
     * @param device  the KVM device facts
     * @param flavour the flavour decided by {@link KvmFlavourDetector}
     * @param trial   the functional test, when one was run
     */
    public static BackendAdvice advise(KvmDeviceFacts device, KvmFlavourFacts flavour, Optional<GuestTrialResult> trial) {
        switch (device) {
            case KvmDeviceFacts.Absent absent -> {
                return emulator(absent.device() + " is absent");
            }
            case KvmDeviceFacts.Unopenable u -> {
                return emulator(u.device() + " cannot be used (" + u.errno() + ")");
            }
            case KvmDeviceFacts.Opened opened -> {
                if (opened.apiVersion() != KvmDeviceFacts.Opened.EXPECTED_API_VERSION) {
                    return emulator("KVM API version is " + opened.apiVersion() + ", Partita needs "
                            + KvmDeviceFacts.Opened.EXPECTED_API_VERSION);
                }
            }
        }
        Optional<GuestTrialResult> ran = trial.filter(GuestTrialResult::ran);
        if (ran.isPresent() && !ran.get().guestReached()) {
            String why = ran.get().problems().isEmpty() ? "no guest instruction ran" : ran.get().problems().getFirst();
            return emulator("a KVM guest did not run (" + why + ")");
        }
        // Kernels run at CPL0 in long mode: prefer that measurement, else the real-mode one.
        OptionalDouble cpl0 = ran.map(r -> r.cpl0LongModeIps().isPresent() ? r.cpl0LongModeIps() : r.cpl0Ips())
                .orElse(OptionalDouble.empty());
        OptionalDouble cpl3 = ran.map(GuestTrialResult::cpl3Ips).orElse(OptionalDouble.empty());
        boolean measuredEmulatedCpl0 = cpl0.isPresent() && cpl3.isPresent()
                && cpl0.getAsDouble() * CPL0_EMULATED_RATIO < cpl3.getAsDouble();
        if (flavour.flavour() == KvmFlavour.PVM || measuredEmulatedCpl0) {
            String host = flavour.flavour() == KvmFlavour.PVM ? "this PVM host" : "this host";
            String speed = cpl0.isPresent() ? " at ~" + mips(cpl0.getAsDouble()) + " MIPS" : "";
            return new BackendAdvice(BackendKind.EMULATOR, true, false,
                    "emulator for kernels, kvm for CPL3 work: operating-system kernels run at CPL0, which "
                            + host + " emulates" + speed + ", so `auto` picks the emulator");
        }
        String what = switch (flavour.flavour()) {
            case HARDWARE_VMX -> "hardware VMX";
            case HARDWARE_SVM -> "hardware SVM";
            default -> "/dev/kvm runs guests (flavour " + flavour.flavour().description() + ")";
        };
        return new BackendAdvice(BackendKind.KVM, true, true, "kvm: " + what);
    }

    /**
     * The advice for this host from the cheap facts only (CPUID, /dev/kvm queries, loaded modules; no guest
     * is run): what the hypervisor's {@code auto} selection calls. Takes a few milliseconds.
     *
     * @throws HostProbeException when CPUID cannot be executed on this host
     */
    public static BackendAdvice adviseForThisHost() {
        HostPaths paths = HostPaths.system();
        KvmDeviceFacts device = new KvmDeviceQuery().inspect(paths.kvmDevice());
        CpuIdentity cpu = CpuIdentityReader.read(HostCpuid.instance());
        KvmFlavourFacts flavour = KvmFlavourDetector.detect(paths, device instanceof KvmDeviceFacts.Opened, cpu.vmx(), cpu.svm());
        return advise(device, flavour, Optional.empty());
    }

    private static BackendAdvice emulator(String why) {
        return new BackendAdvice(BackendKind.EMULATOR, false, false, "emulator: " + why);
    }

    private static String mips(double ips) {
        double mips = ips / 1e6;
        return mips >= 10 ? String.format(Locale.ROOT, "%.0f", mips) : String.format(Locale.ROOT, "%.1f", mips);
    }
}

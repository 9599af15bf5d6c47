package dev.partita.hv.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides the {@link KvmFlavour} from the loaded kernel modules ({@code /sys/module/NAME} or
 * {@code /proc/modules}) and the CPU's VMX/SVM bits. Stateless.
 */
public final class KvmFlavourDetector {

    /** The modules that matter, in the order they are reported. */
    static final List<String> MODULES = List.of("kvm", "kvm_intel", "kvm_amd", "kvm_pvm");

    private KvmFlavourDetector() {
    }

    /**
     * @param paths     where /proc and /sys are
     * @param kvmOpened whether /dev/kvm could be opened and answered KVM_GET_API_VERSION
     * @param vmx       CPU has VMX (CPUID)
     * @param svm       CPU has SVM (CPUID)
     */
    public static KvmFlavourFacts detect(HostPaths paths, boolean kvmOpened, boolean vmx, boolean svm) {
        List<String> loaded = loadedModules(paths);
        Optional<Boolean> nested = Optional.empty();
        KvmFlavour flavour;
        String evidence;
        if (!kvmOpened) {
            flavour = KvmFlavour.NONE;
            evidence = "no usable KVM device";
        } else if (loaded.contains("kvm_intel") && vmx) {
            flavour = KvmFlavour.HARDWARE_VMX;
            evidence = "kvm_intel module loaded, CPU has VMX";
            nested = nestedParameter(paths, "kvm_intel");
        } else if (loaded.contains("kvm_amd") && svm) {
            flavour = KvmFlavour.HARDWARE_SVM;
            evidence = "kvm_amd module loaded, CPU has SVM";
            nested = nestedParameter(paths, "kvm_amd");
        } else if (loaded.contains("kvm_pvm")) {
            flavour = KvmFlavour.PVM;
            evidence = "kvm_pvm module loaded" + (vmx || svm ? "" : ", CPU has no VMX/SVM");
        } else if (!vmx && !svm) {
            flavour = KvmFlavour.PVM;
            evidence = "no VMX/SVM on the CPU yet /dev/kvm works (assumed paravirtual)";
        } else {
            flavour = KvmFlavour.UNKNOWN;
            evidence = "CPU has " + (vmx ? "VMX" : "SVM") + " but no matching KVM module was found";
        }
        return new KvmFlavourFacts(flavour, evidence, loaded, nested);
    }

    /** Loaded KVM modules: a module counts when /sys/module/NAME exists or /proc/modules lists it. */
    static List<String> loadedModules(HostPaths paths) {
        List<String> procModules = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(paths.procRoot().resolve("modules"))) {
                int space = line.indexOf(' ');
                procModules.add(space < 0 ? line : line.substring(0, space));
            }
        } catch (IOException | RuntimeException e) {
            // /proc/modules is absent on kernels without module support; /sys/module still lists built-ins.
        }
        List<String> loaded = new ArrayList<>();
        for (String module : MODULES) {
            if (Files.isDirectory(paths.sysRoot().resolve("module").resolve(module)) || procModules.contains(module)) {
                loaded.add(module);
            }
        }
        return List.copyOf(loaded);
    }

    private static Optional<Boolean> nestedParameter(HostPaths paths, String module) {
        Path file = paths.sysRoot().resolve("module").resolve(module).resolve("parameters").resolve("nested");
        try {
            String value = Files.readString(file).trim();
            return Optional.of(value.equals("Y") || value.equals("1"));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}

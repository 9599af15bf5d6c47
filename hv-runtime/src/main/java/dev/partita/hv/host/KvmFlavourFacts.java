package dev.partita.hv.host;

import java.util.List;
import java.util.Optional;

/**
 * The KVM flavour and the evidence for it.
 *
 * @param flavour  the decision
 * @param evidence why, in a short phrase ("kvm_pvm module loaded", "no vmx/svm flag and /dev/kvm works")
 * @param modules  KVM-related kernel modules found loaded (kvm, kvm_intel, kvm_amd, kvm_pvm)
 * @param nested   kvm_intel/kvm_amd "nested" parameter; empty when not applicable or unreadable
 */
public record KvmFlavourFacts(KvmFlavour flavour, String evidence, List<String> modules, Optional<Boolean> nested) {
}

package dev.partita.hv.cpuid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.partita.hv.kvm.sys.Kvm;
import dev.partita.hv.kvm.sys.KvmVcpu;
import dev.partita.hv.kvm.sys.KvmVm;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The model built from this host's KVM_GET_SUPPORTED_CPUID, and KVM accepting it per vCPU. */
class CpuidModelOnKvmTest {

    private static Kvm openKvm() {
        try {
            return Kvm.open();
        } catch (RuntimeException e) {
            String reason = "/dev/kvm unusable: " + e.getMessage();
            System.out.println("SKIP CpuidModelOnKvmTest: " + reason);
            Assumptions.assumeTrue(false, reason);
            return null;
        }
    }

    @Test
    void hostModelHidesWhatWeDoNotVirtualizeAndKvmAcceptsIt() {
        try (Kvm kvm = openKvm()) {
            List<CpuidEntry> supported = kvm.supportedCpuid();
            assertTrue(supported.stream().anyMatch(e -> e.leaf() == 0x4000_0000
                    && CpuidModel.ascii(e.value().ebx(), e.value().ecx(), e.value().edx()).startsWith("KVMKVMKVM")),
                    "precondition: the host table carries KVM's paravirt signature");
            CpuidModel model = CpuidModel.builder(CpuidProfile.fromKvmSupported(supported)).vcpus(2).build();
            for (CpuFeature hidden : List.of(CpuFeature.VMX, CpuFeature.SVM, CpuFeature.PDCM, CpuFeature.HLE, CpuFeature.RTM)) {
                assertFalse(model.has(hidden), hidden + " hidden");
            }
            assertTrue(model.has(CpuFeature.HYPERVISOR));
            assertTrue(model.has(CpuFeature.LM), "the host's long mode passes through");
            try (KvmVm vm = kvm.createVm()) {
                for (int v = 0; v < 2; v++) {
                    for (CpuidEntry e : model.entries(v)) {
                        assertFalse(CpuidModel.ascii(e.value().ebx(), e.value().ecx(), e.value().edx()).contains("KVMKVMKVM"), e.toString());
                    }
                    try (KvmVcpu vcpu = vm.createVcpu(v)) {
                        vcpu.setCpuid2(model.entries(v));
                        List<CpuidEntry> back = vcpu.getCpuid2();
                        CpuidEntry leaf1 = back.stream().filter(e -> e.leaf() == 1).findFirst().orElseThrow();
                        assertEquals(v, leaf1.value().ebx() >>> 24, "KVM kept our APIC id for vCPU " + v);
                        assertEquals(model.entries(v).size(), back.size(), "KVM kept every entry");
                    }
                }
            }
        }
    }
}

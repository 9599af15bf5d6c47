package dev.partita.guests;

import dev.partita.hv.PartitionResult;
import dev.partita.hv.cpuid.CpuFeature;
import dev.partita.hv.cpuid.CpuidModel;
import dev.partita.hv.cpuid.CpuidProfile;
import dev.partita.hv.kvm.sys.Kvm;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Negative control of the guest suite: with CMPXCHG16B hidden from CPUID, long64 must pass every section
 * before its CMPXCHG16B section and then fail exactly its check 23 (CPUID.1:ECX.CX16), on every backend.
 * This shows that a guest's failed check reaches the test as that number, and that the CPUID model
 * installed through {@code Partition.installCpuid} is what the guest sees.
 */
class CpuidControlledGuestTest {
    static final List<BackendUnderTest> backends = BackendUnderTest.ALL;

    @ParameterizedTest(name = "on {0}")
    @FieldSource("backends")
    void long64StopsAtItsCx16CheckWhenCpuidHidesCx16(BackendUnderTest backend) {
        backend.assumeUsable();
        CpuidModel withoutCx16 = CpuidModel.builder(defaultProfile(backend)).vcpus(1).hide(CpuFeature.CX16).build();
        GuestOutcome o = GuestRunner.run("long64.elf", backend, Duration.ofSeconds(120), p -> p.installCpuid(withoutCx16));
        assertEquals(new PartitionResult.Exited(23), o.result(), o.describe());
        assertTrue(o.console().contains("[tsc] ok\n[cx16] \nFAIL check 23: "), o.describe());
    }

    /**
     * The profile each backend installs by default (KvmPartitionBackend: the host's KVM_GET_SUPPORTED_CPUID;
     * the emulator: the baseline). Partition offers no accessor for its installed model, so this mirrors them.
     */
    private static CpuidProfile defaultProfile(BackendUnderTest backend) {
        if (backend.name().equals("kvm")) {
            try (Kvm kvm = Kvm.open()) {
                return CpuidProfile.fromKvmSupported(kvm.supportedCpuid());
            }
        }
        return CpuidProfile.baseline();
    }
}

package dev.partita.hv;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The process-wide hypervisor finds the KVM backend through ServiceLoader and explains its availability. */
class HypervisorBackendsTest {

    @Test
    void kvmBackendIsRegisteredAndExplainsItself() {
        BackendInfo kvm = Hypervisor.get().backends().stream().filter(b -> b.name().equals("kvm")).findFirst()
                .orElseThrow(() -> new AssertionError("kvm backend not found by ServiceLoader: " + Hypervisor.get().backends()));
        assertFalse(kvm.availability().reason().isBlank(), "a reason is always given");
        System.out.println("backend " + kvm);
    }

    @Test
    void unknownBackendIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Hypervisor.get().createPartition(PartitionConfig.defaults("x").withBackend("nope")));
        assertTrue(e.getMessage().contains("nope") && e.getMessage().contains("kvm"), e.getMessage());
    }

    @Test
    void badConfigsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> PartitionConfig.defaults("x").withMemory(1000));
        assertThrows(IllegalArgumentException.class, () -> PartitionConfig.defaults("x").withCpus(0));
        assertThrows(IllegalArgumentException.class, () -> PartitionConfig.defaults("x").withCpus(256));
    }
}

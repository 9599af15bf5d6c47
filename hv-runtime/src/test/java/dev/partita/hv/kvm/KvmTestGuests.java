package dev.partita.hv.kvm;

import dev.partita.hv.Hypervisor;
import dev.partita.hv.Partition;
import dev.partita.hv.PartitionConfig;
import dev.partita.hv.spi.BackendAvailability;
import dev.partita.hv.vp.SegmentRegister;
import dev.partita.hv.vp.TableRegister;
import dev.partita.hv.vp.VpState;
import org.junit.jupiter.api.Assumptions;

/** Helpers for tests that run small hand-assembled guests on KVM. */
final class KvmTestGuests {
    static final long FLAT_LOAD = 0x7C00;

    private KvmTestGuests() {
    }

    /** Skips the calling test (printing why) when the KVM backend cannot run here. */
    static void assumeKvm() {
        BackendAvailability a = Hypervisor.get().availability("kvm");
        if (!a.usable()) {
            System.out.println("SKIP KVM test: " + a.reason());
        }
        Assumptions.assumeTrue(a.usable(), a.reason());
    }

    /** A paused 1-vCPU, 2 MiB KVM partition. */
    static Partition partition(String name) {
        return Hypervisor.get().createPartition(PartitionConfig.defaults(name).withMemory(2 << 20).withBackend("kvm"));
    }

    /** Real-mode boot state for a flat image at 0x7C00 (guests/README.md). */
    static VpState realMode() {
        return VpState.builder().rip(FLAT_LOAD).gpr(dev.partita.hv.vp.Gpr.RSP, FLAT_LOAD).build();
    }

    /** 32-bit flat protected mode, paging off, no IDT (like the ELF boot state), starting at {@code rip}. */
    static VpState protectedMode(long rip) {
        return VpState.builder().rip(rip).cr0(0x11)
                .cs(SegmentRegister.flat32Code(0x08))
                .dataSegments(SegmentRegister.flat32Data(0x10))
                .gdtr(new TableRegister(0, 0)).idtr(new TableRegister(0, 0))
                .gpr(dev.partita.hv.vp.Gpr.RSP, 0x9000)
                .build();
    }

    /** Loads {@code code} at {@code gpa} and sets the boot state on vCPU 0. */
    static void load(Partition p, long gpa, byte[] code, VpState state) {
        p.memory().write(gpa, code);
        p.processor(0).setState(state);
    }

    static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }
}

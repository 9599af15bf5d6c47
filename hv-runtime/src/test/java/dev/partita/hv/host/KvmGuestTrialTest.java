package dev.partita.hv.host;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The functional test against the real /dev/kvm (skipped where it cannot be opened). */
class KvmGuestTrialTest {

    private static void assumeKvm() {
        KvmDeviceFacts facts = new KvmDeviceQuery().inspect(HostPaths.DEFAULT_KVM_DEVICE);
        boolean usable = facts instanceof KvmDeviceFacts.Opened;
        if (!usable) {
            System.out.println("SKIP KvmGuestTrialTest: /dev/kvm not usable: " + facts);
        }
        Assumptions.assumeTrue(usable, "/dev/kvm not usable");
    }

    @Test
    void guestsRunAndAreMeasured() {
        assumeKvm();
        GuestTrialResult r = new KvmGuestTrial().run(HostPaths.DEFAULT_KVM_DEVICE);
        assertTrue(r.ran());
        assertTrue(r.vmCreated(), r.problems().toString());
        assertTrue(r.guestReached(), r.problems().toString());
        assertTrue(r.problems().isEmpty(), r.problems().toString());
        assertTrue(r.exitRoundTripMicros().orElseThrow() > 0);
        assertTrue(r.exitSamples() >= 10);
        assertTrue(r.cpl0Ips().orElseThrow() > 0);
        assertTrue(r.cpl3Ips().orElseThrow() > 0);
        assertTrue(r.cpl0LongModeIps().orElseThrow() > 0);
    }

    /**
     * Loops of 2^32 - 1 iterations: no host runs one in under a second (a dec/jnz iteration takes at least a
     * cycle), and PVM's emulated CPL0 needs hours, so the limits below always cut them, whatever the load.
     */
    private static final long ENDLESS = 0xFFFF_FFFFL;
    /** Time a kicked vCPU thread gets to end before it counts as abandoned: far beyond any scheduling delay. */
    private static final long GRACE = 60_000_000_000L;

    @Test
    void aKvmRunLongerThanTheLimitIsKickedAndReported() {
        assumeKvm();
        // 100 ms per KVM_RUN against loops that cannot end in that time.
        GuestTrialResult r = new KvmGuestTrial(new KvmGuestTrial.Limits(100_000_000L, 600_000_000_000L, GRACE, ENDLESS))
                .run(HostPaths.DEFAULT_KVM_DEVICE);
        assertTrue(r.guestReached(), r.problems().toString());
        assertTrue(r.problems().stream().anyMatch(p -> p.contains("did not return within") && p.contains("kick")),
                r.problems().toString());
        assertFalse(r.cpl0Ips().isPresent(), "the real-mode CPL0 loop was cut short");
        assertFalse(r.problems().stream().anyMatch(p -> p.contains("abandoned")), r.problems().toString());
    }

    @Test
    void theWholeTestIsCutOffAtItsTimeLimit() {
        assumeKvm();
        // Per-run limit out of reach, whole-test limit 300 ms, loops that cannot end in that time: the watching
        // thread kicks the loop in progress or the vCPU thread sees the limit before its next KVM_RUN.
        GuestTrialResult r = new KvmGuestTrial(new KvmGuestTrial.Limits(600_000_000_000L, 300_000_000L, GRACE, ENDLESS))
                .run(HostPaths.DEFAULT_KVM_DEVICE);
        assertTrue(r.problems().stream().anyMatch(p -> p.contains("kick") || p.contains("ran out of time")),
                r.problems().toString());
        assertFalse(r.problems().stream().anyMatch(p -> p.contains("abandoned")), r.problems().toString());
        assertTrue(r.cpl0Ips().isEmpty() && r.cpl0LongModeIps().isEmpty(), "no CPL0 loop ran to its end");
    }

    @Test
    void adviceForThisHostAgreesWithTheDeviceState() {
        BackendAdvice advice = BackendAdvisor.adviseForThisHost();
        boolean opened = new KvmDeviceQuery().inspect(HostPaths.DEFAULT_KVM_DEVICE) instanceof KvmDeviceFacts.Opened;
        assertTrue(advice.kvmUsable() == opened, advice.toString());
        assertTrue(advice.reason().startsWith(advice.backend().id()), advice.reason());
    }

    @Test
    void hostCpuidVendorMatchesProcCpuinfo() throws Exception {
        Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/cpuinfo")), "no /proc/cpuinfo");
        CpuIdentity cpu = CpuIdentityReader.read(HostCpuid.instance());
        CpuinfoFacts info = ProcCpuinfoParser.read(Path.of("/proc"));
        CpuCrossCheck check = CpuCrossCheck.compare(cpu, info);
        assertTrue(cpu.vendor().equals(info.vendorId()), cpu.vendor() + " vs " + info.vendorId());
        assertTrue(check.agrees(), check.mismatches().toString());
        assertTrue(cpu.hypervisorBit() == cpu.hypervisor().isPresent());
        assertTrue(Optional.of(cpu.brand()).filter(b -> !b.isEmpty()).isPresent() || cpu.maxExtendedLeaf() < 0x80000004);
    }
}

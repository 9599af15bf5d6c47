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

    @Test
    void aKvmRunLongerThanTheLimitIsKickedAndReported() {
        assumeKvm();
        // 100 ms per KVM_RUN: the 250 ms measuring run of the first counted loop must be kicked.
        GuestTrialResult r = new KvmGuestTrial(100_000_000L, 10_000_000_000L).run(HostPaths.DEFAULT_KVM_DEVICE);
        assertTrue(r.guestReached(), r.problems().toString());
        assertTrue(r.problems().stream().anyMatch(p -> p.contains("did not return within") && p.contains("kick")),
                r.problems().toString());
        assertFalse(r.cpl0Ips().isPresent() && r.cpl3Ips().isPresent(), "at least one loop was cut short");
    }

    @Test
    void theWholeTestIsCutOffAtItsTimeLimit() {
        assumeKvm();
        long t0 = System.nanoTime();
        // Per-run limit out of reach, whole-test limit 300 ms: the loops (250 ms each, plus calibration) cannot fit.
        GuestTrialResult r = new KvmGuestTrial(60_000_000_000L, 300_000_000L).run(HostPaths.DEFAULT_KVM_DEVICE);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(r.guestReached(), r.problems().toString());
        assertTrue(r.problems().stream().anyMatch(p -> p.contains("kick") || p.contains("ran out of time")),
                r.problems().toString());
        assertFalse(r.problems().stream().anyMatch(p -> p.contains("abandoned")), r.problems().toString());
        assertTrue(r.cpl0LongModeIps().isEmpty(), "the last step never ran");
        assertTrue(seconds < 30, "returned after " + seconds + " s");
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

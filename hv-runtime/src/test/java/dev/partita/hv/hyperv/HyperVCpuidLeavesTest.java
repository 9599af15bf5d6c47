package dev.partita.hv.hyperv;

import dev.partita.hv.cpuid.CpuFeature;
import dev.partita.hv.cpuid.CpuidEntry;
import dev.partita.hv.cpuid.CpuidModel;
import dev.partita.hv.cpuid.CpuidProfile;
import dev.partita.hv.cpuid.CpuidResult;
import dev.partita.hv.cpuid.PartitaHypervisorLeaves;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The hypervisor leaves a guest sees through a CPUID model built with {@link HyperVCpuidLeaves}. */
class HyperVCpuidLeavesTest {

    /** A host profile the way KVM reports it, with KVM's paravirtual leaves at 0x40000000 and 0x40000100. */
    private static CpuidProfile kvmLikeProfile() {
        int[] vendor = PartitaHypervisorLeaves.signatureWords("GenuineIntel");
        int[] kvm = PartitaHypervisorLeaves.signatureWords("KVMKVMKVM\0\0\0");
        List<CpuidEntry> e = new ArrayList<>();
        e.add(CpuidEntry.of(0, 0xD, vendor[0], vendor[2], vendor[1]));
        e.add(CpuidEntry.of(1, 0x000906EA, 0x0000_0800, CpuFeature.SSE4_2.mask(), CpuFeature.SSE2.mask() | CpuFeature.FPU.mask()));
        e.add(CpuidEntry.of(0x4000_0000, 0x4000_0001, kvm[0], kvm[1], kvm[2]));
        e.add(CpuidEntry.of(0x4000_0001, 0x01007AFB, 0, 0, 0));
        e.add(CpuidEntry.of(0x4000_0100, 0x4000_0101, kvm[0], kvm[1], kvm[2]));
        e.add(CpuidEntry.of(0x4000_0101, 0x01007AFB, 0, 0, 0));
        e.add(CpuidEntry.of(0x8000_0000, 0x8000_0001, 0, 0, 0));
        e.add(CpuidEntry.of(0x8000_0001, 0, 0, 0, CpuFeature.LM.mask()));
        return CpuidProfile.fromKvmSupported(e);
    }

    private static CpuidModel model(int vcpus) {
        return CpuidModel.builder(kvmLikeProfile()).vcpus(vcpus).leafRange(new HyperVCpuidLeaves()).build();
    }

    private static String signature(CpuidResult r) {
        ByteBuffer b = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(r.ebx()).putInt(r.ecx()).putInt(r.edx());
        return new String(b.array(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void detectionLeavesSayMicrosoftHv() {
        CpuidModel m = model(2);
        assertTrue(m.has(CpuFeature.HYPERVISOR), "CPUID.1:ECX[31]");
        CpuidResult base = m.lookup(0, 0x4000_0000, 0);
        assertEquals("Microsoft Hv", signature(base));
        assertTrue(Integer.compareUnsigned(base.eax(), 0x4000_0005) >= 0 && Integer.compareUnsigned(base.eax(), 0x4000_FFFF) <= 0,
                "max leaf 0x" + Integer.toHexString(base.eax()));
        assertEquals(0x3123_7648, m.lookup(0, 0x4000_0001, 0).eax(), "Hv#1");
    }

    @Test
    void featureAndHintBitsAreThoseRequired() {
        CpuidModel m = model(1);
        CpuidResult f = m.lookup(0, 0x4000_0003, 0);
        for (int bit : new int[] {2, 5, 6, 15}) {
            assertTrue((f.eax() & (1 << bit)) != 0, "0x40000003.EAX bit " + bit);
        }
        for (int bit : new int[] {4, 5}) {
            assertTrue((f.ebx() & (1 << bit)) != 0, "0x40000003.EBX bit " + bit);
        }
        // bit 1 (TIME_REF_COUNT) off on purpose: Linux would make the MSR its clocksource and sched_clock
        for (int bit : new int[] {1, 3, 13}) {
            assertEquals(0, f.eax() & (1 << bit), "0x40000003.EAX bit " + bit + " must stay off");
        }
        for (int bit : new int[] {1, 12, 20, 22}) {
            assertEquals(0, f.ebx() & (1 << bit), "0x40000003.EBX bit " + bit + " must stay off");
        }
        assertEquals(0, f.edx() & (1 << 19), "0x40000003.EDX bit 19 must stay off");
        CpuidResult hints = m.lookup(0, 0x4000_0004, 0);
        assertTrue((hints.eax() & (1 << 9)) != 0, "deprecating auto-EOI hint");
        for (int bit : new int[] {2, 3, 10, 11, 14}) {
            assertEquals(0, hints.eax() & (1 << bit), "hint bit " + bit + " must stay off");
        }
        assertEquals(1, m.lookup(0, 0x4000_0005, 0).eax(), "max virtual processors = partition size");
    }

    @Test
    void enlightenmentsAreAdvertisedOnlyWhereOffered() {
        CpuidResult all = CpuidModel.builder(kvmLikeProfile()).vcpus(1).leafRange(new HyperVCpuidLeaves(Enlightenments.ALL, true))
                .build().lookup(0, 0x4000_0003, 0);
        for (int bit : new int[] {1, 2, 3, 5, 6, 9, 15}) {
            assertTrue((all.eax() & (1 << bit)) != 0, "EAX bit " + bit);
        }
        assertEquals(1 << 10 | 1 << 19, all.edx(), "EDX: crash MSRs and direct-mode timers");

        HyperVCpuidLeaves noPage = new HyperVCpuidLeaves(Enlightenments.ALL, false);
        assertEquals(0, noPage.featuresEax() & (1 << 1 | 1 << 9), "without a TSC page neither TIME_REF_COUNT nor REFERENCE_TSC");
        assertEquals(1 << 3, noPage.featuresEax() & (1 << 3), "timers do not need the page");

        HyperVCpuidLeaves none = new HyperVCpuidLeaves(Enlightenments.NONE, true);
        assertEquals(HyperVCpuidLeaves.FEATURES_EAX, none.featuresEax());
        assertEquals(0, none.featuresEdx());
        HyperVCpuidLeaves crashOnly = new HyperVCpuidLeaves(new Enlightenments(false, false, true), true);
        assertEquals(HyperVCpuidLeaves.FEATURES_EAX, crashOnly.featuresEax());
        assertEquals(1 << 10, crashOnly.featuresEdx());
    }

    @Test
    void leaves81And82AreZero() {
        CpuidModel m = model(1);
        assertEquals(CpuidResult.ZERO, m.lookup(0, 0x4000_0081, 0));
        assertEquals(CpuidResult.ZERO, m.lookup(0, 0x4000_0082, 0));
        assertTrue(m.entries(0).stream().anyMatch(e -> e.leaf() == 0x4000_0081), "present explicitly (KVM would answer "
                + "a leaf above the class maximum with the highest basic leaf)");
    }

    @Test
    void noKvmSignatureAnywhereInTheHypervisorRange() {
        CpuidModel m = model(2);
        for (int vcpu = 0; vcpu < 2; vcpu++) {
            for (long leaf = 0x4000_0000L; leaf <= 0x4000_FF00L; leaf += 0x100) {
                String sig = signature(m.lookup(vcpu, (int) leaf, 0));
                assertFalse(sig.contains("KVMKVMKVM"), "leaf 0x" + Long.toHexString(leaf) + " says " + sig);
            }
            for (CpuidEntry e : m.entries(vcpu)) {
                assertFalse(signature(e.value()).contains("KVMKVMKVM"), "installed entry " + e);
            }
        }
    }
}

package dev.partita.hv.cpuid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CpuidModelTest {

    /** A host-like table in the shape KVM_GET_SUPPORTED_CPUID returns, with everything we must hide. */
    static CpuidProfile hostLike() {
        int[] vendor = PartitaHypervisorLeaves.signatureWords("GenuineIntel");
        int[] kvm = PartitaHypervisorLeaves.signatureWords("KVMKVMKVM\0\0\0");
        List<CpuidEntry> e = new ArrayList<>();
        e.add(CpuidEntry.of(0, 0x1F, vendor[0], vendor[2], vendor[1]));
        e.add(CpuidEntry.of(1, 0x000906EA, 0x00FF_0800,
                CpuFeature.VMX.mask() | CpuFeature.PDCM.mask() | CpuFeature.SSE4_2.mask() | CpuFeature.OSXSAVE.mask() | CpuFeature.X2APIC.mask(),
                CpuFeature.SSE2.mask() | CpuFeature.FPU.mask() | CpuFeature.DS.mask()));
        e.add(CpuidEntry.indexed(4, 0, 0x121, 0x01C0_003F, 63, 0));
        e.add(CpuidEntry.indexed(4, 1, 0x163, 0x03C0_003F, 8191, 0));
        e.add(CpuidEntry.indexed(4, 2, 0, 0, 0, 0));
        e.add(CpuidEntry.indexed(7, 0, 0,
                CpuFeature.HLE.mask() | CpuFeature.RTM.mask() | CpuFeature.AVX2.mask() | CpuFeature.INTEL_PT.mask(), 0,
                CpuFeature.TSX_FORCE_ABORT.mask()));
        e.add(CpuidEntry.of(0xA, 0x07300805, 0, 0, 0x603));
        e.add(CpuidEntry.indexed(0xB, 0, 1, 2, 0x100, 7));
        e.add(CpuidEntry.indexed(0xB, 1, 4, 16, 0x201, 7));
        e.add(CpuidEntry.indexed(0xD, 0, 7, 0x340, 0x340, 0));
        e.add(CpuidEntry.indexed(0xD, 1, 0xF, 0, 0, 0));
        e.add(CpuidEntry.indexed(0x1F, 0, 1, 2, 0x100, 7));
        e.add(CpuidEntry.of(0x4000_0000, 0x4000_0001, kvm[0], kvm[1], kvm[2]));
        e.add(CpuidEntry.of(0x4000_0001, 0x01007AFB, 0, 0, 0));
        e.add(CpuidEntry.of(0x8000_0000, 0x8000_0008, 0, 0, 0));
        e.add(CpuidEntry.of(0x8000_0001, 0, 0, CpuFeature.SVM.mask() | CpuFeature.LAHF_LM.mask() | CpuFeature.TOPOEXT.mask(),
                CpuFeature.LM.mask() | CpuFeature.NX.mask()));
        e.add(CpuidEntry.of(0x8000_0008, 0x3030, 0, 0x0000_700F, 0));
        return CpuidProfile.fromKvmSupported(e);
    }

    @Test
    void masksWhatWeDoNotVirtualize() {
        CpuidModel m = CpuidModel.builder(hostLike()).vcpus(2).build();
        for (CpuFeature f : List.of(CpuFeature.VMX, CpuFeature.SVM, CpuFeature.PDCM, CpuFeature.HLE, CpuFeature.RTM,
                CpuFeature.TSX_FORCE_ABORT, CpuFeature.INTEL_PT, CpuFeature.DS, CpuFeature.TOPOEXT, CpuFeature.OSXSAVE)) {
            assertFalse(m.has(f), f + " must be hidden");
        }
        for (CpuFeature f : List.of(CpuFeature.SSE2, CpuFeature.FPU, CpuFeature.SSE4_2, CpuFeature.AVX2, CpuFeature.LM,
                CpuFeature.NX, CpuFeature.LAHF_LM, CpuFeature.X2APIC)) {
            assertTrue(m.has(f), f + " must be passed through");
        }
        assertTrue(m.has(CpuFeature.HYPERVISOR));
        assertEquals(CpuidResult.ZERO, m.lookup(0, 0xA, 0), "no PMU leaf");
        assertTrue(m.entries(0).stream().noneMatch(e -> e.leaf() == 0xA), "leaf 0xA not passed to KVM");
        // Leaves not named by the mask pass through untouched.
        assertEquals(new CpuidResult(0xF, 0, 0, 0), m.lookup(1, 0xD, 1));
    }

    @Test
    void extraHiddenFeatures() {
        CpuidModel m = CpuidModel.builder(hostLike()).hide(CpuFeature.AVX2).build();
        assertFalse(m.has(CpuFeature.AVX2));
        assertTrue(m.has(CpuFeature.SSE2));
    }

    @Test
    void noKvmSignatureAnywhere() {
        CpuidModel m = CpuidModel.builder(hostLike()).vcpus(3).build();
        for (int v = 0; v < 3; v++) {
            for (CpuidEntry e : m.entries(v)) {
                String text = CpuidModel.ascii(e.value().eax(), e.value().ebx(), e.value().ecx(), e.value().edx());
                assertFalse(text.contains("KVM"), "KVM signature leaked in " + e);
            }
            for (int leaf = 0x4000_0000; leaf <= 0x4000_0010; leaf++) {
                CpuidResult r = m.lookup(v, leaf, 0);
                assertFalse(CpuidModel.ascii(r.ebx(), r.ecx(), r.edx()).contains("KVM"));
            }
        }
        CpuidResult hv = m.lookup(0, 0x4000_0000, 0);
        assertEquals(0x4000_0000, hv.eax(), "only the base hypervisor leaf by default");
        assertEquals("PartitaVMM\0\0", CpuidModel.ascii(hv.ebx(), hv.ecx(), hv.edx()));
        // KVM's feature leaf 0x40000001 is gone: it is now beyond the hypervisor range maximum,
        // so it reads as the highest basic leaf, never as KVM paravirt features.
        assertEquals(m.lookup(0, 0x1F, 0), m.lookup(0, 0x4000_0001, 0));
    }

    @Test
    void topologyPerVcpu() {
        int n = 3;
        CpuidModel m = CpuidModel.builder(hostLike()).vcpus(n).build();
        for (int v = 0; v < n; v++) {
            CpuidResult l1 = m.lookup(v, 1, 0);
            assertEquals(v, l1.ebx() >>> 24, "leaf 1 APIC id");
            assertEquals(4, (l1.ebx() >>> 16) & 0xFF, "addressable logical ids (power of two >= 3)");
            assertEquals(0x08, (l1.ebx() >>> 8) & 0xFF, "CLFLUSH line size kept");
            assertTrue(CpuFeature.HTT.isSetIn(l1));
            for (int leaf : new int[] {0xB, 0x1F}) {
                CpuidResult smt = m.lookup(v, leaf, 0);
                CpuidResult core = m.lookup(v, leaf, 1);
                CpuidResult past = m.lookup(v, leaf, 5);
                assertEquals(v, smt.edx());
                assertEquals(v, core.edx());
                assertEquals(v, past.edx());
                assertEquals(1, smt.ebx() & 0xFFFF);
                assertEquals(1, (smt.ecx() >>> 8) & 0xFF, "SMT level");
                assertEquals(n, core.ebx() & 0xFFFF);
                assertEquals(2, (core.ecx() >>> 8) & 0xFF, "core level");
                assertEquals(2, core.eax() & 0x1F, "shift to package id");
                assertEquals(0, (past.ecx() >>> 8) & 0xFF, "invalid level");
                assertEquals(5, past.ecx() & 0xFF, "subleaf echoed");
            }
            CpuidResult l1d = m.lookup(v, 4, 0);
            CpuidResult l3 = m.lookup(v, 4, 1);
            assertEquals(3, l1d.eax() >>> 26, "cores per package - 1 (addressable)");
            assertEquals(0, (l1d.eax() >>> 14) & 0xFFF, "L1 private");
            assertEquals(3, (l3.eax() >>> 14) & 0xFFF, "L3 shared by the package");
            assertEquals(0x121, l1d.eax() & 0x3FFF, "cache type/level kept");
            assertEquals(CpuidResult.ZERO, m.lookup(v, 4, 2));
            CpuidResult amd = m.lookup(v, 0x8000_0008, 0);
            assertEquals(n - 1, amd.ecx() & 0xFF);
            assertEquals(2, (amd.ecx() >>> 12) & 0xF);
            assertFalse(CpuFeature.CMP_LEGACY.isSetIn(m.lookup(v, 0x8000_0001, 0)));
        }
        // KVM entry lists differ per vCPU exactly in topology.
        assertNotEquals(m.entries(0), m.entries(1));
    }

    @Test
    void singleVcpuHasNoHtt() {
        CpuidModel m = CpuidModel.builder(hostLike()).build();
        assertFalse(m.has(CpuFeature.HTT));
        assertEquals(1, (m.lookup(0, 1, 0).ebx() >>> 16) & 0xFF);
    }

    @Test
    void outOfRangeLeavesReturnHighestBasicLeaf() {
        CpuidModel m = CpuidModel.builder(hostLike()).vcpus(2).build();
        CpuidResult highest = m.lookup(1, 0x1F, 0);
        assertEquals(highest, m.lookup(1, 0x20, 0), "just past the basic range");
        assertEquals(highest, m.lookup(1, 0x8000_0009, 0), "past the extended range");
        assertEquals(highest, m.lookup(1, 0xC000_0000, 0), "absent class");
        assertEquals(highest, m.lookup(1, 0xFFFF_FFFF, 0));
        assertEquals(m.lookup(1, 0x1F, 1), m.lookup(1, 0x7777_0000, 1), "subleaf of highest leaf honoured");
        // Inside a range but unimplemented: zeros.
        assertEquals(CpuidResult.ZERO, m.lookup(1, 0x3, 0));
        assertEquals(CpuidResult.ZERO, m.lookup(1, 0x8000_0005, 0));
        // Non-indexed leaves ignore ECX.
        assertEquals(m.lookup(1, 1, 0), m.lookup(1, 1, 99));
        // Indexed leaf, missing subleaf: zeros.
        assertEquals(CpuidResult.ZERO, m.lookup(1, 7, 1));
    }

    @Test
    void lookupFromEntryListAnswersLikeTheModel() {
        CpuidModel m = CpuidModel.builder(hostLike()).vcpus(3).build();
        for (int v = 0; v < 3; v++) {
            List<CpuidEntry> shuffled = new ArrayList<>(m.entries(v));
            java.util.Collections.shuffle(shuffled, new java.util.Random(v));
            CpuidLookup l = CpuidLookup.of(shuffled);
            for (int leaf : new int[] {0, 1, 3, 4, 7, 0xA, 0xB, 0x1F, 0x20, 0x4000_0000, 0x4000_0001, 0x8000_0000,
                    0x8000_0001, 0x8000_0008, 0x8000_0009, 0xC000_0000, -1}) {
                for (int sub = 0; sub < 4; sub++) {
                    assertEquals(m.lookup(v, leaf, sub), l.lookup(leaf, sub), "vCPU " + v + " leaf " + Integer.toHexString(leaf) + "." + sub);
                }
            }
        }
    }

    @Test
    void rejectsBadVcpuIndexAndCounts() {
        CpuidModel m = CpuidModel.builder(hostLike()).vcpus(2).build();
        assertThrows(IndexOutOfBoundsException.class, () -> m.lookup(2, 0, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> m.lookup(-1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> CpuidModel.builder(hostLike()).vcpus(0));
        assertThrows(IllegalArgumentException.class, () -> CpuidModel.builder(hostLike()).vcpus(256));
    }

    @Test
    void leafRangeExtensionReplacesHypervisorLeaves() {
        CpuidLeafRange hyperv = new CpuidLeafRange() {
            public int firstLeaf() { return 0x4000_0000; }
            public int lastLeaf() { return 0x4000_00FF; }
            public List<CpuidEntry> entries(int vcpu, int count) {
                int[] sig = PartitaHypervisorLeaves.signatureWords("Microsoft Hv");
                return List.of(CpuidEntry.of(0x4000_0000, 0x4000_0006, sig[0], sig[1], sig[2]),
                        CpuidEntry.of(0x4000_0001, 0x31237648, 0, 0, 0),
                        CpuidEntry.of(0x4000_0004, 0, vcpu + 100, 0, 0));
            }
        };
        CpuidModel m = CpuidModel.builder(hostLike()).vcpus(2).leafRange(hyperv).build();
        CpuidResult base = m.lookup(0, 0x4000_0000, 0);
        assertEquals("Microsoft Hv", CpuidModel.ascii(base.ebx(), base.ecx(), base.edx()));
        assertEquals(0x31237648, m.lookup(1, 0x4000_0001, 0).eax());
        assertEquals(101, m.lookup(1, 0x4000_0004, 0).ebx(), "per-vCPU range data");
        assertEquals(CpuidResult.ZERO, m.lookup(1, 0x4000_0005, 0), "hole inside the range");
        assertEquals(m.lookup(1, 0x1F, 0), m.lookup(1, 0x4000_0007, 0), "past the range maximum");
        assertThrows(IllegalArgumentException.class,
                () -> CpuidModel.builder(hostLike()).leafRange(hyperv).leafRange(new PartitaHypervisorLeaves()));
    }

    @Test
    void leafRangeMayNotWriteOutsideItself() {
        CpuidLeafRange bad = new CpuidLeafRange() {
            public int firstLeaf() { return 0x4000_0000; }
            public int lastLeaf() { return 0x4000_00FF; }
            public List<CpuidEntry> entries(int vcpu, int count) {
                return List.of(CpuidEntry.of(0x4000_0000, 0x4000_0000, 0, 0, 0), CpuidEntry.of(1, 0, 0, 0, 0));
            }
        };
        assertThrows(IllegalArgumentException.class, () -> CpuidModel.builder(hostLike()).leafRange(bad).build());
    }

    @Test
    void baselineProfileIsAnX8664v2Cpu() {
        CpuidModel m = CpuidModel.builder(CpuidProfile.baseline()).vcpus(2).build();
        assertEquals(CpuidProfile.Origin.BASELINE_EMULATED, m.profile().origin());
        assertEquals("GenuineIntel", m.vendor());
        for (CpuFeature f : List.of(CpuFeature.CX16, CpuFeature.LAHF_LM, CpuFeature.POPCNT, CpuFeature.SSE3,
                CpuFeature.SSE4_1, CpuFeature.SSE4_2, CpuFeature.SSSE3, CpuFeature.LM, CpuFeature.NX,
                CpuFeature.SYSCALL, CpuFeature.CMOV, CpuFeature.HYPERVISOR)) {
            assertTrue(m.has(f), "baseline lacks " + f);
        }
        for (CpuFeature f : List.of(CpuFeature.AVX, CpuFeature.XSAVE, CpuFeature.AES, CpuFeature.VMX)) {
            assertFalse(m.has(f), "baseline must not claim " + f);
        }
        assertEquals(1, m.lookup(1, 0xB, 0).ebx() & 0xFFFF);
        assertEquals(1, m.lookup(1, 0xB, 0).edx());
        CpuidResult b = m.lookup(0, 0x8000_0002, 0);
        assertTrue(CpuidModel.ascii(b.eax(), b.ebx(), b.ecx(), b.edx()).startsWith("Partita "));
        assertEquals(m.lookup(0, 0xB, 0).ebx(), m.lookup(0, 0xC, 0).ebx(), "0xC is past max basic 0xB");
    }

    @Test
    void rejectsDuplicateAndLeaflessProfiles() {
        CpuidEntry one = CpuidEntry.of(1, 0, 0, 0, 0);
        assertThrows(IllegalArgumentException.class,
                () -> CpuidModel.builder(CpuidProfile.fromKvmSupported(List.of(CpuidEntry.of(0, 1, 0, 0, 0), one, one))).build());
        assertThrows(IllegalArgumentException.class,
                () -> CpuidModel.builder(CpuidProfile.fromKvmSupported(List.of(one))).build());
    }
}

package dev.partita.hv.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.partita.hv.cpuid.CpuidResult;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CpuIdentityReaderTest {

    /** A CPUID table: unknown leaves read as zero. */
    private static final class TableCpuid implements CpuidSource {
        final Map<Integer, CpuidResult> leaves = new HashMap<>();

        @Override
        public CpuidResult query(int leaf, int subleaf) {
            return leaves.getOrDefault(leaf, CpuidResult.ZERO);
        }

        void vendor(int maxLeaf, String vendor) {
            int[] w = words(vendor, 3);
            leaves.put(0, new CpuidResult(maxLeaf, w[0], w[2], w[1])); // EBX, EDX, ECX order
        }

        void brand(String brand) {
            int[] w = words(brand, 12);
            for (int i = 0; i < 3; i++) {
                leaves.put(0x8000_0002 + i, new CpuidResult(w[4 * i], w[4 * i + 1], w[4 * i + 2], w[4 * i + 3]));
            }
        }
    }

    private static int[] words(String s, int count) {
        ByteBuffer b = ByteBuffer.allocate(count * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.put(s.getBytes(StandardCharsets.US_ASCII));
        b.rewind();
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            out[i] = b.getInt();
        }
        return out;
    }

    @Test
    void decodesIntelSignatureVmxAndHypervisorLeaf() {
        TableCpuid t = new TableCpuid();
        t.vendor(0x1B, "GenuineIntel");
        // family 6, extended model 0x8, model 0xF, stepping 8 -> display model 0x8F (Sapphire Rapids)
        t.leaves.put(1, new CpuidResult(0x000806F8, 0, (1 << 5) | (1 << 31), 0));
        t.leaves.put(0x8000_0000, new CpuidResult(0x8000_0008, 0, 0, 0));
        t.brand("       Intel(R) Xeon(R) Platinum 8480+");
        int[] sig = words("Microsoft Hv", 3);
        t.leaves.put(0x4000_0000, new CpuidResult(0x4000_000B, sig[0], sig[1], sig[2]));

        CpuIdentity id = CpuIdentityReader.read(t);

        assertEquals("GenuineIntel", id.vendor());
        assertEquals(6, id.family());
        assertEquals(0x8F, id.model());
        assertEquals(8, id.stepping());
        assertEquals("Intel(R) Xeon(R) Platinum 8480+", id.brand());
        assertTrue(id.vmx());
        assertFalse(id.svm());
        assertTrue(id.hypervisorBit());
        assertEquals(Optional.empty(), id.nestedPaging(), "EPT is not visible through CPUID");
        assertEquals("Microsoft Hyper-V", id.hypervisor().orElseThrow().vendor());
        assertEquals(0x4000_000B, id.hypervisor().orElseThrow().maxLeaf());
    }

    @Test
    void decodesAmdExtendedFamilySvmAndNestedPaging() {
        TableCpuid t = new TableCpuid();
        t.vendor(0x10, "AuthenticAMD");
        // base family 0xF + extended family 0xA = 25, extended model 1, model 1 -> 0x11, stepping 1
        t.leaves.put(1, new CpuidResult(0x00A10F11, 0, 0, 0));
        t.leaves.put(0x8000_0000, new CpuidResult(0x8000_0021, 0, 0, 0));
        t.leaves.put(0x8000_0001, new CpuidResult(0, 0, 1 << 2, 0));
        t.leaves.put(0x8000_000A, new CpuidResult(1, 0x8000, 0, 1));
        t.brand("AMD EPYC 7B13");

        CpuIdentity id = CpuIdentityReader.read(t);

        assertEquals(25, id.family());
        assertEquals(0x11, id.model());
        assertEquals(1, id.stepping());
        assertTrue(id.svm());
        assertFalse(id.vmx());
        assertEquals(Optional.of(true), id.nestedPaging());
        assertFalse(id.hypervisorBit());
        assertTrue(id.hypervisor().isEmpty(), "leaf 0x40000000 is only read with the hypervisor bit set");
        assertEquals("AMD EPYC 7B13", id.brand());
    }

    @Test
    void kvmSignatureWithTrailingNulsAndUnknownSignature() {
        int[] kvm = words("KVMKVMKVM", 3);
        assertEquals("KVM", HypervisorLeaf.decode(new CpuidResult(0x4000_0001, kvm[0], kvm[1], kvm[2])).vendor());
        assertEquals("KVMKVMKVM", HypervisorLeaf.decode(new CpuidResult(0x4000_0001, kvm[0], kvm[1], kvm[2])).signature());
        int[] odd = words("SomethingNew", 3);
        assertEquals("unknown", HypervisorLeaf.decode(new CpuidResult(0, odd[0], odd[1], odd[2])).vendor());
    }

    @Test
    void missingExtendedLeavesGiveEmptyBrandAndNoSvm() {
        TableCpuid t = new TableCpuid();
        t.vendor(1, "GenuineIntel");
        t.leaves.put(1, new CpuidResult(0x000006F6, 0, 0, 0));
        CpuIdentity id = CpuIdentityReader.read(t);
        assertEquals("", id.brand());
        assertFalse(id.svm());
        assertEquals(0, id.maxExtendedLeaf());
    }
}

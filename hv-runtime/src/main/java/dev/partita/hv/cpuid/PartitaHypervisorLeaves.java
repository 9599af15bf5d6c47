package dev.partita.hv.cpuid;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The default hypervisor range when no other component supplies one: only leaf 0x40000000, reporting
 * itself as the highest hypervisor leaf and the vendor signature "PartitaVMM" (zero padded). It names
 * no paravirtual interface, so guests fall back to plain hardware behaviour. The Hyper-V leaves replace
 * this range through {@link CpuidModelBuilder#leafRange(CpuidLeafRange)}.
 */
public final class PartitaHypervisorLeaves implements CpuidLeafRange {

    /** The base of the hypervisor leaf class. */
    public static final int HYPERVISOR_BASE = 0x4000_0000;
    /** The last leaf of the range this class owns. */
    public static final int HYPERVISOR_LAST = 0x4000_00FF;
    /** The 12-byte vendor signature, in EBX, ECX, EDX order. */
    public static final String SIGNATURE = "PartitaVMM\0\0";

    @Override
    public int firstLeaf() { return HYPERVISOR_BASE; }

    @Override
    public int lastLeaf() { return HYPERVISOR_LAST; }

    @Override
    public List<CpuidEntry> entries(int vcpuIndex, int vcpuCount) {
        int[] sig = signatureWords(SIGNATURE);
        return List.of(CpuidEntry.of(HYPERVISOR_BASE, HYPERVISOR_BASE, sig[0], sig[1], sig[2]));
    }

    /** Splits a 12-character ASCII signature into three little-endian words. */
    public static int[] signatureWords(String signature) {
        byte[] b = signature.getBytes(StandardCharsets.ISO_8859_1);
        if (b.length != 12) {
            throw new IllegalArgumentException("CPUID signature must be 12 bytes, got " + b.length);
        }
        int[] words = new int[3];
        for (int i = 0; i < 12; i++) {
            words[i / 4] |= (b[i] & 0xFF) << (8 * (i % 4));
        }
        return words;
    }
}

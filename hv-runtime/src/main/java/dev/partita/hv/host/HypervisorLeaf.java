package dev.partita.hv.host;

import dev.partita.hv.cpuid.CpuidResult;
import java.util.Map;

/**
 * What CPUID leaf 0x40000000 says about the hypervisor the host itself runs under.
 *
 * @param signature the 12-byte signature from EBX, ECX, EDX (trailing NULs dropped)
 * @param maxLeaf   EAX: the highest hypervisor leaf
 * @param vendor    a readable name for a known signature, or "unknown"
 */
public record HypervisorLeaf(String signature, int maxLeaf, String vendor) {

    /** Leaf numbers of the hypervisor range. */
    public static final int LEAF = 0x4000_0000;

    /** Known signatures (leaf 0x40000000 EBX:ECX:EDX) and the product behind them. */
    private static final Map<String, String> KNOWN = Map.ofEntries(
            Map.entry("KVMKVMKVM", "KVM"),
            Map.entry("Microsoft Hv", "Microsoft Hyper-V"),
            Map.entry("VMwareVMware", "VMware"),
            Map.entry("XenVMMXenVMM", "Xen"),
            Map.entry("TCGTCGTCGTCG", "QEMU TCG"),
            Map.entry("VBoxVBoxVBox", "VirtualBox"),
            Map.entry("bhyve bhyve ", "bhyve"),
            Map.entry(" lrpepyh  vr", "Parallels"),
            Map.entry("ACRNACRNACRN", "ACRN"),
            Map.entry("Jailhouse", "Jailhouse"));

    /** Decodes a leaf-0x40000000 result. */
    public static HypervisorLeaf decode(CpuidResult leaf) {
        String signature = CpuidText.ascii(leaf.ebx(), leaf.ecx(), leaf.edx());
        return new HypervisorLeaf(signature, leaf.eax(), KNOWN.getOrDefault(signature, "unknown"));
    }
}

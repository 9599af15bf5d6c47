package dev.partita.hv.host;

import java.util.Set;

/**
 * The first processor's entry of {@code /proc/cpuinfo}: what the kernel believes about the CPU.
 *
 * @param vendorId  "vendor_id"
 * @param modelName "model name"
 * @param family    "cpu family", -1 when absent
 * @param model     "model", -1 when absent
 * @param stepping  "stepping", -1 when absent
 * @param flags     "flags"
 * @param vmxFlags  "vmx flags" (kernels since 5.8 list VMX features such as "ept" there); empty if absent
 */
public record CpuinfoFacts(String vendorId, String modelName, int family, int model, int stepping,
                           Set<String> flags, Set<String> vmxFlags) {

    /** Whether the kernel lists {@code flag} in "flags" or "vmx flags". */
    public boolean has(String flag) {
        return flags.contains(flag) || vmxFlags.contains(flag);
    }
}

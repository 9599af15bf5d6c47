package dev.partita.hv.boot;

import dev.partita.hv.vp.VpState;

import java.util.List;

/**
 * Where a Linux loader put things and how the boot processor starts.
 *
 * @param bootState     initial state of vCPU 0 (application processors use
 *                      {@link dev.partita.hv.loader.BootStates#applicationProcessor()})
 * @param entry         first instruction executed (startup_64 or the PVH entry)
 * @param kernelStart   lowest guest-physical address of the kernel
 * @param kernelEnd     end of the memory the kernel may use while starting (load address + init_size)
 * @param bootInfo      address of boot_params (bzImage) or hvm_start_info (PVH)
 * @param initrdAddress where the initrd was placed (0 without one)
 * @param initrdSize    its size in bytes (0 without one)
 * @param rsdpAddress   the RSDP (0 without ACPI)
 * @param memoryMap     the e820 map given to the kernel
 */
public record BootedKernel(VpState bootState, long entry, long kernelStart, long kernelEnd, long bootInfo,
                           long initrdAddress, long initrdSize, long rsdpAddress, List<E820Entry> memoryMap) {
    public BootedKernel {
        memoryMap = List.copyOf(memoryMap);
    }
}

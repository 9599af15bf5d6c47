package dev.partita.vmms.api;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * A VM's definition as the API takes it ({@code POST /v1/vms}) and as the service stores it
 * ({@code vm.json} in the VM's folder). Exactly one of {@code image} (a flat or ELF test guest, see
 * guests/README.md) and {@code kernel} (a Linux bzImage or PVH vmlinux, with {@code initrd} and
 * {@code cmdline}) is given. Paths are absolute. Immutable.
 *
 * @param name    the VM's name: letters, digits, '-', '_' and '.', at most 64, not starting with '.'
 * @param image   a test guest image, or null
 * @param kernel  a Linux kernel, or null
 * @param initrd  a Linux initramfs, or null
 * @param cmdline the kernel command line, or null for the default
 * @param memory  guest RAM with a unit ("32M", "1G"), or null for the default (32M for an image, 512M for Linux)
 * @param cpus    virtual processors 1-255, or null for 1
 * @param backend "auto", "kvm" or "emulator", or null for auto
 * @param disks   raw disk images on the VM's SCSI controller ({@code PATH} or {@code PATH,ro}); Linux only
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VmSpec(String name, String image, String kernel, String initrd, String cmdline, String memory, Integer cpus,
                     String backend, List<String> disks) {
    public VmSpec {
        disks = disks == null ? List.of() : List.copyOf(disks);
    }

    /** This definition with other processors and memory (null keeps the current value). */
    public VmSpec withResources(Integer newCpus, String newMemory) {
        return new VmSpec(name, image, kernel, initrd, cmdline, newMemory == null ? memory : newMemory,
                newCpus == null ? cpus : newCpus, backend, disks);
    }
}

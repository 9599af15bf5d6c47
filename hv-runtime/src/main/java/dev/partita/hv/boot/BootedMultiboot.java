package dev.partita.hv.boot;

import dev.partita.hv.vp.VpState;

import java.util.List;

/**
 * Where the multiboot loader put things.
 *
 * @param bootState    the boot processor's entry state (EAX = 0x2BADB002, EBX = {@link #infoAddress})
 * @param kernelStart  first byte of the kernel image
 * @param kernelEnd    one past its last byte (bss included)
 * @param infoAddress  the multiboot information structure
 * @param modules      guest-physical [start, end) of each module, in order
 * @param memoryMap    the memory map given to the kernel
 */
public record BootedMultiboot(VpState bootState, long kernelStart, long kernelEnd, long infoAddress, List<long[]> modules,
                              List<E820Entry> memoryMap) {}

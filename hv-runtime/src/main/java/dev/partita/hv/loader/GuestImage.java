package dev.partita.hv.loader;

import dev.partita.hv.memory.GuestMemory;

/**
 * A parsed guest image, ready to be placed in guest memory. The closed set of formats Partita
 * boots as test guests; {@link ImageSniffer} chooses one by looking at the file. Linux kernels
 * (bzImage/PVH, boot_params, e820) have their own loader, {@code dev.partita.hv.boot.LinuxBootLoader},
 * because they need more inputs (command line, initrd, ACPI tables); the sniffer recognises a bzImage
 * and names that loader. Should {@code partita run} boot kernels directly, a third permitted type
 * wrapping a {@code LinuxBootRequest} fits here unchanged: its extra inputs belong to the image
 * object, and the e820 map comes from {@link GuestMemory#regions()} inside {@link #loadInto}.
 *
 * <p>Images are immutable and may be loaded into several partitions, from any thread.
 */
public sealed interface GuestImage permits FlatImage, ElfImage {

    /** A short description for logs ("flat image, 512 bytes at 0x7c00"). */
    String describe();

    /**
     * Copies the image into guest memory and returns the boot processor's initial state (the boot
     * states of guests/README.md). Checks placement against {@code memory} before writing anything.
     *
     * @throws ImageLoadException when the image does not fit guest RAM
     */
    LoadedImage loadInto(GuestMemory memory) throws ImageLoadException;
}

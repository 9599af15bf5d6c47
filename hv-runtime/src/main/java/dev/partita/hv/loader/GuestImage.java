package dev.partita.hv.loader;

import dev.partita.hv.memory.GuestMemory;

/**
 * A parsed guest image, ready to be placed in guest memory. The closed set of formats Partita
 * boots; {@link ImageSniffer} chooses one by looking at the file. A Linux bzImage (boot protocol,
 * boot_params, e820) will be a third permitted type; until then the sniffer names it and refuses it.
 * Its extra inputs (kernel command line, initrd) belong to that image object, given when it is built
 * ({@code ImageSniffer} would take them as options); the e820 map comes from
 * {@link GuestMemory#regions()} inside {@link #loadInto}, so this interface stays as it is.
 *
 * <p>Images are immutable and may be loaded into several partitions, from any thread.
 */
public sealed interface GuestImage permits FlatImage, ElfImage {

    /** A short description for logs ("flat image, 512 bytes at 0x7c00"). */
    String describe();

    /**
     * Copies the image into guest memory and returns the boot processor's initial state (the boot
     * states of CONVENTIONS.md). Checks placement against {@code memory} before writing anything.
     *
     * @throws ImageLoadException when the image does not fit guest RAM
     */
    LoadedImage loadInto(GuestMemory memory) throws ImageLoadException;
}

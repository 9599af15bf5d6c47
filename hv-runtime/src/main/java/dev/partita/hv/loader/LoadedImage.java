package dev.partita.hv.loader;

import dev.partita.hv.vp.VpState;

/**
 * The result of placing an image in guest memory.
 *
 * @param image     the image that was loaded
 * @param bootState the initial state of the boot processor (vCPU 0); every other vCPU starts in
 *                  {@link BootStates#applicationProcessor()}
 * @param lowestGpa the first guest-physical byte written
 * @param endGpa    one past the last guest-physical byte written (including zeroed bss)
 */
public record LoadedImage(GuestImage image, VpState bootState, long lowestGpa, long endGpa) {}

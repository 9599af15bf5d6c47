package dev.partita.hv.boot;

/**
 * A boot module handed to a multiboot kernel.
 *
 * @param string the module's string in the boot information (by convention its file name and arguments)
 * @param data   the module's bytes (not copied; not modified)
 */
public record MultibootModule(String string, byte[] data) {}

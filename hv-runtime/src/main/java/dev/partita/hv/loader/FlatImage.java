package dev.partita.hv.loader;

import dev.partita.hv.memory.GuestMemory;

/**
 * A raw binary loaded at 0x7C00 and started in real mode ({@link BootStates#flatRealMode()}). It
 * must end below 0xA0000. Immutable.
 */
public final class FlatImage implements GuestImage {

    /** The largest flat image: from 0x7C00 up to 0xA0000. */
    public static final long MAX_SIZE = BootStates.FLAT_LIMIT - BootStates.FLAT_LOAD_ADDRESS;

    private final byte[] bytes;

    private FlatImage(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * A flat image of these bytes (copied).
     *
     * @throws ImageLoadException when it is empty or larger than {@link #MAX_SIZE}
     */
    public static FlatImage of(byte[] bytes) throws ImageLoadException {
        if (bytes.length == 0) {
            throw new ImageLoadException("image is empty");
        }
        if (bytes.length > MAX_SIZE) {
            throw new ImageLoadException("image is not an ELF file and, at " + ByteSizes.human(bytes.length)
                    + ", too large for a flat image (at most " + MAX_SIZE + " bytes, loaded at 0x7c00 below 0xa0000)");
        }
        return new FlatImage(bytes.clone());
    }

    /** The image size in bytes. */
    public int size() {
        return bytes.length;
    }

    @Override
    public String describe() {
        return "flat image, " + ByteSizes.human(bytes.length) + " at 0x7c00, real mode";
    }

    @Override
    public LoadedImage loadInto(GuestMemory memory) throws ImageLoadException {
        long start = BootStates.FLAT_LOAD_ADDRESS;
        if (!memory.isRam(start, bytes.length)) {
            throw new ImageLoadException("flat image at 0x7c00.." + Long.toHexString(start + bytes.length)
                    + " does not fit guest RAM (" + ByteSizes.human(memory.totalSize()) + ")");
        }
        memory.write(start, bytes);
        return new LoadedImage(this, BootStates.flatRealMode(), start, start + bytes.length);
    }
}

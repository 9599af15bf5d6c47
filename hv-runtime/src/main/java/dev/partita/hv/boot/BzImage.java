package dev.partita.hv.boot;

import dev.partita.hv.loader.ByteSizes;
import dev.partita.hv.loader.ImageLoadException;

/**
 * A Linux bzImage: the validated setup header and the file. The protected-mode part (after the
 * setup sectors) is what the loader copies; the real-mode setup code is never run (64-bit entry).
 */
public final class BzImage implements LinuxKernel {
    /** startup_64 is this far into the protected-mode kernel (boot.rst, "64-bit BOOT PROTOCOL"). */
    public static final long STARTUP_64_OFFSET = 0x200;

    private final SetupHeader header;
    private final byte[] file;

    private BzImage(SetupHeader header, byte[] file) {
        this.header = header;
        this.file = file;
    }

    /** Validates the setup header (see {@link SetupHeader#parse}). */
    public static BzImage parse(byte[] file) throws ImageLoadException {
        return new BzImage(SetupHeader.parse(file), file);
    }

    public SetupHeader header() {
        return header;
    }

    /** The whole file (not copied). */
    byte[] file() {
        return file;
    }

    /** Bytes of the protected-mode kernel as stored in the file. */
    public long payloadBytes() {
        return file.length - header.setupBytes();
    }

    @Override
    public String describe() {
        return "Linux bzImage, boot protocol " + header.versionText() + ", " + ByteSizes.human(payloadBytes())
                + " kernel, init_size " + ByteSizes.human(header.initSize())
                + (header.relocatable() ? ", relocatable" : "") + ", pref_address 0x" + Long.toHexString(header.prefAddress());
    }
}

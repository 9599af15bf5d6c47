package dev.partita.hv.loader;

/**
 * A guest image that cannot be loaded: malformed, unsupported, or not fitting guest memory. The
 * message is one line naming the problem ("ELF program header 2 extends past end of file"),
 * suitable to show a user as is.
 */
public final class ImageLoadException extends Exception {

    public ImageLoadException(String message) {
        super(message);
    }

    public ImageLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}

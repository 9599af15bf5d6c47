package dev.partita.vmms.images;

/** Building a guest image failed; the message is one line naming the step and the cause. */
public final class ImageBuildException extends Exception {
    public ImageBuildException(String message) {
        super(message);
    }

    public ImageBuildException(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.partita.devices.storage;

/** A guest packet whose layout is inconsistent (lengths, counts, offsets) or names memory outside guest RAM. */
public final class MalformedPacketException extends Exception {
    public MalformedPacketException(String message) {
        super(message, null, false, false);
    }
}

package dev.partita.hv.state;

/**
 * Told how far a save or restore has come, in bytes of guest memory, as it goes. Called on the
 * thread doing the save or restore; must return quickly.
 */
@FunctionalInterface
public interface StateProgress {
    /** Reports nothing. */
    StateProgress NONE = (done, total) -> { };

    /**
     * @param done  bytes handled so far
     * @param total bytes to handle in all
     */
    void update(long done, long total);
}

package dev.partita.devices.storage.disk.vhdx;

import java.io.IOException;

/**
 * Observes the steps of a metadata update; the test seam that simulates a crash between them by
 * throwing. Called on the thread that performs the update.
 */
@FunctionalInterface
interface CommitHook {
    enum Stage {
        /** The log entry is written and flushed; the metadata in place is not yet changed. */
        LOG_FLUSHED,
        /** The metadata in place is written and flushed. */
        APPLIED
    }

    CommitHook NONE = stage -> { };

    void reached(Stage stage) throws IOException;
}

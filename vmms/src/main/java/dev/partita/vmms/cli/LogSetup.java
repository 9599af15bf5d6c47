package dev.partita.vmms.cli;

import dev.partita.hv.log.LogLevels;

import java.lang.System.Logger.Level;

/**
 * Applies {@code --log-level} to Partita's logging backend (hv-runtime's {@code StderrLoggerFinder}: one
 * line per record on stderr). The chosen level applies to Partita's loggers ({@code dev.partita.*}); the
 * JDK's own loggers stay at WARNING or above so that {@code --log-level=debug} does not print, say, the
 * JDK's Runtime.exit trace. Called once per run from the main thread.
 */
public final class LogSetup {

    private LogSetup() {
    }

    /** Partita's loggers log at {@code level}; every other logger at {@code level} or WARNING, whichever is higher. */
    public static void apply(Level level) {
        LogLevels.set(LogLevels.PARTITA, level);
        LogLevels.set("", level.getSeverity() < Level.WARNING.getSeverity() ? Level.WARNING : level);
    }
}

package dev.partita.vmms.cli;

import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Points java.util.logging at stderr with {@link CompactLogFormatter}. The chosen level applies to
 * Partita's loggers ({@code dev.partita.*}); the JDK's own loggers stay at WARNING so that
 * {@code --log-level=debug} does not print, say, the JDK's Runtime.exit trace. Called once per run
 * from the main thread.
 */
public final class LogSetup {

    /** Held strongly: java.util.logging keeps loggers only weakly, and a collected logger loses its level. */
    private static final Logger PARTITA = Logger.getLogger("dev.partita");

    private LogSetup() {
    }

    /** Replaces the root logger's handlers with one stderr handler; Partita's loggers log at {@code level}. */
    public static void apply(Level level) {
        Logger root = Logger.getLogger("");
        for (Handler handler : root.getHandlers()) {
            root.removeHandler(handler);
        }
        ConsoleHandler stderr = new ConsoleHandler(); // writes to System.err
        stderr.setFormatter(new CompactLogFormatter());
        stderr.setLevel(level);
        root.addHandler(stderr);
        root.setLevel(level.intValue() < Level.WARNING.intValue() ? Level.WARNING : level);
        PARTITA.setLevel(level);
    }
}

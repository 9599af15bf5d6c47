package dev.partita.vmms.cli;

import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Points java.util.logging at stderr with {@link CompactLogFormatter} and one level. Called once per run. */
public final class LogSetup {

    private LogSetup() {
    }

    /** Replaces the root logger's handlers with one stderr handler at {@code level}. */
    public static void apply(Level level) {
        Logger root = Logger.getLogger("");
        for (Handler handler : root.getHandlers()) {
            root.removeHandler(handler);
        }
        ConsoleHandler stderr = new ConsoleHandler(); // writes to System.err
        stderr.setFormatter(new CompactLogFormatter());
        stderr.setLevel(level);
        root.addHandler(stderr);
        root.setLevel(level);
    }
}

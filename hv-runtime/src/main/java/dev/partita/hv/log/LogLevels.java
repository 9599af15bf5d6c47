package dev.partita.hv.log;

import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The thresholds of Partita's logging backend ({@link StderrLoggerFinder}): a level per logger-name
 * prefix, the longest matching prefix wins. Unconfigured, Partita's loggers ({@code dev.partita.*})
 * log from {@link Level#INFO} and every other logger (the JDK's own) from {@link Level#WARNING}.
 * The command line sets the {@code dev.partita} level from {@code --log-level}; tests may quiet one
 * package.
 *
 * <p>Threads: any thread; a change applies to records logged after it.
 */
public final class LogLevels {
    /** The prefix of every Partita logger name. */
    public static final String PARTITA = "dev.partita";

    private static final Map<String, Level> LEVELS = new ConcurrentHashMap<>(Map.of(PARTITA, Level.INFO, "", Level.WARNING));

    private LogLevels() {
    }

    /**
     * Loggers whose name is {@code prefix} or starts with {@code prefix + "."} log records at
     * {@code level} and above ({@link Level#OFF}: nothing). The empty prefix covers every logger.
     */
    public static void set(String prefix, Level level) {
        LEVELS.put(prefix, level);
    }

    /** The threshold that applies to logger {@code name}. */
    public static Level threshold(String name) {
        String at = name;
        while (true) {
            Level l = LEVELS.get(at);
            if (l != null) {
                return l;
            }
            if (at.isEmpty()) {
                return Level.WARNING;
            }
            int dot = at.lastIndexOf('.');
            at = dot < 0 ? "" : at.substring(0, dot);
        }
    }

    /** Whether logger {@code name} logs records of {@code level}. */
    public static boolean enabled(String name, Level level) {
        Level threshold = threshold(name);
        return level != Level.OFF && threshold != Level.OFF && level.getSeverity() >= threshold.getSeverity();
    }
}

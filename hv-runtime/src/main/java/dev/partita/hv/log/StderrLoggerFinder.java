package dev.partita.hv.log;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.text.MessageFormat;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ResourceBundle;

/**
 * The {@link System.LoggerFinder} of every Partita process and test run (registered as a service of
 * hv-runtime, which every module depends on), so that {@link System.Logger} is the one logging API and
 * no other logging framework is configured: each record becomes one line on standard error,
 * {@code 12:34:56.789 WARNING KvmVcpu: message}, followed by a throwable's stack trace when there is
 * one. Thresholds come from {@link LogLevels}.
 *
 * <p>Threads: loggers are stateless and may be used from any thread; a record's text is written with
 * one {@code print} call, so lines of concurrent records do not interleave.
 */
public final class StderrLoggerFinder extends System.LoggerFinder {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    @Override
    public System.Logger getLogger(String name, Module module) {
        return new StderrLogger(name);
    }

    private record StderrLogger(String name) implements System.Logger {
        @Override
        public String getName() {
            return name;
        }

        @Override
        public boolean isLoggable(Level level) {
            return LogLevels.enabled(name, level);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            if (isLoggable(level)) {
                write(level, localized(bundle, msg), thrown);
            }
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            if (isLoggable(level)) {
                String pattern = localized(bundle, format);
                write(level, params == null || params.length == 0 ? pattern : MessageFormat.format(pattern, params), null);
            }
        }

        private static String localized(ResourceBundle bundle, String key) {
            return bundle != null && key != null && bundle.containsKey(key) ? bundle.getString(key) : key;
        }

        private void write(Level level, String msg, Throwable thrown) {
            StringBuilder line = new StringBuilder(96)
                    .append(LocalTime.now().format(TIME))
                    .append(' ').append(level.getName())
                    .append(' ').append(name.substring(name.lastIndexOf('.') + 1)).append(": ")
                    .append(msg)
                    .append(System.lineSeparator());
            if (thrown != null) {
                StringWriter trace = new StringWriter();
                thrown.printStackTrace(new PrintWriter(trace));
                line.append(trace);
            }
            PrintStream err = System.err;
            err.print(line);
            err.flush();
        }
    }
}

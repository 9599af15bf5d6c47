package dev.partita.vmms.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * One line per record: {@code 12:34:56.789 WARNING KvmVcpu: message}; a throwable follows on the next
 * lines. Thread-safe (no mutable state).
 */
public final class CompactLogFormatter extends Formatter {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    @Override
    public String format(LogRecord record) {
        String logger = record.getLoggerName() == null ? "" : record.getLoggerName();
        String shortName = logger.substring(logger.lastIndexOf('.') + 1);
        StringBuilder line = new StringBuilder(96)
                .append(LocalTime.ofInstant(record.getInstant(), ZoneId.systemDefault()).format(TIME))
                .append(' ').append(record.getLevel().getName())
                .append(' ').append(shortName).append(": ")
                .append(formatMessage(record))
                .append(System.lineSeparator());
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            line.append(trace);
        }
        return line.toString();
    }
}

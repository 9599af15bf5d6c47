package dev.partita.vmms.cli;

import java.util.Locale;
import java.util.logging.Level;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Converts {@code --log-level} values (friendly names or java.util.logging names) to a {@link Level}. */
public final class LogLevelConverter implements ITypeConverter<Level> {

    @Override
    public Level convert(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "off" -> Level.OFF;
            case "error", "severe" -> Level.SEVERE;
            case "warn", "warning" -> Level.WARNING;
            case "info" -> Level.INFO;
            case "debug", "fine", "config" -> Level.FINE;
            case "trace", "finer", "finest", "all" -> Level.FINEST;
            default -> throw new TypeConversionException(
                    "'" + value + "' is not a log level (off, error, warn, info, debug, trace)");
        };
    }
}

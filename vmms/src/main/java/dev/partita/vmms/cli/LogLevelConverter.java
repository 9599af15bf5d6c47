package dev.partita.vmms.cli;

import java.lang.System.Logger.Level;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Converts {@code --log-level} values (friendly names, also severe, fine, finer, finest) to a {@link Level}. */
public final class LogLevelConverter implements ITypeConverter<Level> {

    @Override
    public Level convert(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "off" -> Level.OFF;
            case "error", "severe" -> Level.ERROR;
            case "warn", "warning" -> Level.WARNING;
            case "info" -> Level.INFO;
            case "debug", "fine", "config" -> Level.DEBUG;
            case "trace", "finer", "finest", "all" -> Level.TRACE;
            default -> throw new TypeConversionException(
                    "'" + value + "' is not a log level (off, error, warn, info, debug, trace)");
        };
    }
}

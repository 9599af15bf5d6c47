package dev.partita.vmms.cli;

import dev.partita.hv.BackendChoice;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Converts {@code --backend} values to a {@link BackendChoice}; anything else is a usage error naming the choices. */
public final class BackendChoiceConverter implements ITypeConverter<BackendChoice> {

    @Override
    public BackendChoice convert(String value) {
        try {
            return BackendChoice.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}

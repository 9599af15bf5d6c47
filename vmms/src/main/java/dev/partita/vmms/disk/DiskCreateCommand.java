package dev.partita.vmms.disk;

import dev.partita.devices.storage.disk.DiskImageException;
import dev.partita.devices.storage.disk.vhdx.VhdxImages;
import dev.partita.hv.loader.ByteSizes;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code partita disk create}: a new dynamic VHDX of a size, or a differencing VHDX on a parent. */
@Command(name = "create",
        mixinStandardHelpOptions = true,
        description = "Create a VHDX: dynamic (--size; blocks are allocated as the guest writes) or differencing "
                + "(--parent; reads as the parent, which stays unchanged, until written).",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:created", "2:bad options, the file exists, or the parent cannot be used"},
        usageHelpAutoWidth = true)
public final class DiskCreateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    static final class Kind {
        @Option(names = "--size", paramLabel = "SIZE", converter = SizeConverter.class,
                description = "Virtual size of a new dynamic disk (e.g. 1G, 512M; a multiple of 512 bytes).")
        Long size;

        @Option(names = "--parent", paramLabel = "VHDX", description = "Make a differencing disk on this VHDX.")
        Path parent;
    }

    @ArgGroup(multiplicity = "1")
    Kind kind;

    @Option(names = "--block-size", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "Payload block size of a dynamic disk, a power of two from 1M to 256M (default: 32M).")
    Long blockSize;

    @Parameters(paramLabel = "FILE", description = "The new VHDX file (must not exist).")
    Path file;

    @Override
    public Integer call() {
        try {
            if (kind.parent != null) {
                VhdxImages.createDifferencing(file, kind.parent);
                spec.commandLine().getOut().println("created " + file + ": differencing disk on " + kind.parent);
            } else {
                long bs = blockSize == null ? VhdxImages.DEFAULT_DYNAMIC_BLOCK : blockSize;
                VhdxImages.createDynamic(file, kind.size, bs);
                spec.commandLine().getOut().println("created " + file + ": dynamic disk of " + ByteSizes.human(kind.size));
            }
            spec.commandLine().getOut().flush();
            return 0;
        } catch (DiskImageException e) {
            spec.commandLine().getErr().println("partita disk create: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return DiskCommand.EXIT_BAD_IMAGE;
        }
    }

    /** A byte size with an optional K/M/G/T unit. */
    public static final class SizeConverter implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return ByteSizes.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("size " + e.getMessage());
            }
        }
    }
}

package dev.partita.vmms.disk;

import picocli.CommandLine.Command;

/** {@code partita disk}: VHDX disk files (create, merge, info); the work is in the subcommands. */
@Command(name = "disk",
        mixinStandardHelpOptions = true,
        synopsisSubcommandLabel = "COMMAND",
        description = "Create, inspect and merge VHDX virtual disks (the files partita run --disk attaches).",
        subcommands = {DiskCreateCommand.class, DiskMergeCommand.class, DiskInfoCommand.class},
        commandListHeading = "%nCommands:%n",
        usageHelpAutoWidth = true)
public final class DiskCommand {
    /** The file or its parent could not be used (one line on stderr). */
    static final int EXIT_BAD_IMAGE = 2;
    /** Reading or writing failed part-way. */
    static final int EXIT_IO = 1;
}

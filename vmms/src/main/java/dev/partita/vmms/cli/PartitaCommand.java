package dev.partita.vmms.cli;

import java.lang.System.Logger.Level;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The top-level {@code partita} command: global options only; the work is done by subcommands. Without a
 * subcommand picocli reports "Missing required subcommand" (exit status 2).
 */
@Command(name = "partita",
        mixinStandardHelpOptions = true,
        versionProvider = PartitaVersion.class,
        synopsisSubcommandLabel = "COMMAND",
        description = "Partita: a virtualization stack in Java following the Hyper-V architecture "
                + "(KVM where the host allows it, a pure-Java x86-64 emulator everywhere else).",
        commandListHeading = "%nCommands:%n",
        footerHeading = "%n",
        footer = "Run 'partita COMMAND --help' for a command's options and exit status.",
        usageHelpAutoWidth = true)
public final class PartitaCommand {

    /** The option name; {@link LoggingExecutionStrategy} reads it from the parse result. */
    public static final String LOG_LEVEL_OPTION = "--log-level";

    @Option(names = LOG_LEVEL_OPTION, paramLabel = "LEVEL", scope = ScopeType.INHERIT,
            converter = LogLevelConverter.class, defaultValue = "warn",
            description = "Diagnostics on stderr: off, error, warn, info, debug, trace (default: ${DEFAULT-VALUE}).")
    Level logLevel;
}

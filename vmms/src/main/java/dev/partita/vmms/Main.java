package dev.partita.vmms;

import dev.partita.vmms.cli.CompactErrorHandler;
import dev.partita.vmms.cli.LoggingExecutionStrategy;
import dev.partita.vmms.cli.PartitaCommand;
import dev.partita.vmms.cli.probe.ProbeCommand;
import picocli.CommandLine;

/**
 * Entry point of the {@code partita} command line. Builds the picocli command tree and runs it.
 *
 * <p>To add a subcommand, write a picocli {@code @Command} class in its own package and add one
 * {@code .addSubcommand(new YourCommand())} line in {@link #commandLine()}.
 */
public final class Main {

    private Main() {
    }

    /** Runs the command line and exits the JVM with the command's exit status. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The whole command tree with Partita's error handling and logging set-up; tests call
     * {@code commandLine().execute(...)} with {@code setOut}/{@code setErr} to run a command in-process.
     */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new PartitaCommand())
                // Subcommands, one line each:
                .addSubcommand(new ProbeCommand())
                .addSubcommand(new RunCommand())
                .addSubcommand(new dev.partita.vmms.linux.DemoCommand())
                .addSubcommand(new dev.partita.vmms.state.RestoreCommand());
        for (CommandLine sub : cli.getSubcommands().values()) {
            // "partita COMMAND --version" prints Partita's version unless a command has its own.
            if (sub.getCommandSpec().versionProvider() == null && sub.getCommandSpec().version().length == 0) {
                sub.getCommandSpec().versionProvider(cli.getCommandSpec().versionProvider());
            }
        }
        cli.setExecutionStrategy(new LoggingExecutionStrategy());
        cli.setParameterExceptionHandler(new CompactErrorHandler());
        return cli;
    }
}

package dev.partita.vmms;

import dev.partita.vmms.cli.CompactErrorHandler;
import dev.partita.vmms.cli.LoggingExecutionStrategy;
import dev.partita.vmms.cli.PartitaCommand;
import dev.partita.vmms.cli.probe.ProbeCommand;
import picocli.CommandLine;

import java.io.InputStream;

/**
 * Entry point of the {@code partita} command line. Builds the picocli command tree and runs it.
 *
 * <p>To add a subcommand, write a picocli {@code @Command} class in its own package and add one
 * {@code .addSubcommand(new YourCommand())} line in {@link #commandLine()}.
 */
public final class Main {

    private Main() {
    }

    /** Runs the command line with the process's stdin as console input and exits with the command's status. */
    public static void main(String[] args) {
        System.exit(commandLine(System.in).execute(args));
    }

    /**
     * The whole command tree without console input: a guest console started by {@code run --kernel} or
     * {@code demo} gets none, and the process's stdin is never read. For running a command in-process
     * ({@code commandLine().execute(...)} with {@code setOut}/{@code setErr}), where stdin belongs to the host
     * program (a test runner, for one, takes its commands from there).
     */
    public static CommandLine commandLine() {
        return commandLine(InputStream.nullInputStream());
    }

    /**
     * The whole command tree with Partita's error handling and logging set-up; {@code consoleInput} feeds the
     * console of a guest that {@code run --kernel} or {@code demo} boots, for as long as that run lasts.
     */
    public static CommandLine commandLine(InputStream consoleInput) {
        CommandLine cli = new CommandLine(new PartitaCommand())
                // Subcommands, one line each:
                .addSubcommand(new ProbeCommand())
                .addSubcommand(new RunCommand(consoleInput))
                .addSubcommand(new dev.partita.vmms.linux.DemoCommand(consoleInput))
                .addSubcommand(new dev.partita.vmms.disk.DiskCommand())
                .addSubcommand(new dev.partita.vmms.state.RestoreCommand())
                .addSubcommand(new dev.partita.vmms.service.ServiceCommand())
                .addSubcommand(new dev.partita.vmms.cli.vm.VmCommand())
                .addSubcommand(new dev.partita.vmms.worker.WorkerCommand());
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

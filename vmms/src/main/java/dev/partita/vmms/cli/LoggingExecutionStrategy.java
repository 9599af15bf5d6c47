package dev.partita.vmms.cli;

import java.lang.System.Logger.Level;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionStrategy;
import picocli.CommandLine.ParseResult;

/**
 * Applies {@code --log-level} (given on {@code partita} or on any subcommand; the last one wins) before
 * running the chosen subcommand with picocli's usual {@link CommandLine.RunLast} strategy.
 */
public final class LoggingExecutionStrategy implements IExecutionStrategy {

    @Override
    public int execute(ParseResult parseResult) {
        Level level = Level.WARNING;
        for (ParseResult pr = parseResult; pr != null; pr = pr.subcommand()) {
            if (pr.hasMatchedOption(PartitaCommand.LOG_LEVEL_OPTION)) {
                level = pr.matchedOptionValue(PartitaCommand.LOG_LEVEL_OPTION, level);
            }
        }
        LogSetup.apply(level);
        return new CommandLine.RunLast().execute(parseResult);
    }
}

package dev.partita.vmms;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * One in-process run of the {@code partita} command line ({@link Main#commandLine()}) with its stdout and
 * stderr captured: what the CLI tests assert on. Each call builds a fresh command tree; not for concurrent use
 * of shared static state the commands themselves hold.
 *
 * @param exit the exit status {@code execute} returned
 * @param out  everything written to the command's out
 * @param err  everything written to the command's err
 */
public record CommandLineRun(int exit, String out, String err) {

    /** Runs {@code partita args...} without console input and captures its exit status and output. */
    public static CommandLineRun run(String... args) {
        return withConsole(InputStream.nullInputStream(), args);
    }

    /** Runs {@code partita args...} with {@code consoleInput} feeding a guest's console; captures as {@link #run}. */
    public static CommandLineRun withConsole(InputStream consoleInput, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine(consoleInput);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new CommandLineRun(exit, out.toString(), err.toString());
    }
}

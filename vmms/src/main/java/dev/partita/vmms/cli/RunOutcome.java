package dev.partita.vmms.cli;

import dev.partita.hv.PartitionResult;
import dev.partita.hv.devices.debug.ConsoleSink;
import java.io.PrintWriter;
import java.time.Duration;

/**
 * How {@code partita run} (flat/ELF images and Linux kernels alike) turns the end of a run into what the
 * user sees: the one-line {@code partita run: ...} message on stderr and the process exit status of
 * guests/README.md (the guest's exit code; {@value #EXIT_TIMEOUT} timeout; {@value #EXIT_RESET} triple fault,
 * reset or guest crash report; {@value #EXIT_INTERNAL} internal error; {@value #EXIT_BAD_INPUT} bad input). Also the guest console
 * sink and the "no --timeout" wait that both run paths share.
 *
 * <p>Stateless; the methods may be called from any thread. Each message is printed with one
 * {@code println} on {@code err} and then flushed.
 */
public final class RunOutcome {

    /** Exit status for bad input (options, image, kernel). */
    public static final int EXIT_BAD_INPUT = 2;
    /** Exit status when the guest did not finish within --timeout. */
    public static final int EXIT_TIMEOUT = 124;
    /** Exit status when the guest triple-faulted, shut down, reset the machine or reported a crash. */
    public static final int EXIT_RESET = 125;
    /** Exit status when the partition could not be created or run, or on an internal error. */
    public static final int EXIT_INTERNAL = 126;

    /** How long to wait when no --timeout is given (effectively forever). */
    private static final Duration NO_TIMEOUT = Duration.ofDays(3650);
    private static final String PREFIX = "partita run: ";

    private RunOutcome() {
    }

    /**
     * The exit status for a finished run: an exit or stop gives its status silently; a timeout, triple fault,
     * guest crash or failure prints its report on {@code err} first.
     */
    public static int exitStatus(PrintWriter err, PartitionResult result) {
        return switch (result) {
            case PartitionResult.Exited e -> e.exitStatus();
            case PartitionResult.Stopped s -> s.exitStatus();
            case PartitionResult.TimedOut t -> report(err, t);
            case PartitionResult.TripleFault t -> report(err, t);
            case PartitionResult.GuestCrashed c -> report(err, c);
            case PartitionResult.Failed f -> report(err, f);
        };
    }

    /** Prints {@code message} as bad input and returns {@link #EXIT_BAD_INPUT}. */
    public static int badInput(PrintWriter err, String message) {
        return say(err, message, EXIT_BAD_INPUT);
    }

    /** Prints {@code message} as an internal failure and returns {@link #EXIT_INTERNAL}. */
    public static int internal(PrintWriter err, String message) {
        return say(err, message, EXIT_INTERNAL);
    }

    /** Prints {@code message} and returns {@code status} (for outcomes with their own wording, e.g. a guest reset). */
    public static int say(PrintWriter err, String message, int status) {
        err.println(PREFIX + message);
        err.flush();
        return status;
    }

    /** The wait for {@code Partition.awaitExit}: {@code timeout}, or effectively forever when it is null. */
    public static Duration waitFor(Duration timeout) {
        return timeout == null ? NO_TIMEOUT : timeout;
    }

    /**
     * The guest console on {@code out}: bytes as ISO-8859-1 characters, flushed at each newline. Writes
     * synchronize on {@code out}, so other threads that flush it must do so too.
     */
    public static ConsoleSink consoleTo(PrintWriter out) {
        return b -> {
            synchronized (out) {
                out.write((char) (b & 0xFF));
                if (b == '\n') {
                    out.flush();
                }
            }
        };
    }

    private static int report(PrintWriter err, PartitionResult result) {
        return say(err, result.report(), result.exitStatus());
    }
}

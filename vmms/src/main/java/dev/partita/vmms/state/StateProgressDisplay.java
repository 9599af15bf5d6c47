package dev.partita.vmms.state;

import dev.partita.hv.state.StateProgress;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Shows how far a save or restore has come, in the style of the image builder's progress: a
 * "partita: ..." line, then on a terminal the MiB count redrawn in place (at most once per whole
 * percent). Called on the saving or restoring thread only.
 */
final class StateProgressDisplay implements StateProgress {
    private final PrintWriter out;
    private final boolean terminal;
    private long lastPercent = -1;

    private StateProgressDisplay(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** Prints {@code step} and returns a display for its bytes. */
    static StateProgressDisplay start(PrintWriter out, String step) {
        out.println("partita: " + step);
        out.flush();
        return new StateProgressDisplay(out, System.console() != null);
    }

    @Override
    public void update(long done, long total) {
        if (!terminal || total <= 0) {
            return;
        }
        long percent = done * 100 / total;
        if (percent == lastPercent) {
            return;
        }
        lastPercent = percent;
        out.print(String.format(Locale.ROOT, "\r  %6.1f / %.1f MiB (%d%%)", done / 1048576.0, total / 1048576.0, percent));
        if (done == total) {
            out.println();
        }
        out.flush();
    }
}

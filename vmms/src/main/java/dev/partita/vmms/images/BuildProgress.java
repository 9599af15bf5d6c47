package dev.partita.vmms.images;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Where the image builder reports what it is doing. Implementations are called from the building
 * thread only.
 */
public interface BuildProgress {
    /** A new step ("downloading linux-image-6.1.0-50-cloud-amd64"). */
    void step(String what);

    /** Bytes done so far in the current step ({@code total} &lt;= 0 when unknown). */
    void bytes(long done, long total);

    /** Nothing reported. */
    static BuildProgress silent() {
        return new BuildProgress() {
            @Override
            public void step(String what) {
            }

            @Override
            public void bytes(long done, long total) {
            }
        };
    }

    /**
     * Lines on {@code out}; on a terminal the byte count is redrawn in place with a carriage return,
     * otherwise only steps are printed.
     */
    static BuildProgress lines(PrintWriter out, boolean terminal) {
        return new BuildProgress() {
            private boolean inPlace;

            @Override
            public void step(String what) {
                if (inPlace) {
                    out.println();
                    inPlace = false;
                }
                out.println("partita: " + what);
                out.flush();
            }

            @Override
            public void bytes(long done, long total) {
                if (!terminal) {
                    return;
                }
                String text = total > 0
                        ? String.format(Locale.ROOT, "\r  %6.1f / %.1f MiB (%d%%)", done / 1048576.0, total / 1048576.0, done * 100 / total)
                        : String.format(Locale.ROOT, "\r  %6.1f MiB", done / 1048576.0);
                out.print(text);
                out.flush();
                inPlace = true;
            }
        };
    }
}

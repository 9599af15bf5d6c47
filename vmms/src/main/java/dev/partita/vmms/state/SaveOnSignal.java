package dev.partita.vmms.state;

import dev.partita.hv.Partition;
import dev.partita.hv.loader.ByteSizes;
import dev.partita.hv.state.VmStateController;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * {@code --save-on-signal FILE}: on SIGUSR1 or SIGTERM the VM is paused, its state written to
 * FILE and the partition stopped; the command then exits with status 0 ({@link #outcome}). The save
 * runs on a thread of its own (not the signal dispatcher), once; later signals are ignored.
 *
 * <p>Threads: installed and closed by the command's thread; the save thread only reads the
 * controller and partition, which are thread-safe.
 */
public final class SaveOnSignal implements AutoCloseable {
    private static final List<String> SIGNALS = List.of("USR1", "TERM");

    private final Path file;
    private final VmStateController controller;
    private final Partition partition;
    private final PrintWriter err;
    private final AtomicBoolean triggered = new AtomicBoolean();
    private final List<Signal> installed = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();
    private volatile String failure;
    private volatile boolean saved;

    private SaveOnSignal(Path file, VmStateController controller, Partition partition, PrintWriter err) {
        this.file = file;
        this.controller = controller;
        this.partition = partition;
        this.err = err;
    }

    /** Installs the handlers. */
    public static SaveOnSignal install(Path file, VmStateController controller, Partition partition, PrintWriter err) {
        SaveOnSignal s = new SaveOnSignal(file, controller, partition, err);
        for (String name : SIGNALS) {
            Signal signal = new Signal(name);
            s.previous.add(Signal.handle(signal, sig -> s.trigger()));
            s.installed.add(signal);
        }
        return s;
    }

    /** Starts the save (what a signal does). Any thread; only the first call saves. */
    public void trigger() {
        if (!triggered.compareAndSet(false, true)) {
            return;
        }
        Thread.ofPlatform().name("partita-save").daemon(true).start(this::save);
    }

    private void save() {
        long t0 = System.nanoTime();
        try {
            VmStateController.SaveSummary s = controller.save(file,
                    StateProgressDisplay.start(err, "saving the VM state to " + file));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            err.println("partita: saved in " + ms + " ms: " + ByteSizes.human(s.fileBytes()) + " file, "
                    + ByteSizes.human(s.memoryBytesStored()) + " of " + ByteSizes.human(s.memoryBytes())
                    + " memory stored; continue with: partita restore " + file);
            err.flush();
            saved = true;
        } catch (IOException | RuntimeException e) {
            failure = "saving the VM state to " + file + " failed: " + e.getMessage();
        } finally {
            partition.stop();
        }
    }

    /**
     * The exit status to use once the partition has ended: 0 after a save, 126 with a message when
     * the save failed, or -1 when no signal came (the guest's own outcome applies).
     */
    public int outcome(PrintWriter errOut) {
        if (!triggered.get()) {
            return -1;
        }
        if (saved) {
            return 0;
        }
        errOut.println("partita: " + (failure != null ? failure : "the VM ended while it was being saved"));
        errOut.flush();
        return 126;
    }

    /** Puts the previous handlers back. */
    @Override
    public void close() {
        for (int i = 0; i < installed.size(); i++) {
            Signal.handle(installed.get(i), previous.get(i));
        }
    }
}

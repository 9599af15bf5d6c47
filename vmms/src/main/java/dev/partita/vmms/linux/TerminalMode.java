package dev.partita.vmms.linux;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Puts the controlling terminal in raw mode (no echo, no line editing, no signal keys: every byte reaches
 * the guest) with {@code stty}, and restores the saved settings on {@link #close()} or JVM exit.
 * A no-op when stdin is not a terminal. Created and closed on one thread.
 */
final class TerminalMode implements AutoCloseable {
    private final String saved;
    private final Thread restoreHook;

    private TerminalMode(String saved) {
        this.saved = saved;
        this.restoreHook = saved == null ? null : new Thread(this::restore, "partita-tty-restore");
        if (restoreHook != null) {
            Runtime.getRuntime().addShutdownHook(restoreHook);
        }
    }

    /** Whether stdin is an interactive terminal. */
    static boolean stdinIsTerminal() {
        java.io.Console c = System.console();
        return c != null && c.isTerminal() && new File("/dev/tty").canRead();
    }

    /** Raw mode if stdin is a terminal (and stty works), else nothing. */
    static TerminalMode rawIfTerminal() {
        if (!stdinIsTerminal()) {
            return new TerminalMode(null);
        }
        String settings = stty("-g");
        if (settings == null || stty("raw", "-echo") == null) {
            return new TerminalMode(null);
        }
        return new TerminalMode(settings.strip());
    }

    boolean raw() {
        return saved != null;
    }

    private void restore() {
        if (saved != null) {
            stty(saved);
        }
    }

    @Override
    public void close() {
        if (saved != null) {
            restore();
            try {
                Runtime.getRuntime().removeShutdownHook(restoreHook);
            } catch (IllegalStateException e) {
                // already shutting down: the hook restores
            }
        }
    }

    private static String stty(String... args) {
        try {
            String[] cmd = new String[args.length + 1];
            cmd[0] = "stty";
            System.arraycopy(args, 0, cmd, 1, args.length);
            Process p = new ProcessBuilder(cmd).redirectInput(new File("/dev/tty")).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}

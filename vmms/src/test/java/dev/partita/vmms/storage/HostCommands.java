package dev.partita.vmms.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs host tools (mkfs.ext4, debugfs, e2fsck, apt-get) and collects their output. */
final class HostCommands {
    /** One finished command. */
    record Result(List<String> command, int exit, String out, String err) {
        String describe() {
            return String.join(" ", command) + " exited " + exit + "\nstdout: " + out + "\nstderr: " + err;
        }
    }

    private HostCommands() {}

    /** Runs {@code command}, waiting at most {@code seconds}; a timeout is an {@link IOException}. */
    static Result run(long seconds, List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
        try {
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish within " + seconds + " s");
            }
            return new Result(command, p.exitValue(), out.join(), err.join());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + String.join(" ", command), e);
        }
    }

    static Result run(long seconds, String... command) throws IOException {
        return run(seconds, List.of(command));
    }

    /** Whether this process runs as root (uid 0). */
    static boolean root() {
        try {
            Result r = run(10, "id", "-u");
            return r.exit() == 0 && r.out().strip().equals("0");
        } catch (IOException e) {
            return false;
        }
    }

    private static String drain(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(output unreadable: " + e.getMessage() + ")";
        }
    }
}

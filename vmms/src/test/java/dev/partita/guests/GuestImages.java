package dev.partita.guests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds the test guests of {@code guests/} (README.md there) and brings {@code guests/build} up to date
 * with {@code make -C guests} once per JVM (make is incremental, so this is cheap when nothing changed).
 *
 * <p>The folder is {@code -Dpartita.guests.dir=DIR} when given, else the {@code guests} folder found by
 * walking up from the working directory (any module of the repository). Thread-safe.
 */
public final class GuestImages {
    private static final Object LOCK = new Object();
    private static Optional<String> problem;   // guarded by LOCK; empty = images ready

    private GuestImages() {
    }

    /** The image {@code guests/build/NAME} (an absolute path is used as it is); call {@link #unavailableReason()} first. */
    public static Path image(String name) {
        return guestsDir().resolve("build").resolve(name);
    }

    /** Why the guest images cannot be used (no guests folder, make failed), or empty when they are ready. */
    public static Optional<String> unavailableReason() {
        synchronized (LOCK) {
            if (problem == null) {
                problem = build();
            }
            return problem;
        }
    }

    private static Optional<String> build() {
        Path dir = guestsDir();
        if (!Files.isRegularFile(dir.resolve("Makefile"))) {
            return Optional.of("no guests/Makefile found (looked at " + dir + "; set -Dpartita.guests.dir)");
        }
        Path log = null;
        try {
            log = Files.createTempFile("partita-guests-make", ".log");
            Process make = new ProcessBuilder("make", "-s", "-C", dir.toString(), "--no-print-directory")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!make.waitFor(300, TimeUnit.SECONDS)) {
                make.destroyForcibly();
                return Optional.of("make -C " + dir + " did not finish within 300 s");
            }
            if (make.exitValue() != 0) {
                return Optional.of("make -C " + dir + " failed (" + make.exitValue() + "): " + Files.readString(log).strip());
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("cannot run make for the guests: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while building the guests");
        } finally {
            if (log != null) {
                try {
                    Files.deleteIfExists(log);
                } catch (IOException ignored) {
                    // a leftover temp file is harmless
                }
            }
        }
    }

    private static Path guestsDir() {
        String configured = System.getProperty("partita.guests.dir");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("guests").resolve("Makefile"))) {
                return p.resolve("guests");
            }
        }
        return Path.of("guests").toAbsolutePath();
    }
}

package dev.partita.emulator.diff;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Builds the native oracle ({@code src/test/c/diff_oracle.c}) with the host gcc into this module's
 * build folder, cached by a hash of the source, the compiler version and the flags. Thread-safe
 * (concurrent builds write to temporary names and move atomically).
 */
public final class OracleProgram {

    private static final List<String> FLAGS = List.of("-O2", "-Wall", "-Wextra", "-Werror");

    /** The built program, or why it could not be built (then {@code exe} is null). */
    public record Built(Path exe, String skipReason) {
        public boolean available() {
            return exe != null;
        }
    }

    private OracleProgram() {
    }

    /** Builds (or reuses) the oracle. Never throws for a missing compiler or a non-x86-64 host. */
    public static Built build() {
        String arch = System.getProperty("os.arch", "");
        if (!arch.equals("amd64") && !arch.equals("x86_64")) {
            return new Built(null, "host is " + arch + ", the native oracle needs x86-64");
        }
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            return new Built(null, "the native oracle needs Linux (ucontext register names, memfd)");
        }
        Path src = moduleDir().resolve("src/test/c/diff_oracle.c");
        if (!Files.isRegularFile(src)) {
            return new Built(null, "oracle source not found at " + src);
        }
        try {
            String gccVersion = run(List.of("gcc", "--version"), null);
            if (gccVersion == null) {
                return new Built(null, "gcc is not installed (apt-get install gcc)");
            }
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(Files.readAllBytes(src));
            md.update(gccVersion.getBytes(StandardCharsets.UTF_8));
            md.update(FLAGS.toString().getBytes(StandardCharsets.UTF_8));
            String hash = HexFormat.of().formatHex(md.digest(), 0, 8);
            Path dir = buildDir().resolve("diff-oracle");
            Files.createDirectories(dir);
            Path exe = dir.resolve("diff_oracle-" + hash);
            if (Files.isExecutable(exe)) {
                return new Built(exe, null);
            }
            Path tmp = Files.createTempFile(dir, "diff_oracle", ".tmp");
            List<String> cmd = new java.util.ArrayList<>(List.of("gcc"));
            cmd.addAll(FLAGS);
            cmd.addAll(List.of("-o", tmp.toString(), src.toString()));
            String out = run(cmd, dir);
            if (out == null) {
                Files.deleteIfExists(tmp);
                throw new IllegalStateException("gcc failed to build the native oracle: " + String.join(" ", cmd));
            }
            Files.move(tmp, exe, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return new Built(exe, null);
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("building the native oracle: " + e, e);
        }
    }

    /** Runs a command; its combined output, or null if it could not start or exited non-zero. */
    private static String run(List<String> cmd, Path dir) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return null;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            return null;
        }
        if (p.exitValue() != 0) {
            System.out.println(String.join(" ", cmd) + " failed:\n" + out);
            return null;
        }
        return out;
    }

    /** The module directory (surefire's basedir, else the working directory). */
    static Path moduleDir() {
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
    }

    /** This build's output folder (the parent of test-classes, e.g. target). */
    static Path buildDir() {
        try {
            Path classes = Path.of(OracleProgram.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return classes.getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("locating the build folder", e);
        }
    }
}
